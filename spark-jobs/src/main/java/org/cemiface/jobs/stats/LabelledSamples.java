package org.cemiface.jobs.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;

/**
 * A labelled dataset that this pipeline did not generate (an ImageFolder, RecordIO or Parquet image
 * table, e.g. a DCFace set) seen as stats' samples: one subject per identity, no inquiry and no m.
 * Stats then measures every image against its identity centre.
 */
final class LabelledSamples {
  static final StructType SCHEMA =
      new StructType()
          .add("subject", DataTypes.LongType, false)
          .add("index", DataTypes.IntegerType, false)
          .add("kind", DataTypes.StringType, false)
          .add("m", DataTypes.FloatType, false)
          .add("path", DataTypes.StringType, false)
          .add("inquiry_source", DataTypes.StringType, true);

  private LabelledSamples() {}

  /** The samples of the dataset at {@code root} (absolute image locations, m = NaN). */
  static Dataset<Row> of(SparkSession spark, String root) {
    List<Row> rows = new ArrayList<>();
    int last = -1;
    int index = 0;
    for (ImageEntry e : TrainingImages.list(root)) {
      index = e.label() == last ? index + 1 : 0;
      last = e.label();
      rows.add(RowFactory.create((long) e.label(), index, "generated", Float.NaN, e.path(), null));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}

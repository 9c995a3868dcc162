package org.cemiface.jobs.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.stats.SubjectStats;

/** Schemas of the stats tables (docs/querying.md) and the conversion of task results to rows. */
public final class StatsTables {
  /** per_image.parquet. */
  public static final StructType PER_IMAGE =
      new StructType()
          .add("subject", DataTypes.LongType, false)
          .add("index", DataTypes.IntegerType, false)
          .add("kind", DataTypes.StringType, false)
          .add("m", DataTypes.FloatType, false)
          .add("sim_inquiry", DataTypes.FloatType, false)
          .add("sim_center", DataTypes.FloatType, true)
          .add("abs_error", DataTypes.FloatType, true);

  /** per_subject.parquet before the nearest-subject columns are joined. */
  static final StructType SUBJECT =
      new StructType()
          .add("subject", DataTypes.LongType, false)
          .add("count", DataTypes.IntegerType, false)
          .add("mean", DataTypes.DoubleType, true)
          .add("std", DataTypes.DoubleType, true)
          .add("min", DataTypes.DoubleType, true)
          .add("max", DataTypes.DoubleType, true)
          .add("mean_sim_center", DataTypes.DoubleType, true);

  /** Nearest other subject by centre similarity. */
  static final StructType NEAREST =
      new StructType()
          .add("subject", DataTypes.LongType, false)
          .add("nearest_subject", DataTypes.LongType, false)
          .add("nearest_similarity", DataTypes.FloatType, false);

  /** histogram.parquet. */
  public static final StructType HISTOGRAM =
      new StructType()
          .add("bin", DataTypes.IntegerType, false)
          .add("lower", DataTypes.DoubleType, false)
          .add("upper", DataTypes.DoubleType, false)
          .add("images", DataTypes.LongType, false);

  private StatsTables() {}

  static List<Row> imageRows(SubjectStats.Result r) {
    List<Row> out = new ArrayList<>(r.images().size());
    for (SubjectStats.ImageStat s : r.images()) {
      out.add(
          RowFactory.create(
              s.subject(),
              s.index(),
              s.kind(),
              s.m(),
              s.simInquiry(),
              nullIfNaN(s.simCenter()),
              nullIfNaN(s.absError())));
    }
    return out;
  }

  static Row subjectRow(SubjectStats.Result r) {
    SubjectStats.SubjectStat s = r.subject();
    return RowFactory.create(
        s.subject(),
        s.count(),
        nullIfNaN(s.mean()),
        nullIfNaN(s.std()),
        nullIfNaN(s.min()),
        nullIfNaN(s.max()),
        nullIfNaN(s.meanSimCenter()));
  }

  private static Float nullIfNaN(float v) {
    return Float.isNaN(v) ? null : v;
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}

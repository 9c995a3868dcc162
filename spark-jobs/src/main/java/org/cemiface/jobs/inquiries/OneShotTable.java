package org.cemiface.jobs.inquiries;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.inquiry.OneShotPick;

/** The schema of the 1-shot selection table: one row per identity of the source. */
final class OneShotTable {
  static final StructType SCHEMA =
      new StructType()
          .add("identity", DataTypes.StringType, false)
          .add("status", DataTypes.StringType, false)
          .add("images", DataTypes.IntegerType, true)
          .add("source", DataTypes.StringType, true)
          .add("output", DataTypes.StringType, true)
          .add("skipped", DataTypes.createArrayType(DataTypes.StringType, false), false);

  private OneShotTable() {}

  /** The row of an identity the sample took, with where its image went (KEPT only). */
  static Row row(OneShotPick.Selection s, String source, String output) {
    return RowFactory.create(
        s.identity(), s.status().label(), s.images(), source, output, s.skipped().toArray());
  }

  /** The row of an identity the cap left out. */
  static Row notSampled(String identity) {
    return RowFactory.create(
        identity, OneShotPick.Status.NOT_SAMPLED.label(), null, null, null, List.of().toArray());
  }
}

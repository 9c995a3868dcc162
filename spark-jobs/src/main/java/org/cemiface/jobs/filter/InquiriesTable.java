package org.cemiface.jobs.filter;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The schema of {@code inquiries.parquet} (docs/data-formats.md). */
public final class InquiriesTable {
  /**
   * Embedding stage output: every candidate with its check result and, when it passed, its
   * embedding.
   */
  public static final StructType EMBEDDED =
      new StructType()
          .add("order", DataTypes.LongType, false)
          .add("id", DataTypes.StringType, false)
          .add("source", DataTypes.StringType, false)
          .add("check", DataTypes.StringType, true)
          .add("reason", DataTypes.StringType, true)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
          .add("norm", DataTypes.FloatType, true);

  /** The greedy pass's decision per candidate that passed the checks. */
  public static final StructType DECISIONS =
      new StructType()
          .add("order", DataTypes.LongType, false)
          .add("status", DataTypes.StringType, false)
          .add("collided_with", DataTypes.StringType, true)
          .add("similarity", DataTypes.FloatType, true);

  private InquiriesTable() {}
}

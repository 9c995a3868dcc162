package org.cemiface.jobs.analysis;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Schemas of the analysis tables (docs/data-formats.md). */
final class AnalysisTables {
  /** The embedding stage: one row per image of the dataset. */
  static final StructType EMBEDDED =
      new StructType()
          .add("order", DataTypes.LongType, false)
          .add("label", DataTypes.IntegerType, false)
          .add("id", DataTypes.StringType, false)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true)
          .add("reason", DataTypes.StringType, true);

  /** {@code per_image.parquet}. */
  static final StructType PER_IMAGE =
      new StructType()
          .add("order", DataTypes.LongType, false)
          .add("id", DataTypes.StringType, false)
          .add("label", DataTypes.IntegerType, false)
          .add("status", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, true)
          .add("similarity", DataTypes.DoubleType, true)
          .add("group", DataTypes.IntegerType, true);

  /** {@code groups.parquet}: Table 1's layout. */
  static final StructType GROUPS =
      new StructType()
          .add("group", DataTypes.IntegerType, false)
          .add("images", DataTypes.IntegerType, false)
          .add("mean", DataTypes.DoubleType, false)
          .add("min", DataTypes.DoubleType, false)
          .add("max", DataTypes.DoubleType, false);

  private AnalysisTables() {}
}

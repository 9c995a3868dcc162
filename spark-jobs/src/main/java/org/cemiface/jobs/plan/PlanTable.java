package org.cemiface.jobs.plan;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.plan.PlanRow;

/**
 * The schema of {@code plan.parquet} (docs/data-formats.md) and conversions to and from {@link
 * PlanRow}.
 */
public final class PlanTable {
  /** Columns in order. */
  public static final StructType SCHEMA =
      new StructType()
          .add("subject", DataTypes.LongType, false)
          .add("index", DataTypes.IntegerType, false)
          .add("m", DataTypes.FloatType, false)
          .add("seed", DataTypes.LongType, false)
          .add("inquiry_id", DataTypes.StringType, false)
          .add("inquiry_source", DataTypes.StringType, false)
          .add("cohort", DataTypes.IntegerType, false)
          .add("kind", DataTypes.StringType, false);

  private PlanTable() {}

  /** A plan row as a Spark row. */
  public static Row toRow(PlanRow r) {
    return RowFactory.create(
        r.subject(),
        r.index(),
        r.m(),
        r.seed(),
        r.inquiryId(),
        r.inquirySource(),
        r.cohort(),
        r.kind().label());
  }

  /**
   * A Spark row of the plan table (selected by name, so extra columns are ignored) as a plan row.
   */
  public static PlanRow fromRow(Row r) {
    return new PlanRow(
        r.getLong(r.fieldIndex("subject")),
        r.getInt(r.fieldIndex("index")),
        r.getFloat(r.fieldIndex("m")),
        r.getLong(r.fieldIndex("seed")),
        r.getString(r.fieldIndex("inquiry_id")),
        r.getString(r.fieldIndex("inquiry_source")),
        r.getInt(r.fieldIndex("cohort")),
        PlanRow.Kind.ofLabel(r.getString(r.fieldIndex("kind"))));
  }
}

package org.cemiface.jobs.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.junit.jupiter.api.Test;

/** The control table's figures do not depend on how the rows are ordered or partitioned. */
class ControlTableTest {
  @Test
  void rowOrderAndPartitioningDoNotChangeABit() {
    // Magnitudes where double addition is not associative: 1e17 + 1 - 1e17 is 0 or 1 by order.
    List<Row> rows = new ArrayList<>();
    float[] values = {1e17f, 1f, -1e17f, 1f, 0.3f, 1e-3f, -0.7f, 3e16f, -3e16f, 0.1f};
    for (int i = 0; i < values.length; i++) {
      rows.add(row("generated", i, 0.5f, values[i], Math.abs(values[i] - 0.5f)));
      rows.add(row("generated", i, -0.5f, values[i] / 1e16f, 0.25f));
    }
    rows.add(row("inquiry_copy", 0, Float.NaN, 1f, null));
    List<Row> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);

    SparkSession spark =
        SparkSessions.start(SparkSettings.from(ConfigLoader.load(List.of(), List.of())));
    try {
      List<Row> one = control(spark, rows, 1);
      List<Row> many = control(spark, reversed, 7);
      assertEquals(one, many);
      assertEquals(2, one.size(), "the inquiry row (m = NaN) is not a control row");
      assertEquals(-0.5f, one.get(0).getFloat(0));
      assertEquals(10L, one.get(0).getLong(1));
      assertEquals(0.25, one.get(0).getDouble(4), 1e-12);
      // Naive order-dependent sums of the same values disagree, which is what the table avoids.
      double forward = 0;
      double backward = 0;
      for (int i = 0; i < values.length; i++) {
        forward += values[i];
        backward += values[values.length - 1 - i];
      }
      assertNotEquals(forward, backward);
    } finally {
      spark.stop();
    }
  }

  /** A per_image row of subject 0 (the columns the control table does not read are fixed). */
  private static Row row(String kind, int index, float m, float simInquiry, Float absError) {
    return RowFactory.create(0L, index, kind, m, simInquiry, 0f, absError);
  }

  private static List<Row> control(SparkSession spark, List<Row> rows, int partitions) {
    spark
        .createDataFrame(rows, StatsTables.PER_IMAGE)
        .repartition(partitions)
        .createOrReplaceTempView("per_image");
    return spark.sql(StatsJob.CONTROL_SQL).collectAsList();
  }
}

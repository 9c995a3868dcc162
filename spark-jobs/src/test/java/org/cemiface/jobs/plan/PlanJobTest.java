package org.cemiface.jobs.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.MChoice;
import org.cemiface.plan.PlanRow;
import org.cemiface.plan.VolumePlanner;
import org.cemiface.volume.VolumeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan job on local Spark: exact counts for the shipped volume presets, rows equal to the
 * planner's.
 */
class PlanJobTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSessions.start(SparkSettings.from(ConfigLoader.load(List.of(), List.of())));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<Inquiry> inquiries(int n) {
    List<Inquiry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Inquiry("inq-" + i, "/inquiries/" + i + ".png"));
    }
    return out;
  }

  static VolumeSettings preset(String name) {
    Path conf =
        Path.of(System.getProperty("user.dir"))
            .getParent()
            .resolve("conf/volume-" + name + ".conf");
    return VolumeSettings.from(ConfigLoader.load(List.of(conf.toString()), List.of()).reader());
  }

  @Test
  void shippedPresetsPlanExactlyTheirImagesPlusOversampling() {
    long[][] expected = {{10_000, 500_000}, {20_000, 1_000_000}, {60_000, 1_200_000}};
    String[] names = {"0.5m", "1.0m", "1.2m"};
    for (int p = 0; p < names.length; p++) {
      VolumeSettings v = preset(names[p]);
      String out = dir.resolve("plan-" + names[p]).toString();
      PlanJob.Summary s =
          PlanJob.run(
              spark, inquiries((int) expected[p][0]), v, new MChoice(new float[] {0f}), 42, 0, out);
      assertEquals(expected[p][0], s.subjects(), names[p]);
      assertEquals(expected[p][1], s.generated(), names[p]);
      assertEquals(expected[p][0] * 5, s.copies(), names[p]);
      Row check =
          spark
              .read()
              .parquet(out)
              .selectExpr(
                  "count(*)",
                  "count(distinct subject, index)",
                  "count(distinct seed)",
                  "max(subject)")
              .first();
      assertEquals(expected[p][1] + expected[p][0] * 5, check.getLong(0), names[p] + " rows");
      assertEquals(check.getLong(0), check.getLong(1), names[p] + " (subject, index) unique");
      assertEquals(
          expected[p][1] + 1,
          check.getLong(2),
          names[p] + ": distinct seeds per generated image, 0 for copies");
      assertEquals(expected[p][0] - 1, check.getLong(3));
    }
  }

  @Test
  void rowsEqualThePlannersAndARerunReplacesThePlan() {
    VolumeSettings v =
        new VolumeSettings(
            "t", List.of(new VolumeSettings.Cohort(7, 4), new VolumeSettings.Cohort(5, 2)), 3);
    MChoice m = MChoice.range(-0.1, 0.1, 0.02);
    String out = dir.resolve("small").toString();
    PlanJob.run(spark, inquiries(20), v, m, 9, 3, out);
    PlanJob.run(spark, inquiries(20), v, m, 9, 5, out);
    List<PlanRow> actual =
        spark.read().parquet(out).orderBy("subject", "index").collectAsList().stream()
            .map(PlanTable::fromRow)
            .toList();
    assertEquals(VolumePlanner.planAll(inquiries(20), v, m, 9), actual);
    assertEquals(
        1, actual.stream().filter(r -> r.subject() == 8).map(PlanRow::cohort).distinct().count());
    assertEquals(1, actual.get(actual.size() - 1).cohort());
  }

  @Test
  void tooFewKeptInquiriesIsAnErrorSayingHowManyAreMissing() {
    VolumeSettings v = preset("0.5m");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PlanJob.run(
                    spark,
                    inquiries(9_990),
                    v,
                    new MChoice(new float[] {0f}),
                    1,
                    0,
                    dir.resolve("x").toString()));
    assertTrue(e.getMessage().contains("10 missing"), e.getMessage());
  }
}

package org.cemiface.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.cemiface.volume.VolumeSettings;
import org.junit.jupiter.api.Test;

class VolumePlannerTest {
  private static List<Inquiry> ids(int n) {
    List<Inquiry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Inquiry("inq-" + i, "/faces/" + i + ".png"));
    }
    return out;
  }

  @Test
  void the12mPresetPlansExactlyItsImagesPlusOversampling() {
    VolumeSettings v =
        new VolumeSettings(
            "1.2m",
            List.of(new VolumeSettings.Cohort(20_000, 50), new VolumeSettings.Cohort(40_000, 5)),
            5);
    AtomicLong generated = new AtomicLong();
    AtomicLong copies = new AtomicLong();
    long[] lastSubject = {-1};
    VolumePlanner.plan(
        ids(60_000),
        v,
        new MChoice(new float[] {0f}),
        7,
        row -> {
          (row.kind() == PlanRow.Kind.GENERATED ? generated : copies).incrementAndGet();
          lastSubject[0] = row.subject();
        });
    assertEquals(1_200_000, generated.get());
    assertEquals(300_000, copies.get());
    assertEquals(59_999, lastSubject[0]);
  }

  @Test
  void tooFewInquiriesSaysHowManyAreMissing() {
    VolumeSettings v =
        new VolumeSettings("0.5m", List.of(new VolumeSettings.Cohort(10_000, 50)), 5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> VolumePlanner.planAll(ids(9_000), v, new MChoice(new float[] {0f}), 1));
    assertTrue(
        e.getMessage().contains("needs 10000 kept inquiries")
            && e.getMessage().contains("1000 missing"),
        e.getMessage());
  }

  @Test
  void mixedMIsDrawnPerImageFromTheRangeAndSeedsAreUniqueAndStable() {
    VolumeSettings v = new VolumeSettings("t", List.of(new VolumeSettings.Cohort(30, 20)), 2);
    MChoice m = MChoice.range(-0.1, 0.1, 0.02);
    assertEquals(11, m.values().length);
    List<PlanRow> a = VolumePlanner.planAll(ids(30), v, m, 5);
    List<PlanRow> b = VolumePlanner.planAll(ids(40), v, m, 5);
    assertEquals(
        a, b, "the plan depends on the seed and the subjects used, not on spare inquiries");
    Set<Float> seen = new HashSet<>();
    Set<Long> seeds = new HashSet<>();
    for (PlanRow r : a) {
      if (r.kind() == PlanRow.Kind.GENERATED) {
        seen.add(r.m());
        seeds.add(r.seed());
        assertTrue(r.m() >= -0.1f - 1e-6 && r.m() <= 0.1f + 1e-6);
      }
    }
    assertEquals(11, seen.size(), "600 draws cover all 11 values");
    assertEquals(600, seeds.size());
    assertEquals(30 * 22, a.size());
    assertEquals("inq-3", a.get(3 * 22).inquiryId());
    assertEquals("/faces/3.png", a.get(3 * 22).inquirySource());
    assertEquals(a.subList(5 * 22, 6 * 22), VolumePlanner.subjectRows(5, ids(6).get(5), v, m, 5));
    assertEquals(PlanRow.Kind.INQUIRY_COPY, a.get(21).kind());
  }
}

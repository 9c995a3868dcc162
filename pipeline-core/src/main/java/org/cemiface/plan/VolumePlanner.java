package org.cemiface.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.cemiface.random.Seeds;
import org.cemiface.volume.VolumeSettings;

/**
 * Assigns kept inquiries to subjects cohort by cohort (subject k gets the k-th kept inquiry) and lists every image
 * of the dataset: the cohort's generated images per subject, then the subject's inquiry copies.
 */
public final class VolumePlanner {
  /** Stream tag of generation seeds. */
  public static final long STREAM_GENERATE = 0x6E;
  private static final long STREAM_M = 0x6D;

  private VolumePlanner() {}

  /** Rows produced by a plan of {@code volume}. */
  public static long rowCount(VolumeSettings volume) {
    return volume.totalImages();
  }

  /**
   * Emits the rows of the plan in (subject, index) order. Fails, naming the shortfall, when there are fewer kept
   * inquiries than subjects.
   */
  public static void plan(List<String> keptInquiries, VolumeSettings volume, MChoice m, long seed, Consumer<PlanRow> out) {
    long subjects = volume.subjects();
    if (keptInquiries.size() < subjects) {
      throw new IllegalArgumentException("volume " + volume.name() + " needs " + subjects + " kept inquiries, the filter"
          + " kept " + keptInquiries.size() + ": " + (subjects - keptInquiries.size()) + " missing. Filter more"
          + " candidates or choose a smaller volume.");
    }
    long subject = 0;
    for (int c = 0; c < volume.cohorts().size(); c++) {
      VolumeSettings.Cohort cohort = volume.cohorts().get(c);
      for (int s = 0; s < cohort.subjects(); s++, subject++) {
        String inquiry = keptInquiries.get((int) subject);
        for (int i = 0; i < cohort.images(); i++) {
          float mi = m.pick(Seeds.random(seed, STREAM_M, subject, i));
          out.accept(new PlanRow(subject, i, mi, Seeds.derive(seed, STREAM_GENERATE, subject, i), inquiry, c,
              PlanRow.Kind.GENERATED));
        }
        for (int k = 0; k < volume.oversampling(); k++) {
          out.accept(new PlanRow(subject, cohort.images() + k, 1f, 0L, inquiry, c, PlanRow.Kind.INQUIRY_COPY));
        }
      }
    }
  }

  /** The whole plan as a list (for small volumes and tests). */
  public static List<PlanRow> planAll(List<String> keptInquiries, VolumeSettings volume, MChoice m, long seed) {
    List<PlanRow> rows = new ArrayList<>();
    plan(keptInquiries, volume, m, seed, rows::add);
    return rows;
  }
}

package org.cemiface.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.cemiface.random.Seeds;
import org.cemiface.volume.VolumeSettings;

/**
 * Assigns kept inquiries to subjects cohort by cohort (subject k gets the k-th kept inquiry) and
 * lists every image of the dataset: the cohort's generated images per subject, then the subject's
 * inquiry copies. Each subject's rows depend only on (seed, subject, its inquiry), so subjects can
 * be planned in any order or in parallel.
 */
public final class VolumePlanner {
  /** Stream tag of generation seeds. */
  public static final long STREAM_GENERATE = 0x6E;

  private static final long STREAM_M = 0x6D;

  private VolumePlanner() {}

  /**
   * Fails, naming the shortfall, when there are fewer kept inquiries than the volume has subjects.
   */
  public static void checkEnoughInquiries(long kept, VolumeSettings volume) {
    long subjects = volume.subjects();
    if (kept < subjects) {
      throw new IllegalArgumentException(
          "volume "
              + volume.name()
              + " needs "
              + subjects
              + " kept inquiries, the filter"
              + " kept "
              + kept
              + ": "
              + (subjects - kept)
              + " missing. Filter more candidates or choose a smaller volume.");
    }
  }

  /** The cohort (index into {@code volume.cohorts()}) of {@code subject}. */
  public static int cohortOf(VolumeSettings volume, long subject) {
    long end = 0;
    for (int c = 0; c < volume.cohorts().size(); c++) {
      end += volume.cohorts().get(c).subjects();
      if (subject < end) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "subject " + subject + " is beyond the " + end + " subjects of volume " + volume.name());
  }

  /** The rows of one subject: its generated images, then its inquiry copies. */
  public static List<PlanRow> subjectRows(
      long subject, Inquiry inquiry, VolumeSettings volume, MChoice m, long seed) {
    int c = cohortOf(volume, subject);
    int images = volume.cohorts().get(c).images();
    List<PlanRow> rows = new ArrayList<>(images + volume.oversampling());
    for (int i = 0; i < images; i++) {
      float mi = m.pick(Seeds.random(seed, STREAM_M, subject, i));
      rows.add(
          new PlanRow(
              subject,
              i,
              mi,
              Seeds.derive(seed, STREAM_GENERATE, subject, i),
              inquiry.id(),
              inquiry.source(),
              c,
              PlanRow.Kind.GENERATED));
    }
    // An inquiry given as an embedding has no image to copy.
    int copies = EmbeddingInquiries.isReference(inquiry.source()) ? 0 : volume.oversampling();
    for (int k = 0; k < copies; k++) {
      rows.add(
          new PlanRow(
              subject,
              images + k,
              1f,
              0L,
              inquiry.id(),
              inquiry.source(),
              c,
              PlanRow.Kind.INQUIRY_COPY));
    }
    return rows;
  }

  /** Emits the rows of the plan in (subject, index) order. */
  public static void plan(
      List<Inquiry> keptInquiries,
      VolumeSettings volume,
      MChoice m,
      long seed,
      Consumer<PlanRow> out) {
    checkEnoughInquiries(keptInquiries.size(), volume);
    for (long subject = 0; subject < volume.subjects(); subject++) {
      subjectRows(subject, keptInquiries.get((int) subject), volume, m, seed).forEach(out);
    }
  }

  /** The whole plan as a list (for small volumes and tests). */
  public static List<PlanRow> planAll(
      List<Inquiry> keptInquiries, VolumeSettings volume, MChoice m, long seed) {
    List<PlanRow> rows = new ArrayList<>();
    plan(keptInquiries, volume, m, seed, rows::add);
    return rows;
  }
}

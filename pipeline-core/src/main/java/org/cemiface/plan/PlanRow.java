package org.cemiface.plan;

/**
 * One image to produce: a generated sample (subject, index, m, seed) conditioned on the subject's inquiry, or one
 * of the subject's oversampled copies of the inquiry image itself.
 */
public record PlanRow(long subject, int index, float m, long seed, String inquiryId, int cohort, Kind kind) {
  /** What the row asks for. */
  public enum Kind {
    /** A DDIM sample at similarity m. */
    GENERATED,
    /** The inquiry image, copied into the subject's class ("oversampling"). */
    INQUIRY_COPY
  }
}

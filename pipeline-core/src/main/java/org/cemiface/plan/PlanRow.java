package org.cemiface.plan;

import java.io.Serializable;
import java.util.Locale;

/**
 * One image to produce: a generated sample (subject, index, m, seed) conditioned on the subject's
 * inquiry, or one of the subject's oversampled copies of the inquiry image itself.
 */
public record PlanRow(
    long subject,
    int index,
    float m,
    long seed,
    String inquiryId,
    String inquirySource,
    int cohort,
    Kind kind)
    implements Serializable {
  /** What the row asks for. */
  public enum Kind {
    /** A DDIM sample at similarity m. */
    GENERATED,
    /** The inquiry image, copied into the subject's class ("oversampling"). */
    INQUIRY_COPY;

    /** The lower-case name stored in tables. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind stored as {@code label}; an unknown label is an error naming it. */
    public static Kind ofLabel(String label) {
      for (Kind k : values()) {
        if (k.label().equals(label)) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown plan row kind '" + label + "' (expected generated or inquiry_copy)");
    }
  }
}

package org.cemiface.filter;

import java.util.Locale;

/** What the filter decided about one inquiry candidate. */
public enum CandidateStatus {
  /** Kept: an inquiry for plan and generate. */
  KEPT,
  /** Above the threshold against an earlier kept candidate. */
  TOO_SIMILAR,
  /** Above the threshold against an entry of the reference gallery. */
  MATCHES_GALLERY,
  /** Could not be read or decoded. */
  UNREADABLE,
  /** Not square, or not the configured size. */
  WRONG_SIZE,
  /** (Nearly) one colour: nothing to embed. */
  BLANK;

  /** The lower-case name stored in inquiries.parquet. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

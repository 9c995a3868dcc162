package org.cemiface.jobs.inquiries;

import org.cemiface.config.ConfigReader;

/** The {@code prepare-inquiries} section: a 1-shot sample of a real labelled dataset. */
public record PrepareInquiriesSettings(
    String source, String output, String table, int maxIdentities, int identitiesPerTask) {
  /** Reads the section. */
  public static PrepareInquiriesSettings from(ConfigReader root) {
    ConfigReader r = root.section("prepare-inquiries");
    return new PrepareInquiriesSettings(
        r.text("source"),
        r.string("output"),
        r.string("table"),
        r.intIn("max-identities", 0, Integer.MAX_VALUE),
        r.intIn("identities-per-task", 1, 10_000_000));
  }
}

package org.cemiface.runs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.cemiface.cli.UsageError;

/**
 * The id of one scheduled run: given, or derived from the firing's scheduled time truncated to the
 * family's granularity (e.g. 2026-12-02T0300Z), so a scheduler's retry of the same firing is the
 * same run.
 */
public final class RunId {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

  private RunId() {}

  /** {@code explicit} when given (validated), else the id of {@code scheduled} at {@code unit}. */
  public static String of(String explicit, Instant scheduled, ChronoUnit unit) {
    if (explicit != null) {
      if (!VALID.matcher(explicit).matches()) {
        throw new UsageError(
            "--run-id '"
                + explicit
                + "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      return explicit;
    }
    return FORMAT.format(scheduled.truncatedTo(unit));
  }
}

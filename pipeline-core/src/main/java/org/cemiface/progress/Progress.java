package org.cemiface.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Periodic progress lines with count, rate and ETA for long loops: at most one line per interval,
 * plus one when the work is complete.
 */
public final class Progress {
  private final String task;
  private final String unit;
  private final long total;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final long intervalNanos;
  private final long start;
  private long done;
  private long lastPrint;

  /** Reports to {@code out} every 5 seconds. */
  public Progress(String task, String unit, long total, PrintStream out) {
    this(task, unit, total, out, System::nanoTime, 5_000_000_000L);
  }

  /** Full control, for tests and for callers that want another interval or stream. */
  public Progress(
      String task,
      String unit,
      long total,
      PrintStream out,
      LongSupplier nanoClock,
      long intervalNanos) {
    this.task = task;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.nanoClock = nanoClock;
    this.intervalNanos = intervalNanos;
    this.start = nanoClock.getAsLong();
    this.lastPrint = start;
  }

  /**
   * Records {@code n} more units done and prints when the interval has passed or the work is
   * complete.
   */
  public void advance(long n) {
    done += n;
    long now = nanoClock.getAsLong();
    if (done >= total || now - lastPrint >= intervalNanos) {
      lastPrint = now;
      out.println(line(now));
    }
  }

  /** Records {@code n} more units without printing (for callers that print their own lines). */
  public void record(long n) {
    done += n;
  }

  /** "done/total unit (p%), rate unit/s, ETA …" as of now. */
  public String summary() {
    return line(nanoClock.getAsLong()).substring(task.length() + 3);
  }

  /** Units done so far. */
  public long done() {
    return done;
  }

  /** The progress line as it would be printed now. */
  String line(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    double rate = done / seconds;
    String pct = total > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total) : "";
    String eta =
        done >= total
            ? "done in " + duration(seconds)
            : rate > 0 ? "ETA " + duration((total - done) / rate) : "ETA unknown";
    // Slow units (blocks of a minute) read better as seconds per unit than as 0.0 units/s.
    String oneUnit = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    String speed =
        rate >= 1 || done == 0
            ? String.format(Locale.ROOT, "%.1f %s/s", rate, unit)
            : String.format(Locale.ROOT, "%.1f s/%s", 1 / rate, oneUnit);
    return String.format(
        Locale.ROOT, "[%s] %d/%d %s%s, %s, %s", task, done, total, unit, pct, speed, eta);
  }

  /** Formats seconds as e.g. "1h02m03s", "4m05s" or "6.0s". */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%.1fs", seconds);
  }
}

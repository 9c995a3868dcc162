package org.cemiface.jobs.runs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.cli.UsageError;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.runs.FamilyLock;

/** {@code run}: one scheduled firing of a dataset family (plan, generate, stats). */
public final class RunCommand implements Command {
  /** Exit code: the run was made or finished. */
  public static final int DONE = 0;

  /** Exit code: the run had completed before; nothing was done. */
  public static final int NOTHING_TO_DO = 3;

  /** Exit code: another firing holds the family's lease. */
  public static final int LOCKED = 4;

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "one scheduled firing of a dataset family: plan, generate, stats into <family>/runs/<id>/ (Spark)";
  }

  @Override
  public String help() {
    return "Fires run --run-id ID (default: the --scheduled time, ISO-8601, or now, truncated to\n"
        + "family.id-granularity) of family --family NAME under family.root: takes the family's lease, gives the run\n"
        + "the next subjects and inquiries no earlier run used and a seed derived from them, then plans, generates\n"
        + "and measures it into <family>/runs/<id>/ and appends its outcome to <family>/catalog/ (the sql view\n"
        + "'runs'). A completed run fired again does nothing; an interrupted one resumes; a run fired with other\n"
        + "settings (configuration, model or encoder checksum, code version) is refused, naming what differs.\n"
        + "Exit codes: 0 done, 3 nothing to do, 4 family locked, 1 failed, 2 usage or configuration error.\n"
        + "Keys: work-dir, seed, family.*, volume.*, plan.*, generate.*, stats.*, encoder.*, model.*, spark.*.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--family", "--run-id", "--scheduled");
  }

  @Override
  public int run(Invocation inv) {
    String family =
        inv.option("--family").orElseThrow(() -> new UsageError("--family NAME is required"));
    if (!family.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new UsageError("--family '" + family + "': use letters, digits, '.', '_' or '-'");
    }
    Instant now = Instant.now();
    Instant scheduled;
    try {
      scheduled = inv.option("--scheduled").map(Instant::parse).orElse(now);
    } catch (DateTimeParseException e) {
      throw new UsageError("--scheduled: an ISO-8601 instant such as 2026-12-02T03:00:00Z");
    }
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      FamilyRun.Result r =
          FamilyRun.fire(
              spark,
              inv.config(),
              family,
              inv.option("--run-id").orElse(null),
              scheduled,
              now,
              inv.err());
      if (r.outcome() == FamilyRun.Outcome.NOTHING_TO_DO) {
        inv.out().println("Run " + r.runId() + " of " + family + " is complete: nothing to do");
        return NOTHING_TO_DO;
      }
      inv.out().println("Run " + r.runId() + " of " + family + " done: " + r.runDir());
      return DONE;
    } catch (FamilyLock.Locked e) {
      inv.err().println("cemiface run: " + e.getMessage());
      return LOCKED;
    } finally {
      spark.stop();
    }
  }
}

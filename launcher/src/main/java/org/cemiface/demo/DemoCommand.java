package org.cemiface.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.SparkSettings;

/**
 * {@code demo}: the whole pipeline on the embedded default, each stage its own process with files
 * between stages, as on a cluster: render people → train-encoder → train → filter → plan → generate
 * (m = 0 set and an m sweep) → stats → FID scale → train-fr on the m = 0 set and on rendered people
 * → verify → report.
 */
public final class DemoCommand implements Command {
  /** Exit code of {@code demo --check} when a goal fails. */
  static final int GOAL_NOT_MET = 3;

  private static final Pattern LOCAL_MASTER = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "run the complete pipeline on this machine (render, train-encoder, train, filter, plan, generate, stats,"
        + " train-fr, verify)";
  }

  @Override
  public String help() {
    return "Runs every stage as its own process into <work-dir>/<demo.output> (cleared first): renders the encoder's\n"
        + "identities (render.*), the UNet's training people (demo.unet-faces.*) and demo.inquiry-candidates separate\n"
        + "inquiry candidates, trains the encoder and the CemiFace UNet (demo.train-steps), filters the candidates\n"
        + "against each other and the UNet's training people, plans and generates the volume at plan.m (dataset/)\n"
        + "and an m sweep (sweep/: demo.sweep.*), computes the statistics of both, the FID scale (fresh rendered\n"
        + "people and noise against the UNet's training people), trains a face-recognition model on the m = 0 set\n"
        + "and one on as many rendered people (train-fr.*), verifies both on a benchmark of fresh rendered people\n"
        + "(demo.benchmark.*), and prints the reports' key figures, the goal (demo.goal.*) as PASS/FAIL lines and\n"
        + "the verification table (the paper's Table 6 layout). Same seed, same figures.\n"
        + "  --check   exit with code 3 when a goal fails (for scripts and scheduled checks)\n"
        + "Keys: everything the stages read, plus demo.*.";
  }

  @Override
  public int run(Invocation inv) throws IOException, InterruptedException {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    DemoSettings demo = DemoSettings.from(r);
    String root = HadoopFiles.qualified(new Path(run.resolve(demo.output()))).toString();
    HadoopFiles.deleteRecursively(new Path(root));
    List<DemoStage> stages = stages(demo, SparkSettings.from(inv.config()).master());
    long start = System.nanoTime();
    for (int i = 0; i < stages.size(); i++) {
      DemoStage stage = stages.get(i);
      String tag =
          String.format(Locale.ROOT, "[demo %d/%d %s]", i + 1, stages.size(), stage.title());
      inv.err()
          .println(
              tag
                  + " bin/cemiface "
                  + stage.command()
                  + " "
                  + String.join(" ", stage.arguments())
                  + " "
                  + String.join(" ", stage.overrides()));
      long stageStart = System.nanoTime();
      int code = runStage(inv, root, stage, tag);
      if (code != 0) {
        inv.err()
            .println(
                tag
                    + " failed with exit code "
                    + code
                    + "; the outputs of earlier stages are in "
                    + root);
        return code;
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      inv.err()
          .printf(
              Locale.ROOT,
              "%s done in %.0f s (demo so far %.0f s, stage %d of %d)%n",
              tag,
              (System.nanoTime() - stageStart) / 1e9,
              elapsed,
              i + 1,
              stages.size());
    }
    inv.out()
        .printf(
            Locale.ROOT,
            "Demo finished in %.0f s. Outputs: %s%n",
            (System.nanoTime() - start) / 1e9,
            root);
    // The m sweep first: whether similarity follows m is the method's claim.
    for (String report : List.of("sweep/stats/report.md", "dataset/stats/report.md")) {
      Path file = new Path(root, report);
      inv.out().println("Report: " + file);
      for (String line : keyFigures(file)) {
        inv.out().println("  " + line);
      }
    }
    List<DemoGoal.Check> checks =
        demo.goal()
            .evaluate(
                DemoOutputs.control(new Path(root, "sweep/stats/summary.json")),
                DemoOutputs.fidScale(
                    new Path(root, "dataset/stats/summary.json"),
                    new Path(root, "fid-floor.json"),
                    new Path(root, "fid-ceiling.json")));
    inv.out().println("Goal (demo.goal.*):");
    for (DemoGoal.Check check : checks) {
      inv.out().println("  " + check.line());
    }
    Path table = new Path(root, "verification/verification.md");
    inv.out()
        .println(
            "Face recognition trained on each set and verified on held-out rendered people ("
                + table
                + "):");
    for (String line :
        new String(HadoopFiles.readAllBytes(table), StandardCharsets.UTF_8).split("\n")) {
      inv.out().println("  " + line);
    }
    inv.out()
        .println(
            "Grids: "
                + new Path(root, "sweep/stats/grid.png")
                + " (columns by m), "
                + new Path(root, "dataset/stats/grid.png"));
    boolean met = checks.stream().allMatch(DemoGoal.Check::holds);
    return met || !inv.has("--check") ? 0 : GOAL_NOT_MET;
  }

  @Override
  public Set<String> flags() {
    return Set.of("--check");
  }

  /**
   * The stage list for {@code demo} (paths relative to the demo's work directory) on Spark master
   * {@code master}.
   */
  static List<DemoStage> stages(DemoSettings demo, String master) {
    String sweepM =
        demo.sweepM().stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    List<String> sweep =
        List.of(
            "volume.name=sweep",
            "volume.cohorts=[{subjects="
                + demo.sweepSubjects()
                + ", images="
                + demo.sweepImages()
                + "}]",
            "volume.oversampling=0",
            "plan.m=" + sweepM,
            "plan.output=sweep/plan.parquet",
            "generate.plan=sweep/plan.parquet",
            "generate.output=sweep",
            "stats.dataset=sweep",
            "stats.output=sweep/stats",
            "stats.fid.reference=unet-faces");
    List<String> sweepGenerate = new ArrayList<>(sweep);
    localSlots(master)
        .ifPresent(
            slots ->
                sweepGenerate.add(
                    "generate.subjects-per-partition="
                        + (demo.sweepSubjects() + slots - 1) / slots));
    List<String> inquiries = List.of("plan.inquiries=inquiries/inquiries.parquet");
    return List.of(
        new DemoStage(
            "render identities", "render-identities", List.of("render.output=identities")),
        new DemoStage(
            "render inquiry candidates",
            "render-identities",
            List.of(
                "render.output=inquiry-candidates",
                "render.identities=" + demo.inquiryCandidates(),
                "render.images-per-identity=1",
                "render.first-identity=" + demo.firstCandidate())),
        new DemoStage(
            "render UNet training people",
            "render-identities",
            List.of(
                "render.output=unet-faces",
                "render.identities=" + demo.unetPeople(),
                "render.images-per-identity=" + demo.unetImages(),
                "render.first-identity=" + demo.firstUnetPerson())),
        new DemoStage("train encoder", "train-encoder", List.of("train-encoder.data=identities")),
        new DemoStage(
            "train CemiFace",
            "train",
            List.of(
                "train.data=unet-faces",
                "train.steps=" + demo.trainSteps(),
                "train.checkpoint-every=" + demo.trainSteps())),
        new DemoStage(
            "filter inquiries",
            "filter",
            List.of(
                "filter.candidates=inquiry-candidates",
                "filter.gallery=unet-faces",
                "filter.output=inquiries/inquiries.parquet")),
        new DemoStage("plan m=0 set", "plan", inquiries),
        new DemoStage("generate m=0 set", "generate", List.of()),
        new DemoStage("plan m sweep", "plan", concat(inquiries, sweep)),
        new DemoStage("generate m sweep", "generate", sweepGenerate),
        new DemoStage("stats m=0 set", "stats", List.of("stats.fid.reference=unet-faces")),
        new DemoStage("stats m sweep", "stats", sweep),
        new DemoStage(
            "render FID floor people",
            "render-identities",
            List.of(
                "render.output=fid-floor",
                "render.identities=" + demo.referencePeople(),
                "render.images-per-identity=" + demo.referenceImages(),
                "render.first-identity=" + demo.firstReferencePerson())),
        new DemoStage(
            "FID floor",
            "fid",
            List.of(),
            List.of(
                "--images",
                "fid-floor",
                "--reference",
                "unet-faces",
                "--output",
                "fid-floor.json")),
        new DemoStage(
            "FID ceiling",
            "fid",
            List.of(),
            List.of(
                "--images",
                "noise:" + demo.referencePeople() * demo.referenceImages(),
                "--reference",
                "unet-faces",
                "--output",
                "fid-ceiling.json")),
        new DemoStage(
            "render benchmark people",
            "render-identities",
            List.of(
                "render.output=benchmark-people",
                "render.identities=" + demo.benchmark().people(),
                "render.images-per-identity=" + demo.benchmark().images(),
                "render.first-identity=" + demo.benchmark().firstPerson())),
        new DemoStage(
            "make benchmark",
            "make-benchmark",
            List.of(),
            List.of(
                "--images",
                "benchmark-people",
                "--output",
                "benchmarks/rendered.bin",
                "--pairs",
                String.valueOf(demo.benchmark().pairs()))),
        new DemoStage(
            "train FR on the m=0 set",
            "train-fr",
            List.of("train-fr.data=dataset/recordio", "train-fr.output=models/fr-generated")),
        new DemoStage(
            "train FR on rendered people",
            "train-fr",
            List.of("train-fr.data=fid-floor", "train-fr.output=models/fr-rendered")),
        new DemoStage(
            "verify FR models",
            "verify",
            List.of(),
            List.of(
                "--encoder",
                "CemiFace m = 0 (generated)=djl:models/fr-generated,"
                    + "rendered people (real)=djl:models/fr-rendered",
                "--benchmarks",
                "benchmarks",
                "--output",
                "verification",
                "--real",
                "rendered people (real)")));
  }

  /**
   * How many tasks a {@code local[N]} master runs at once (empty for other masters). The sweep is
   * split into that many equal blocks: 24 subjects in blocks of 10 ran as 10 and 4 side by side and
   * then 10 alone, which more than doubled the stage (docs/benchmarks.md). Each image's noise comes
   * from its subject and index, so the split only regroups the DDIM batches: 5 of 288 images came
   * out one level apart in one pixel.
   */
  static OptionalInt localSlots(String master) {
    Matcher local = LOCAL_MASTER.matcher(master);
    if (!local.matches()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(
        local.group(1).equals("*")
            ? Runtime.getRuntime().availableProcessors()
            : Math.max(1, Integer.parseInt(local.group(1))));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static int runStage(Invocation inv, String root, DemoStage stage, String tag)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "org.cemiface.cli.Main",
            stage.command()));
    command.addAll(stage.arguments());
    for (String file : inv.config().files()) {
      command.addAll(List.of("--config", file));
    }
    List<String> overrides = new ArrayList<>(inv.config().overrides());
    overrides.add("work-dir=" + root);
    overrides.addAll(stage.overrides());
    for (String o : overrides) {
      command.addAll(List.of("--set", o));
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (shown(line)) {
          inv.err().println(tag + " " + line);
        }
      }
    }
    return process.waitFor();
  }

  /**
   * Whether a stage's output line reaches the demo's log: log4j's INFO and WARN lines stay in the
   * stage, and so does PyTorch's "Could not initialize NNPACK" warning, which processors without
   * NNPACK support print over and over (one line per image in a stats stage) and which changes
   * nothing: PyTorch then uses its other kernels.
   */
  static boolean shown(String line) {
    return !line.contains(" INFO ")
        && !line.contains(" WARN ")
        && !line.contains("Could not initialize NNPACK");
  }

  private static List<String> keyFigures(Path report) {
    List<String> out = new ArrayList<>();
    boolean inSection = false;
    for (String line :
        new String(HadoopFiles.readAllBytes(report), StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("## ")) {
        inSection = line.equals("## Key figures");
      } else if (inSection && line.startsWith("- ")) {
        out.add(line.substring(2));
      }
    }
    return out;
  }
}

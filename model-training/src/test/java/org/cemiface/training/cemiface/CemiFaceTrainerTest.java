package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigLoader;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.model.unet.UNetConfig;
import org.cemiface.nn.TorchNames;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on a tiny setup: resume equivalence, frozen encoder, corrupt data, GC safety,
 * the guard.
 */
class CemiFaceTrainerTest {
  @TempDir static java.nio.file.Path shared;
  static String data;
  static String encoderDir;
  static final CemiFaceConfig MODEL =
      new CemiFaceConfig(
          new UNetConfig(16, 3, 32, 3, 1, new int[] {1, 2}, Set.of(2), 1, 32, 0f),
          32,
          false,
          0,
          0,
          false);

  @BeforeAll
  static void setUp() throws Exception {
    RenderSettings render =
        new RenderSettings(6, 4, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(5, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new Path(shared.resolve("faces").toString()));
    data = shared.resolve("faces").toString();
    IResNetConfig cfg =
        new IResNetConfig(16, new int[] {1, 1, 1, 1}, new int[] {8, 16, 24, 32}, 8, 32, false, 0f);
    double[] half = {0.5, 0.5, 0.5};
    try (NDManager m = NDManager.newBaseManager()) {
      IResNet net = new IResNet(cfg);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
      encoderDir = shared.resolve("encoder").toString();
      DjlIdentityEncoder.save(
          net,
          new TensorLayout(16, ChannelOrder.RGB, half, half),
          encoderDir,
          "random test encoder");
    }
  }

  /**
   * The tests' train section: reference.conf's defaults under the tests' own base (4 images a step,
   * a checkpoint every 3 steps, a log line every step, a 2-inquiry sheet), then {@code overrides}.
   */
  static TrainSettings settings(int steps, double lr, int maxNonFinite, String... overrides) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "train.data=\"" + data + "\"",
                "train.output=unused",
                "train.batch-size=4",
                "train.lambda=0.05",
                "train.checkpoint-every=3",
                "train.log-every=1",
                "train.sheet-inquiries=2",
                "train.threads=1",
                "train.steps=" + steps,
                "train.lr=" + lr,
                "train.max-non-finite=" + maxNonFinite));
    all.addAll(List.of(overrides));
    return TrainSettings.from(ConfigLoader.load(List.of(), all).reader());
  }

  /** Overrides for float16 training with this loss scaler. */
  static String[] fp16(double initialScale, int growthInterval) {
    return new String[] {
      "train.precision=fp16",
      "train.loss-scale.initial=" + initialScale,
      "train.loss-scale.growth-interval=" + growthInterval
    };
  }

  static String[] with(String first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  static TrainingSummary train(
      TrainSettings s,
      String out,
      boolean resume,
      Runnable beforeBackward,
      ByteArrayOutputStream log) {
    NoiseSchedule schedule = NoiseSchedule.standard();
    try (DjlIdentityEncoder enc = DjlIdentityEncoder.fromStore(encoderDir, Device.cpu(), 8)) {
      CemiFaceTrainer t =
          new CemiFaceTrainer(
              s,
              MODEL,
              schedule,
              new DdimSampler(schedule, 3, 1.0),
              enc,
              11,
              "test {}",
              new PrintStream(log, true, StandardCharsets.UTF_8));
      t.beforeBackward = beforeBackward;
      return t.train(data, new Path(out), resume);
    }
  }

  static Map<String, float[]> weights(String dir, String name) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.load(new Path(dir), name, m);
      TorchNames.parameters(model).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
    }
    return out;
  }

  static List<Double> losses(String out) throws Exception {
    return metric(out, "loss");
  }

  static List<Double> metric(String out, String name) throws Exception {
    List<Double> l = new ArrayList<>();
    for (String line : Files.readAllLines(java.nio.file.Path.of(out, "metrics.jsonl"))) {
      l.add(JsonParser.parseString(line).getAsJsonObject().get(name).getAsDouble());
    }
    return l;
  }

  @Test
  void resumedRunFollowsTheUninterruptedOne() throws Exception {
    String straight = shared.resolve("straight").toString();
    String split = shared.resolve("split").toString();
    TrainingSummary full =
        train(settings(6, 1e-3, 5), straight, false, () -> {}, new ByteArrayOutputStream());
    assertEquals(6, full.endStep());
    train(settings(3, 1e-3, 5), split, false, () -> {}, new ByteArrayOutputStream());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingSummary resumed = train(settings(6, 1e-3, 5), split, true, () -> {}, log);
    assertEquals(3, resumed.startStep());
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("Resuming from"),
        log.toString(StandardCharsets.UTF_8));
    List<Double> a = losses(straight);
    List<Double> b = losses(split);
    assertEquals(6, a.size());
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i), b.get(i), 1e-5, "loss at step " + (i + 1));
    }
    Map<String, float[]> wa = weights(straight + "/step-0000006", "unet");
    Map<String, float[]> wb = weights(split + "/step-0000006", "unet");
    for (String k : wa.keySet()) {
      assertArrayEquals(wa.get(k), wb.get(k), 1e-5f, k);
    }
    assertTrue(Files.isRegularFile(java.nio.file.Path.of(straight, "samples-step-0000006.png")));
    assertTrue(
        Files.readString(java.nio.file.Path.of(straight, "latest")).contains("step-0000006"));
    // Both checkpoints are complete directories and no staging folder is left behind.
    try (var listing = Files.list(java.nio.file.Path.of(straight))) {
      assertEquals(
          List.of("step-0000003", "step-0000006"),
          listing
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("step-") || n.startsWith("_staging"))
              .sorted()
              .toList());
    }
  }

  @Test
  void dataParallelShardsMatchOneDevice() throws Exception {
    String single = shared.resolve("single").toString();
    String parallel = shared.resolve("parallel").toString();
    // Summing shard gradients changes float rounding. Adam's m/sqrt(v) turns such noise in
    // near-zero gradients into
    // full-size steps, so a large eps makes the update proportional to the gradient and the
    // comparison meaningful.
    TrainSettings linear = settings(3, 1e-3, 5, "train.adam-eps=1.0");
    train(linear, single, false, () -> {}, new ByteArrayOutputStream());
    // Two replicas on the CPU exercise the same split, weighting and gradient gathering as two
    // GPUs.
    trainWithAReplica(linear, parallel, () -> {});
    List<Double> a = losses(single);
    List<Double> b = losses(parallel);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i), b.get(i), 1e-5, "loss at step " + (i + 1));
    }
    Map<String, float[]> wa = weights(single + "/step-0000003", "unet");
    Map<String, float[]> wb = weights(parallel + "/step-0000003", "unet");
    for (String k : wa.keySet()) {
      assertArrayEquals(wa.get(k), wb.get(k), 1e-6f, k);
    }
    // The comparison means something only if training moved the weights away from their seeded
    // start.
    double moved = 0;
    for (Map.Entry<String, float[]> e : startWeights().entrySet()) {
      float[] before = e.getValue();
      float[] after = wa.get(e.getKey());
      for (int i = 0; i < before.length; i++) {
        moved = Math.max(moved, Math.abs(before[i] - after[i]));
      }
    }
    assertTrue(moved > 1e-5, "weights moved by at most " + moved);
  }

  @Test
  void concurrentReplicasGiveTheSequentialNumbersAndSurviveGarbageCollection() throws Exception {
    String[] eps = {"train.adam-eps=1.0"};
    String sequential = shared.resolve("replicas-sequential").toString();
    String concurrent = shared.resolve("replicas-concurrent").toString();
    String churned = shared.resolve("replicas-churned").toString();
    trainWithAReplica(
        settings(3, 1e-3, 5, concat(eps, "train.concurrent-replicas=false")), sequential, () -> {});
    trainWithAReplica(
        settings(3, 1e-3, 5, concat(eps, "train.concurrent-replicas=true")), concurrent, () -> {});
    // Collections forced on both shard threads between forward and backward.
    trainWithAReplica(
        settings(3, 1e-3, 5, concat(eps, "train.concurrent-replicas=true")),
        churned,
        () -> churnGarbage(1));
    assertEquals(losses(sequential), losses(concurrent));
    assertEquals(losses(concurrent), losses(churned));
    Map<String, float[]> a = weights(sequential + "/step-0000003", "unet");
    Map<String, float[]> b = weights(concurrent + "/step-0000003", "unet");
    Map<String, float[]> c = weights(churned + "/step-0000003", "unet");
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), 0f, k);
      assertArrayEquals(b.get(k), c.get(k), 0f, k);
    }
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }

  /** Trains with one replica on a second CPU "device" (the same split as two GPUs). */
  private static void trainWithAReplica(TrainSettings s, String out, Runnable beforeBackward) {
    NoiseSchedule schedule = NoiseSchedule.standard();
    try (DjlIdentityEncoder primary = DjlIdentityEncoder.fromStore(encoderDir, Device.cpu(), 8);
        DjlIdentityEncoder second = DjlIdentityEncoder.fromStore(encoderDir, Device.cpu(), 8)) {
      CemiFaceTrainer t =
          new CemiFaceTrainer(
                  s,
                  MODEL,
                  schedule,
                  new DdimSampler(schedule, 3, 1.0),
                  primary,
                  11,
                  "test {}",
                  new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
              .withReplicas(List.of(second));
      t.beforeBackward = beforeBackward;
      t.train(data, new Path(out), false);
    }
  }

  @Test
  void existingCheckpointWithoutResumeIsRefused() {
    String out = shared.resolve("refuse").toString();
    train(settings(3, 1e-3, 5), out, false, () -> {}, new ByteArrayOutputStream());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> train(settings(6, 1e-3, 5), out, false, () -> {}, new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
  }

  @Test
  void frozenEncoderIsUnchangedByTraining() {
    Map<String, float[]> before = encoderWeights();
    train(
        settings(3, 1e-2, 5),
        shared.resolve("frozen").toString(),
        false,
        () -> {},
        new ByteArrayOutputStream());
    Map<String, float[]> after = encoderWeights();
    for (String k : before.keySet()) {
      assertArrayEquals(before.get(k), after.get(k), 0f, k);
    }
  }

  private static Map<String, float[]> encoderWeights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (DjlIdentityEncoder enc = DjlIdentityEncoder.fromStore(encoderDir, Device.cpu(), 8)) {
      for (Map.Entry<String, Parameter> e : TorchNames.parameters(enc.network()).entrySet()) {
        out.put(e.getKey(), e.getValue().getArray().toFloatArray());
      }
    }
    return out;
  }

  @Test
  void float16TrainingFollowsFloat32() throws Exception {
    String full = shared.resolve("fp32-reference").toString();
    String half = shared.resolve("fp16").toString();
    // Large Adam eps: updates proportional to the gradients, so float16's gradient error shows in
    // the weights.
    train(
        settings(6, 1e-3, 5, "train.adam-eps=1.0"),
        full,
        false,
        () -> {},
        new ByteArrayOutputStream());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingSummary s =
        train(
            settings(6, 1e-3, 5, with("train.adam-eps=1.0", fp16(65536, 2000))),
            half,
            false,
            () -> {},
            log);
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("Mixed precision: float16 compute"),
        log.toString(StandardCharsets.UTF_8));
    assertEquals(0, s.nonFiniteSteps());
    assertEquals(0, s.overflowSteps());
    assertEquals(0, s.nonFiniteWeights());
    List<Double> a = metric(full, "mse");
    List<Double> b = metric(half, "mse");
    assertEquals(6, b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i), b.get(i), 5e-3 * a.get(i), "L_MSE at step " + (i + 1));
    }
    assertEquals(
        List.of(65536.0, 65536.0, 65536.0, 65536.0, 65536.0, 65536.0), metric(half, "loss_scale"));
    Map<String, float[]> start = startWeights();
    Map<String, float[]> wa = weights(full + "/step-0000006", "unet");
    Map<String, float[]> wb = weights(half + "/step-0000006", "unet");
    double moved = 0;
    double apart = 0;
    for (String k : wa.keySet()) {
      for (int i = 0; i < wa.get(k).length; i++) {
        moved += Math.pow(wa.get(k)[i] - start.get(k)[i], 2);
        apart += Math.pow(wa.get(k)[i] - wb.get(k)[i], 2);
      }
    }
    // The float16 run's total update is the float32 run's within a few percent.
    assertTrue(moved > 0, "training did not move the weights");
    assertTrue(
        Math.sqrt(apart / moved) < 0.05,
        "float16 weights differ by " + Math.sqrt(apart / moved) + " of the float32 update");
  }

  @Test
  void float16RunResumesWithItsLossScale() throws Exception {
    String straight = shared.resolve("fp16-straight").toString();
    String split = shared.resolve("fp16-split").toString();
    // Growth every 2 clean steps: the scale changes during the run, so a lost scale would show.
    TrainingSummary full =
        train(
            settings(6, 1e-3, 5, fp16(1024, 2)),
            straight,
            false,
            () -> {},
            new ByteArrayOutputStream());
    assertEquals(8192, full.lossScale());
    train(settings(3, 1e-3, 5, fp16(1024, 2)), split, false, () -> {}, new ByteArrayOutputStream());
    TrainingSummary resumed =
        train(
            settings(6, 1e-3, 5, fp16(1024, 2)),
            split,
            true,
            () -> {},
            new ByteArrayOutputStream());
    assertEquals(full.lossScale(), resumed.lossScale());
    assertEquals(metric(straight, "loss_scale"), metric(split, "loss_scale"));
    List<Double> a = losses(straight);
    List<Double> b = losses(split);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i), b.get(i), 1e-5, "loss at step " + (i + 1));
    }
  }

  @Test
  void overflowingLossScaleBacksOffInsteadOfFailing() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    // Measured: this setup's float16 gradients overflow above a scale of 2^18, so 2^20 must back
    // off twice.
    TrainingSummary s =
        train(
            settings(6, 1e-3, 2, fp16(1 << 20, 2000)),
            shared.resolve("overflow").toString(),
            false,
            () -> {},
            log);
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(
        s.overflowSteps() >= 1 && s.overflowSteps() < 6,
        "overflow steps " + s.overflowSteps() + "\n" + text);
    assertEquals(0, s.nonFiniteSteps());
    assertEquals(0, s.nonFiniteWeights());
    assertEquals((1 << 20) / Math.pow(2, s.overflowSteps()), s.lossScale());
    assertTrue(text.contains("float16 gradients overflowed at loss scale 1048576"), text);
    // Steps after the back-off update the weights (a progress line is written for updated steps
    // only): gradients
    // were cleared of the overflow's infinities. A later overflow at the lowered scale may skip
    // another step.
    assertTrue(Pattern.compile("\\[train\\] step [3-6]/6 loss \\d").matcher(text).find(), text);
  }

  private static Map<String, float[]> startWeights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(Long.hashCode(11));
      CemiFaceUNet start = CemiFaceStore.create(MODEL, m);
      TorchNames.parameters(start).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
    }
    return out;
  }

  @Test
  void garbageCollectionBetweenForwardAndBackwardChangesNothing() {
    for (String[] precision : List.of(new String[0], fp16(65536, 2000))) {
      String name = precision.length == 0 ? "FP32" : "FP16";
      String calm = shared.resolve("calm-" + name).toString();
      String churned = shared.resolve("churned-" + name).toString();
      assertGarbageCollectionChangesNothing(settings(3, 1e-3, 5, precision), calm, churned);
    }
  }

  /** Forced collections with direct buffers allocated and dropped in between. */
  private static void churnGarbage(int rounds) {
    for (int i = 0; i < rounds; i++) {
      System.gc();
      List<ByteBuffer> junk = new ArrayList<>();
      for (int k = 0; k < 100; k++) {
        junk.add(ByteBuffer.allocateDirect(64 * 1024));
      }
      junk.clear();
    }
    System.gc();
  }

  private static void assertGarbageCollectionChangesNothing(
      TrainSettings settings, String calm, String churned) {
    train(settings, calm, false, () -> {}, new ByteArrayOutputStream());
    train(settings, churned, false, () -> churnGarbage(3), new ByteArrayOutputStream());
    Map<String, float[]> a = weights(calm + "/step-0000003", "unet");
    Map<String, float[]> b = weights(churned + "/step-0000003", "unet");
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), 0f, k);
    }
  }

  @Test
  void corruptImageIsSkippedAndCounted() throws Exception {
    java.nio.file.Path faces = shared.resolve("faces-with-corrupt");
    java.nio.file.Path source = java.nio.file.Path.of(data);
    try (var files = Files.walk(source)) {
      for (java.nio.file.Path f : files.toList()) {
        java.nio.file.Path target = faces.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Files.write(faces.resolve("0000002/1.png"), new byte[] {1, 2, 3});
    TrainSettings s =
        settings(
            6,
            1e-3,
            5,
            "train.data=\"" + faces + "\"",
            "train.checkpoint-every=6",
            "train.sheet-inquiries=0");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    NoiseSchedule schedule = NoiseSchedule.standard();
    TrainingSummary summary;
    try (DjlIdentityEncoder enc = DjlIdentityEncoder.fromStore(encoderDir, Device.cpu(), 8)) {
      summary =
          new CemiFaceTrainer(
                  s,
                  MODEL,
                  schedule,
                  new DdimSampler(schedule, 3, 1.0),
                  enc,
                  11,
                  "test {}",
                  new PrintStream(log, true, StandardCharsets.UTF_8))
              .train(faces.toString(), new Path(shared.resolve("corrupt").toString()), false);
    }
    assertEquals(1, summary.skippedImages());
    assertEquals(6, summary.endStep());
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("skipping unreadable image")
            && log.toString(StandardCharsets.UTF_8).contains("0000002/1.png"),
        log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void repeatedNonFiniteStepsStopTheRunWithAClearError() {
    // A rate far above what train.lr accepts (at most 10), so the weights overflow within a few
    // steps.
    TrainSettings s = settings(20, 1e-3, 2);
    TrainSettings.Optimiser o = s.optimiser();
    TrainSettings exploding =
        new TrainSettings(
            s.data(),
            s.output(),
            s.batchSize(),
            s.steps(),
            s.epochs(),
            new TrainSettings.Optimiser(
                1e30, o.warmupSteps(), o.beta1(), o.beta2(), o.adamEps(), o.weightDecay(), o.ema()),
            s.objective(),
            s.guard(),
            s.reporting(),
            s.execution(),
            s.start());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                train(
                    exploding,
                    shared.resolve("explode").toString(),
                    false,
                    () -> {},
                    new ByteArrayOutputStream()));
    assertTrue(
        e.getMessage().contains("consecutive training steps had a non-finite loss"),
        e.getMessage());
  }
}

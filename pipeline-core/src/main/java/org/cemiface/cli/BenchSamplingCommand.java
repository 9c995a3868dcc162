package org.cemiface.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.cuda.CudaUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.SamplingSettings;
import org.cemiface.encoder.Embeddings;
import org.cemiface.image.RgbImage;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.nn.Precision;
import org.cemiface.stats.Median;

/**
 * {@code bench-sampling}: the device-side rates of generation and filtering on one device, as
 * docs/benchmarks.md rows: DDIM sampling images/s of the configured UNet per precision and batch,
 * the fp16-vs-fp32 difference of the same samples, one filter block product, and the device's
 * memory in use. A GPU that PyTorch cannot see is an error, never a silent run on the CPU.
 */
public final class BenchSamplingCommand implements Command {
  @Override
  public String name() {
    return "bench-sampling";
  }

  @Override
  public String summary() {
    return "device-side rates: DDIM sampling per precision and batch, fp16-vs-fp32 difference, one filter block";
  }

  @Override
  public String help() {
    return "On --device (default gpu0; cpu allowed), loads the UNet checkpoint --model (a training output or a\n"
        + "checkpoint directory, relative to work-dir), or builds the UNet of model.* with random weights (rates do\n"
        + "not depend on the weights; the fp16-vs-fp32 difference does), and samples sampling.steps DDIM steps at m = 0 for each batch of --batches\n"
        + "(default 16,32,64) and precision of --precisions (default fp32,fp16): one warm-up batch, then\n"
        + "--repeats (default 2) timed batches. Then the mean and largest absolute pixel difference (0-255) of the\n"
        + "same samples at fp16 and fp32, and one filter.block-size x filter.block-size product of unit\n"
        + "--embedding-size (default 512) embeddings. On a GPU, also the memory in use after each measurement\n"
        + "(the largest is printed). Fails when --device names a GPU PyTorch does not see.";
  }

  @Override
  public Set<String> options() {
    return Set.of(
        "--device", "--model", "--batches", "--precisions", "--repeats", "--embedding-size");
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    Device device = device(inv.option("--device").orElse("gpu0"));
    int[] batches = inv.wholeNumbers("--batches", "16,32,64", 1);
    List<Precision> precisions = new ArrayList<>();
    for (String p : inv.option("--precisions").orElse("fp32,fp16").split(",")) {
      precisions.add(Precision.parse(p, "--precisions"));
    }
    int repeats = inv.wholeNumber("--repeats", "2", 1);
    int embedding = inv.wholeNumber("--embedding-size", "512", 1);
    NoiseSchedule schedule = NoiseSchedule.from(r.section("diffusion"));
    DdimSampler sampler = SamplingSettings.from(r, schedule).sampler(schedule);
    long peak = 0;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      CemiFaceUNet unet =
          inv.option("--model").isPresent()
              ? load(RunSettings.from(r).resolve(inv.option("--model").get()), manager)
              : CemiFaceStore.create(CemiFaceConfig.from(r, embedding, 0, 0), manager);
      CemiFaceConfig config = unet.config();
      int identity = config.identityDim();
      int size = config.unet().imageSize();
      inv.out()
          .printf(
              Locale.ROOT,
              "| precision | device | UNet, DDIM steps | batch | images/s, median (runs) |%n|---|---|---|---|---|%n");
      List<List<RgbImage>> firstBatch = new ArrayList<>();
      for (Precision precision : precisions) {
        CemiFaceGenerator generator =
            new CemiFaceGenerator(
                unet, sampler, new ParameterStore(manager, false), precision, 1.0);
        for (int b : batches) {
          Conditions c = conditions(b, identity);
          List<RgbImage> warm = generator.generate(manager, c.ids, null, c.m, c.seeds);
          if (b == batches[0]) {
            firstBatch.add(warm);
          }
          double[] runs = new double[repeats];
          for (int k = 0; k < repeats; k++) {
            long start = System.nanoTime();
            generator.generate(manager, c.ids, null, c.m, c.seeds);
            runs[k] = b / ((System.nanoTime() - start) / 1e9);
          }
          peak = Math.max(peak, memoryInUse(device));
          inv.out()
              .printf(
                  Locale.ROOT,
                  "| %s | %s | %d px, %,d channels, %d steps | %d | %.1f (%s) |%n",
                  precision.key(),
                  device,
                  size,
                  config.unet().modelChannels(),
                  sampler.timesteps().length,
                  b,
                  Median.of(runs),
                  join(runs));
        }
      }
      if (firstBatch.size() == 2) {
        double[] diff = difference(firstBatch.get(0), firstBatch.get(1));
        inv.out()
            .printf(
                Locale.ROOT,
                "%s vs %s, the same %d samples: mean |difference| %.3f, largest %.0f (0-255 pixels)%n",
                precisions.get(1).key(),
                precisions.get(0).key(),
                batches[0],
                diff[0],
                diff[1]);
      }
      int block = r.intIn("filter.block-size", 1, 1 << 20);
      double seconds = blockProduct(manager, block, embedding);
      peak = Math.max(peak, memoryInUse(device));
      inv.out()
          .printf(
              Locale.ROOT,
              "filter block product %d x %d x %d on %s: %.1f ms (%.3g pairs/s)%n",
              block,
              block,
              embedding,
              device,
              seconds * 1e3,
              (double) block * block / seconds);
    }
    inv.out()
        .println(
            device.isGpu()
                ? String.format(
                    Locale.ROOT,
                    "GPU memory in use, largest seen: %.2f GiB",
                    peak / (double) (1L << 30))
                : "GPU memory: n/a on the CPU");
    return 0;
  }

  private static CemiFaceUNet load(String model, NDManager manager) {
    ModelWeights weights = ModelWeights.locate(new Path(model), "ema");
    return CemiFaceStore.load(weights.dir(), weights.name(), manager);
  }

  /** {@code name} as a device PyTorch has; a GPU it cannot see is an error, not a CPU run. */
  static Device device(String name) {
    Device d;
    try {
      d = Device.fromName(name.replace(":", ""));
    } catch (IllegalArgumentException e) {
      throw new UsageError("--device '" + name + "' is not a device name (cpu, gpu0, gpu1, ...)");
    }
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    if (d.isGpu() && d.getDeviceId() >= gpus) {
      throw new IllegalStateException(
          "--device "
              + name
              + ": PyTorch sees "
              + gpus
              + " GPU(s). A CUDA build of libtorch must be where DJL finds it (PYTORCH_LIBRARY_PATH,"
              + " PYTORCH_VERSION, PYTORCH_FLAVOR; docs/operations.md, \"GPU nodes\"); nothing ran on the"
              + " CPU instead.");
    }
    return d;
  }

  private record Conditions(float[][] ids, float[] m, long[] seeds) {}

  private static Conditions conditions(int batch, int dimension) {
    SplittableRandom random = new SplittableRandom(7);
    float[] flat = new float[batch * dimension];
    for (int k = 0; k < flat.length; k++) {
      flat[k] = (float) random.nextDouble(-1, 1);
    }
    float[][] ids = Embeddings.normalizedRows(flat, batch);
    long[] seeds = new long[batch];
    Arrays.setAll(seeds, i -> i);
    return new Conditions(ids, new float[batch], seeds);
  }

  /** Seconds of one block x block product of unit embeddings (after a warm-up product). */
  private static double blockProduct(NDManager manager, int block, int dimension) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = scope.randomNormal(new Shape(block, dimension));
      a = a.div(a.norm(new int[] {1}, true));
      a.matMul(a.transpose()).max().getFloat();
      long start = System.nanoTime();
      // Reading one value back waits for the product: GPU kernels run asynchronously.
      a.matMul(a.transpose()).max().getFloat();
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static long memoryInUse(Device device) {
    return device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed() : 0;
  }

  private static double[] difference(List<RgbImage> a, List<RgbImage> b) {
    double sum = 0;
    double max = 0;
    long n = 0;
    for (int i = 0; i < a.size(); i++) {
      byte[] x = a.get(i).data();
      byte[] y = b.get(i).data();
      for (int k = 0; k < x.length; k++) {
        int d = Math.abs((x[k] & 0xff) - (y[k] & 0xff));
        sum += d;
        max = Math.max(max, d);
        n++;
      }
    }
    return new double[] {sum / n, max};
  }

  private static String join(double[] runs) {
    StringBuilder s = new StringBuilder();
    for (double v : runs) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
    }
    return s.toString();
  }
}

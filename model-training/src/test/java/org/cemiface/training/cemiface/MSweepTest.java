package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cemiface.data.ImageEntry;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.Prediction;
import org.cemiface.encoder.Embeddings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.unet.UNetConfig;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The m sweep: its table equals the cosines computed sample by sample, its grid rows, and the
 * inquiry picking.
 */
class MSweepTest {
  private static final CemiFaceConfig CONFIG =
      new CemiFaceConfig(
          new UNetConfig(16, 3, 32, 3, 1, new int[] {1, 2}, Set.of(2), 1, 32, 0f),
          3,
          false,
          0,
          0,
          true,
          true,
          Prediction.V,
          false);

  @Test
  void meansAndSpreadsAreTheSampleCosinesPerM() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(13);
      CemiFaceUNet model = CemiFaceStore.create(CONFIG, m);
      for (Parameter p : TorchNames.parameters(model).values()) {
        try (NDManager tmp = m.newSubManager()) {
          p.getArray()
              .set(
                  tmp.randomNormal(0, 0.2f, p.getArray().getShape(), DataType.FLOAT32)
                      .toByteBuffer());
        }
      }
      CemiFaceGenerator generator =
          new CemiFaceGenerator(
              model,
              new DdimSampler(NoiseSchedule.standard(), 3, 0.0),
              new ParameterStore(m, false));
      IdentityEncoder encoder = new MeanColourEncoder();
      List<RgbImage> inquiries = List.of(flat(16, 200, 40, 40), flat(16, 30, 90, 220));
      float[] ms = {1f, -0.5f};
      MSweep.Seeding seeding = (i, j, k) -> 1000L * i + 10L * j + k;
      List<Integer> progress = new ArrayList<>();
      MSweep.Result r = MSweep.run(inquiries, encoder, generator, m, ms, 3, seeding, progress::add);

      assertEquals(List.of(1, 2), progress);
      assertEquals(6, r.samplesPerM());
      assertEquals(2, r.rows().size());
      assertEquals(3, r.rows().get(0).size(), "the inquiry, then one sample per m");
      assertSame(inquiries.get(1), r.rows().get(1).get(0), "each row starts with its inquiry");
      float[][] ids = encoder.embed(inquiries);
      for (int j = 0; j < ms.length; j++) {
        List<Double> cos = new ArrayList<>();
        for (int i = 0; i < inquiries.size(); i++) {
          for (int k = 0; k < 3; k++) {
            RgbImage sample =
                generator
                    .generate(
                        m,
                        new float[][] {ids[i]},
                        null,
                        new float[] {ms[j]},
                        new long[] {seeding.seed(i, j, k)})
                    .get(0);
            cos.add(Embeddings.cosine(ids[i], encoder.embed(List.of(sample))[0]));
            if (k == 0) {
              assertEquals(
                  0.0,
                  sample.meanAbsDifference(r.rows().get(i).get(1 + j)),
                  0.01,
                  "grid cell " + i + "," + j);
            }
          }
        }
        double mean = cos.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double var = cos.stream().mapToDouble(c -> (c - mean) * (c - mean)).average().orElseThrow();
        assertEquals(mean, r.mean()[j], 1e-5, "mean at m = " + ms[j]);
        assertEquals(Math.sqrt(var), r.std()[j], 1e-4, "std at m = " + ms[j]);
      }
      assertTrue(r.std()[0] > 0, "the samples differ, so their cosines do");
    }
  }

  @Test
  void firstImagesTakesOnePerIdentityAndSkipsUnreadableOnes(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("a.png");
    Files.write(good, ImageEncoder.png(flat(8, 10, 20, 30)));
    Path broken = dir.resolve("broken.png");
    Files.write(broken, new byte[] {1, 2, 3});
    Path other = dir.resolve("b.png");
    Files.write(other, ImageEncoder.png(flat(8, 200, 20, 30)));
    List<ImageEntry> entries =
        List.of(
            entry(good, 0),
            entry(good, 0),
            entry(broken, 1),
            entry(other, 1),
            entry(good, 2),
            entry(other, 3));
    List<String> skipped = new ArrayList<>();
    List<RgbImage> first = MSweep.firstImages(entries, 3, skipped::add);
    assertEquals(3, first.size());
    assertEquals(200, first.get(1).channel(0, 0, 0), "identity 1 falls back to b.png");
    assertEquals(1, skipped.size());
    assertTrue(skipped.get(0).startsWith("broken.png: "), skipped.get(0));
  }

  private static ImageEntry entry(Path file, int label) {
    return new ImageEntry(file.toString(), label, file.getFileName().toString());
  }

  private static RgbImage flat(int size, int r, int g, int b) {
    byte[] rgb = new byte[size * size * 3];
    for (int p = 0; p < size * size; p++) {
      rgb[p * 3] = (byte) r;
      rgb[p * 3 + 1] = (byte) g;
      rgb[p * 3 + 2] = (byte) b;
    }
    return new RgbImage(size, size, rgb);
  }

  /** A stand-in encoder: the image's mean colour minus grey, normalised. */
  private static final class MeanColourEncoder implements IdentityEncoder {
    @Override
    public int dimension() {
      return 3;
    }

    @Override
    public TensorLayout layout() {
      double[] half = {0.5, 0.5, 0.5};
      return new TensorLayout(16, ChannelOrder.RGB, half, half);
    }

    @Override
    public float[][] embed(List<RgbImage> images) {
      float[][] out = new float[images.size()][];
      for (int n = 0; n < images.size(); n++) {
        RgbImage img = images.get(n);
        double[] sum = new double[3];
        for (int y = 0; y < img.height(); y++) {
          for (int x = 0; x < img.width(); x++) {
            for (int c = 0; c < 3; c++) {
              sum[c] += img.channel(x, y, c) - 127.5;
            }
          }
        }
        double norm = Math.sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]) + 1e-12;
        out[n] =
            new float[] {(float) (sum[0] / norm), (float) (sum[1] / norm), (float) (sum[2] / norm)};
      }
      return out;
    }

    @Override
    public void close() {}
  }
}

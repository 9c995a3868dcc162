package org.cemiface.model.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Set;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.Prediction;
import org.cemiface.image.RgbImage;
import org.cemiface.model.unet.UNetConfig;
import org.cemiface.nn.Precision;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;

/**
 * Similarity guidance ε̂(m=0) + w·(ε̂(m) − ε̂(m=0)): its two fixed points and that it changes what
 * m asks for.
 */
class SimilarityGuidanceTest {
  private static final CemiFaceConfig CONFIG =
      new CemiFaceConfig(
          new UNetConfig(16, 3, 32, 3, 1, new int[] {1, 2}, Set.of(2), 1, 32, 0f),
          32,
          false,
          0,
          0,
          true,
          true,
          Prediction.V,
          false);
  private static final long[] SEEDS = {3, 4};

  @Test
  void guidanceLeavesMZeroAloneAndWeightZeroSamplesMZero() {
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = randomModel(m);
      float[][] ids = identities();
      List<RgbImage> plainZero = generate(m, model, 1.0, ids, new float[] {0f, 0f});
      List<RgbImage> guidedZero = generate(m, model, 4.0, ids, new float[] {0f, 0f});
      List<RgbImage> weightZero = generate(m, model, 0.0, ids, new float[] {1f, -0.5f});
      for (int i = 0; i < SEEDS.length; i++) {
        // At m = 0 the conditional and the reference prediction are the same forward rows.
        assertEquals(
            0.0, plainZero.get(i).meanAbsDifference(guidedZero.get(i)), 0.01, "m = 0, sample " + i);
        // w = 0 keeps only the reference ε̂(m=0), whatever m was asked for.
        assertEquals(
            0.0, plainZero.get(i).meanAbsDifference(weightZero.get(i)), 0.01, "w = 0, sample " + i);
      }
    }
  }

  @Test
  void guidanceAboveOneMovesSamplesFurtherFromTheMZeroSampleThanPlainSampling() {
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = randomModel(m);
      float[][] ids = identities();
      float[] ms = {1f, -0.5f};
      List<RgbImage> zero = generate(m, model, 1.0, ids, new float[] {0f, 0f});
      List<RgbImage> plain = generate(m, model, 1.0, ids, ms);
      List<RgbImage> guided = generate(m, model, 3.0, ids, ms);
      for (int i = 0; i < SEEDS.length; i++) {
        double plainShift = plain.get(i).meanAbsDifference(zero.get(i));
        double guidedShift = guided.get(i).meanAbsDifference(zero.get(i));
        System.out.printf(
            "sample %d: m moves it %.2f levels plain, %.2f guided%n", i, plainShift, guidedShift);
        assertTrue(
            plainShift > 0.5,
            "m barely changes the random model's sample " + i + ": " + plainShift);
        assertTrue(
            guidedShift > 1.5 * plainShift,
            "sample " + i + ": guided shift " + guidedShift + " vs plain " + plainShift);
      }
    }
  }

  private static List<RgbImage> generate(
      NDManager m, CemiFaceUNet model, double guidance, float[][] ids, float[] ms) {
    DdimSampler sampler = new DdimSampler(NoiseSchedule.standard(), 5, 0.0);
    return new CemiFaceGenerator(
            model, sampler, new ParameterStore(m, false), Precision.FP32, guidance)
        .generate(m, ids, null, ms, SEEDS);
  }

  private static CemiFaceUNet randomModel(NDManager m) {
    Engine.getInstance().setRandomSeed(11);
    CemiFaceUNet model = CemiFaceStore.create(CONFIG, m);
    for (Parameter p : TorchNames.parameters(model).values()) {
      try (NDManager tmp = m.newSubManager()) {
        // Away from the zero-initialised output layers, so the condition reaches the output.
        p.getArray()
            .set(
                tmp.randomNormal(0, 0.2f, p.getArray().getShape(), DataType.FLOAT32)
                    .toByteBuffer());
      }
    }
    return model;
  }

  private static float[][] identities() {
    float[][] ids = new float[2][32];
    for (int i = 0; i < 32; i++) {
      ids[0][i] = (float) Math.sin(i);
      ids[1][i] = (float) Math.cos(i);
    }
    return ids;
  }
}

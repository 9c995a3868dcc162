package org.cemiface.training.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.cemiface.nn.Tensors;
import org.junit.jupiter.api.Test;

class SpreadOutTest {
  private static final int[] THREE_PEOPLE = {0, 0, 1, 2};

  private static double loss(float[] emb, int[] labels, int d) {
    try (NDManager m = NDManager.newBaseManager()) {
      return SpreadOut.loss(Tensors.floats(m, emb, new Shape(labels.length, d)), labels, m)
          .getFloat();
    }
  }

  @Test
  void orthogonalPeopleCostNothingAndSamePersonPairsAreIgnored() {
    // Images 0 and 1 are one person (identical embeddings); 2 and 3 are orthogonal to them and to
    // each other.
    float[] emb = {1, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0};
    assertEquals(0, loss(emb, THREE_PEOPLE, 4), 1e-6);
  }

  @Test
  void identicalDifferentPeopleCostTheMeanSquaredPlusTheExcessSecondMoment() {
    float[] emb = {1, 1, 1, 1, 1, 1, 1, 1};
    // Every different-people cosine is 1: mean 1, second moment 1; 1 + (1 - 1/2).
    assertEquals(1 + (1 - 0.5), loss(emb, new int[] {0, 1, 2, 3}, 2), 1e-6);
  }

  @Test
  void theSecondMomentCountsOnlyAboveOneOverTheDimension() {
    // Two people at 60 degrees in 2-d: mean 0.5 squared, second moment 0.25 is below 1/2 so it
    // costs nothing.
    float[] emb = {1, 0, 0.5f, (float) Math.sqrt(0.75)};
    assertEquals(0.25, loss(emb, new int[] {0, 1}, 2), 1e-6);
  }

  @Test
  void itsGradientSpreadsDifferentPeopleApart() {
    SplittableRandom r = new SplittableRandom(3);
    int b = 8;
    int d = 16;
    float[] emb = new float[b * d];
    for (int i = 0; i < emb.length; i++) {
      emb[i] = 1f + 0.3f * (float) r.nextGaussian();
    }
    int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
    double before = SpreadOut.measure(rows(emb, b, d), labels).meanAbs();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Tensors.floats(m, emb, new Shape(b, d));
      for (int step = 0; step < 50; step++) {
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          gc.backward(SpreadOut.loss(x, labels, m));
        }
        x = x.sub(x.getGradient().mul(2f)).duplicate();
      }
      double after = SpreadOut.measure(rows(x.toFloatArray(), b, d), labels).meanAbs();
      assertTrue(before > 0.8, "start: " + before);
      assertTrue(after < 0.3, "after 50 steps: " + after);
    }
  }

  @Test
  void measureReportsTheDifferentPeoplePairsOnly() {
    float[][] emb = {{1, 0}, {1, 0}, {0, 1}, {-1, 0}};
    SpreadOut.Impostors s = SpreadOut.measure(emb, THREE_PEOPLE);
    // Pairs of different people: (0,2)=0, (0,3)=-1, (1,2)=0, (1,3)=-1, (2,3)=0.
    assertEquals(5, s.pairs());
    assertEquals(-0.4, s.mean(), 1e-9);
    assertEquals(0.4, s.meanAbs(), 1e-9);
    assertEquals(Math.sqrt(0.4 - 0.16), s.std(), 1e-9);
  }

  private static float[][] rows(float[] flat, int b, int d) {
    float[][] out = new float[b][d];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }
}

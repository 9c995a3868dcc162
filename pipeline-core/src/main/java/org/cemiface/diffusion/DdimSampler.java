package org.cemiface.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.cemiface.nn.Tensors;
import org.cemiface.random.Gaussian;
import org.cemiface.random.Seeds;

/**
 * Deterministic-or-stochastic DDIM sampling (Song et al.): evenly spaced timesteps T/steps apart
 * ending at 0, x̂0 clipped to [−1, 1] and ε recomputed from it, ᾱ_prev = 1 after the last step,
 * noise scale η.
 *
 * <p>Every sample's noise (the start x_T and each step's z) is drawn from its own seed, so an image
 * depends only on its seed, never on the batch it ran in. Each step runs in its own NDManager scope
 * so native memory stays flat over long runs.
 */
public final class DdimSampler {
  private static final long STREAM_START = 0x5A;
  private final NoiseSchedule schedule;
  private final int[] timesteps;
  private final double eta;

  /**
   * A sampler with {@code steps} steps and noise scale {@code eta} (0: deterministic DDIM, 1:
   * DDPM-like).
   */
  public DdimSampler(NoiseSchedule schedule, int steps, double eta) {
    if (steps < 1 || steps > schedule.timesteps()) {
      throw new IllegalArgumentException(
          "DDIM steps must be in [1, " + schedule.timesteps() + "], got " + steps);
    }
    if (eta < 0) {
      throw new IllegalArgumentException("eta must be >= 0, got " + eta);
    }
    this.schedule = schedule;
    this.eta = eta;
    int ratio = schedule.timesteps() / steps;
    timesteps = new int[steps];
    for (int i = 0; i < steps; i++) {
      timesteps[i] = (steps - 1 - i) * ratio;
    }
  }

  /** The forward process this sampler inverts. */
  public NoiseSchedule schedule() {
    return schedule;
  }

  /** The timesteps visited, from the noisiest to 0. */
  public int[] timesteps() {
    return timesteps.clone();
  }

  /**
   * Generates one image per seed, shape [B, C, H, W] in [−1, 1], attached to {@code manager}. The
   * model sees x_t and the timestep; conditions are the caller's business (captured by the model).
   */
  public NDArray sample(NDManager manager, EpsilonModel model, long[] seeds, Shape imageShape) {
    NDArray x = noise(manager, seeds, imageShape, -1);
    for (int i = 0; i < timesteps.length; i++) {
      int t = timesteps[i];
      int prev = i + 1 < timesteps.length ? timesteps[i + 1] : -1;
      try (NDManager step = manager.newSubManager()) {
        x.attach(step);
        NDArray next = step(x, t, prev, model, seeds, imageShape, i);
        next.attach(manager);
        x = next;
      }
    }
    return x;
  }

  private NDArray step(
      NDArray x, int t, int prev, EpsilonModel model, long[] seeds, Shape imageShape, int index) {
    int b = seeds.length;
    int[] ts = new int[b];
    Arrays.fill(ts, t);
    NDArray eps = model.predict(x, ts);
    double ab = schedule.alphaBar(t);
    double abPrev = prev >= 0 ? schedule.alphaBar(prev) : 1.0;
    NDArray x0 =
        Tensors.times(x.sub(Tensors.times(eps, Math.sqrt(1 - ab))), 1 / Math.sqrt(ab)).clip(-1, 1);
    // ε consistent with the clipped x̂0, as guided-diffusion's DDIM does.
    NDArray epsClipped =
        Tensors.times(x.sub(Tensors.times(x0, Math.sqrt(ab))), 1 / Math.sqrt(1 - ab));
    double sigma =
        eta * Math.sqrt((1 - abPrev) / (1 - ab)) * Math.sqrt(Math.max(0, 1 - ab / abPrev));
    NDArray next =
        Tensors.times(x0, Math.sqrt(abPrev))
            .add(Tensors.times(epsClipped, Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma))));
    if (sigma > 0 && prev >= 0) {
      next =
          next.add(
              Tensors.times(
                  noise(x.getManager(), seeds, imageShape, index).toDevice(x.getDevice(), false),
                  sigma));
    }
    return next;
  }

  /** Standard normal noise per sample from (seed, step); step −1 is the starting x_T. */
  private static NDArray noise(NDManager manager, long[] seeds, Shape imageShape, int step) {
    int per = Math.toIntExact(imageShape.size());
    float[] data = new float[seeds.length * per];
    for (int s = 0; s < seeds.length; s++) {
      SplittableRandom r = new SplittableRandom(Seeds.derive(seeds[s], STREAM_START, step + 1L, 0));
      for (int i = 0; i < per; i++) {
        data[s * per + i] = (float) Gaussian.next(r);
      }
    }
    long[] shape = new long[imageShape.dimension() + 1];
    shape[0] = seeds.length;
    System.arraycopy(imageShape.getShape(), 0, shape, 1, imageShape.dimension());
    return Tensors.floats(manager, data, new Shape(shape));
  }
}

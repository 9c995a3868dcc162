package org.cemiface.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.cemiface.config.ConfigReader;
import org.cemiface.nn.Tensors;

/**
 * The forward diffusion process: a β schedule (linear, or Nichol &amp; Dhariwal's cosine), ᾱ_t =
 * Π(1 − β_s), q_sample and the x̂0 estimate. ᾱ is accumulated in float32 by default (as PyTorch
 * code that builds the schedule as float32 tensors) or in float64 (as guided-diffusion's numpy
 * code).
 */
public final class NoiseSchedule {
  /** Offset s of the cosine schedule (Improved DDPM, section 3.2). */
  static final double COSINE_OFFSET = 0.008;

  /** Largest β of the cosine schedule: Improved DDPM clips there so the last steps stay finite. */
  static final double COSINE_MAX_BETA = 0.999;

  /** The shapes of β over t that {@code diffusion.schedule} names. */
  public enum Kind {
    /** β rises linearly from beta-start to beta-end (DDPM; DCFace and CemiFace). */
    LINEAR,
    /** Improved DDPM's cosine ᾱ. */
    COSINE
  }

  private final double[] betas;
  private final double[] alphaBars;

  /** A linear schedule from {@code betaStart} to {@code betaEnd} over {@code timesteps} steps. */
  public NoiseSchedule(int timesteps, double betaStart, double betaEnd, boolean float64) {
    this(linearBetas(timesteps, betaStart, betaEnd), float64);
  }

  private NoiseSchedule(double[] rawBetas, boolean float64) {
    int timesteps = rawBetas.length;
    betas = new double[timesteps];
    alphaBars = new double[timesteps];
    double prod = 1;
    float prod32 = 1f;
    for (int t = 0; t < timesteps; t++) {
      double beta = rawBetas[t];
      if (float64) {
        betas[t] = beta;
        prod *= 1 - beta;
        alphaBars[t] = prod;
      } else {
        float b32 = (float) beta;
        betas[t] = b32;
        prod32 *= 1f - b32;
        alphaBars[t] = prod32;
      }
    }
  }

  /**
   * The cosine schedule of Improved DDPM (Nichol &amp; Dhariwal 2021, eq. 17): ᾱ(t) = f(t)/f(0)
   * with f(t) = cos²(((t/T) + s)/(1 + s) · π/2), β_t = 1 − ᾱ(t+1)/ᾱ(t) clipped at 0.999. Compared
   * with the linear schedule it spends fewer of the T steps on near-pure noise, which at 32×32 is
   * most of the linear schedule's second half.
   */
  public static NoiseSchedule cosine(int timesteps, boolean float64) {
    checkTimesteps(timesteps);
    double[] raw = new double[timesteps];
    for (int t = 0; t < timesteps; t++) {
      double ratio = cosineF(t + 1, timesteps) / cosineF(t, timesteps);
      raw[t] = Math.min(1 - ratio, COSINE_MAX_BETA);
    }
    return new NoiseSchedule(raw, float64);
  }

  private static double cosineF(int t, int timesteps) {
    double c =
        Math.cos(((double) t / timesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
    return c * c;
  }

  private static double[] linearBetas(int timesteps, double betaStart, double betaEnd) {
    checkTimesteps(timesteps);
    double[] raw = new double[timesteps];
    for (int t = 0; t < timesteps; t++) {
      raw[t] = betaStart + (betaEnd - betaStart) * t / (timesteps - 1);
    }
    return raw;
  }

  private static void checkTimesteps(int timesteps) {
    if (timesteps < 2) {
      throw new IllegalArgumentException("a schedule needs at least 2 timesteps, got " + timesteps);
    }
  }

  /** The paper's schedule: T = 1000, β from 1e-4 to 0.02, float32. */
  public static NoiseSchedule standard() {
    return new NoiseSchedule(1000, 1e-4, 0.02, false);
  }

  /**
   * Reads a {@code diffusion} section (timesteps, schedule, beta-start, beta-end, float64-cumprod).
   */
  public static NoiseSchedule from(ConfigReader r) {
    int timesteps = r.intIn("timesteps", 2, 100_000);
    boolean float64 = r.bool("float64-cumprod");
    return switch (r.oneOf("schedule", Kind.class)) {
      case COSINE -> cosine(timesteps, float64);
      case LINEAR ->
          new NoiseSchedule(
              timesteps,
              r.doubleIn("beta-start", 1e-8, 0.5),
              r.doubleIn("beta-end", 1e-8, 0.999),
              float64);
    };
  }

  /** Number of diffusion steps T. */
  public int timesteps() {
    return betas.length;
  }

  /** ᾱ_t. */
  public double alphaBar(int t) {
    return alphaBars[t];
  }

  /** β_t. */
  public double beta(int t) {
    return betas[t];
  }

  /** x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε, per sample t. */
  public NDArray qSample(NDArray x0, int[] t, NDArray eps) {
    return x0.mul(coefficients(x0, t, true)).add(eps.mul(coefficients(x0, t, false)));
  }

  /** x̂0 = (x_t − √(1−ᾱ_t)·ε̂) / √ᾱ_t, per sample t (not clipped). */
  public NDArray predictX0(NDArray xt, int[] t, NDArray eps) {
    return xt.sub(eps.mul(coefficients(xt, t, false))).div(coefficients(xt, t, true));
  }

  /**
   * [B,1,1,1] torch-owned coefficients √ᾱ_t (signal) or √(1−ᾱ_t) (noise) on {@code like}'s manager.
   */
  public NDArray coefficients(NDArray like, int[] t, boolean signal) {
    float[] c = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      c[i] = (float) Math.sqrt(signal ? alphaBars[t[i]] : 1 - alphaBars[t[i]]);
    }
    long[] shape = new long[like.getShape().dimension()];
    Arrays.fill(shape, 1);
    shape[0] = t.length;
    NDManager m = like.getManager();
    return Tensors.floats(m, c, new Shape(shape)).toDevice(like.getDevice(), false);
  }
}

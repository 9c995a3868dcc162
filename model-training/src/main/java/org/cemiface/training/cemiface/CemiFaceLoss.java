package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.cemiface.nn.Tensors;

/**
 * The CemiFace objective (the paper, section 3): L = mean((ε̂ − ε)²) + λ·mean((1 − t/T)·|1 − s| +
 * (t/T)·|m − s|), with s = cos(E_id(x), E_id(x̂0)) per sample. Every constant is a torch-owned
 * array, so nothing Java-backed is saved for the backward pass.
 */
public final class CemiFaceLoss {
  private final double lambda;
  private final int timesteps;

  /**
   * The loss with weight {@code lambda} for the similarity term, over a schedule of {@code
   * timesteps} steps.
   */
  public CemiFaceLoss(double lambda, int timesteps) {
    this.lambda = lambda;
    this.timesteps = timesteps;
  }

  /**
   * The loss and its parts (each a 0-d array; rec and sim are batch means of |1 − s| and |m − s|).
   */
  public record Parts(NDArray total, NDArray mse, NDArray simMat, NDArray rec, NDArray sim) {}

  /**
   * Computes the loss. {@code s} is [B] (cosine per sample); {@code m} and {@code t} are the
   * per-sample similarity targets and timesteps.
   */
  public Parts compute(NDArray epsHat, NDArray eps, NDArray s, float[] m, int[] t) {
    return compute(epsHat, eps, s, m, t, null);
  }

  /**
   * As {@link #compute(NDArray, NDArray, NDArray, float[], int[])} with the squared ε error of
   * sample i weighted by {@code mseWeight[i]} ({@link MseSpace}); null weighs every sample 1.
   */
  public Parts compute(
      NDArray epsHat, NDArray eps, NDArray s, float[] m, int[] t, float[] mseWeight) {
    NDManager manager = s.getManager();
    int b = m.length;
    float[] gamma = new float[b];
    float[] oneMinusGamma = new float[b];
    for (int i = 0; i < b; i++) {
      gamma[i] = (float) t[i] / timesteps;
      oneMinusGamma[i] = 1f - gamma[i];
    }
    NDArray squared = epsHat.sub(eps).square();
    if (mseWeight != null) {
      long[] perSample = new long[epsHat.getShape().dimension()];
      Arrays.fill(perSample, 1);
      perSample[0] = b;
      squared =
          squared.mul(
              Tensors.floats(manager, mseWeight, new Shape(perSample))
                  .toDevice(s.getDevice(), false));
    }
    NDArray mse = squared.mean();
    NDArray rec = Tensors.plus(s.neg(), 1).abs();
    NDArray sim =
        Tensors.floats(manager, m, new Shape(b)).toDevice(s.getDevice(), false).sub(s).abs();
    NDArray g = Tensors.floats(manager, gamma, new Shape(b)).toDevice(s.getDevice(), false);
    NDArray og =
        Tensors.floats(manager, oneMinusGamma, new Shape(b)).toDevice(s.getDevice(), false);
    NDArray simMat = rec.mul(og).add(sim.mul(g)).mean();
    NDArray total = mse.add(Tensors.times(simMat, lambda));
    return new Parts(total, mse, simMat, rec.mean(), sim.mean());
  }
}

package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.cemiface.data.Shuffle;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.cemiface.SimilarityGrid;
import org.cemiface.nn.Precision;
import org.cemiface.nn.Tensors;
import org.cemiface.random.Gaussian;
import org.cemiface.training.parallel.StepGradients;

/**
 * Forward and backward of one CemiFace training step: x_t from x0, ε̂ conditioned on E_id(x0) and
 * m, x̂0 through the frozen encoder, the CemiFace loss, gradients into the UNet. t, m and ε are
 * drawn per sample from (seed, step, sample), so a resumed run repeats the same draws.
 */
public final class TrainingStep {
  private static final long STREAM = 0x7A;
  private final CemiFaceUNet model;
  private final DifferentiableEncoder encoder;
  private final NoiseSchedule schedule;
  private final CemiFaceLoss loss;
  private final SimilarityGrid grid;
  private final TensorLayout imageLayout;
  private final long seed;

  /** Runs between forward and backward; tests use it to force garbage collection there. */
  Runnable beforeBackward = () -> {};

  private boolean straightThroughClip;
  private Precision precision = Precision.FP32;
  private MseSpace mseSpace = MseSpace.EPSILON;
  private double mseSnr = 1;

  /** A step for {@code model} trained against {@code encoder}. */
  public TrainingStep(
      CemiFaceUNet model,
      DifferentiableEncoder encoder,
      NoiseSchedule schedule,
      double lambda,
      SimilarityGrid grid,
      long seed) {
    this.model = model;
    this.encoder = encoder;
    this.schedule = schedule;
    this.loss = new CemiFaceLoss(lambda, schedule.timesteps());
    this.grid = grid;
    int size = model.config().unet().imageSize();
    double[] half = {0.5, 0.5, 0.5};
    this.imageLayout = new TensorLayout(size, ChannelOrder.RGB, half, half);
    this.seed = seed;
    EncoderInput.check(size, encoder.layout());
  }

  /**
   * Passes the similarity gradient through the clip of x̂0 unchanged (the forward value is still
   * clipped). At large t the hard clip saturates most pixels and stops L_sim's gradient
   * (docs/training.md).
   */
  public TrainingStep straightThroughClip(boolean enabled) {
    this.straightThroughClip = enabled;
    return this;
  }

  /**
   * Runs the UNet at {@code precision} (float32 weights stay the masters; the loss and the encoder
   * stay float32). Pair anything below float32 with loss scaling: pass the scale in the loss weight
   * of {@link #run}.
   */
  public TrainingStep precision(Precision precision) {
    this.precision = precision;
    return this;
  }

  /**
   * Takes L_MSE in {@code space} with its SNR parameter {@code mseSnr} ({@link MseSpace#weights}).
   */
  public TrainingStep mseSpace(MseSpace space, double mseSnr) {
    this.mseSpace = space;
    this.mseSnr = mseSnr;
    return this;
  }

  /**
   * Loss values of a step (plain numbers, read after backward): the total λ-weighted sum and its
   * parts. Sums over shards and log intervals are taken part by part with {@link #plus} and {@link
   * #over}.
   */
  public record Losses(double total, double mse, double simMat, double rec, double sim) {
    /** The start of a sum. */
    public static final Losses ZERO = new Losses(0, 0, 0, 0, 0);

    /** Whether every part is finite. */
    public boolean finite() {
      return Double.isFinite(total) && Double.isFinite(mse) && Double.isFinite(simMat);
    }

    /** This plus {@code weight} × {@code other}, part by part. */
    public Losses plus(Losses other, double weight) {
      return new Losses(
          total + weight * other.total,
          mse + weight * other.mse,
          simMat + weight * other.simMat,
          rec + weight * other.rec,
          sim + weight * other.sim);
    }

    /** Every part divided by {@code n} (a sum of n steps → their mean). */
    public Losses over(double n) {
      return new Losses(total / n, mse / n, simMat / n, rec / n, sim / n);
    }
  }

  /**
   * Runs forward and backward for {@code images} at global step {@code step}; gradients accumulate
   * in the model.
   */
  public Losses run(List<RgbImage> images, long step, ParameterStore ps, NDManager scope) {
    return run(images, step, 0, 1.0, ps, scope);
  }

  /**
   * As {@link #run(List, long, ParameterStore, NDManager)} for one shard of a batch split across
   * devices: sample i of the shard draws as sample {@code sampleOffset + i} of the whole batch, and
   * the loss is weighted by {@code lossWeight} (the shard's share of the batch) before backward, so
   * summed shard gradients equal the whole batch's (a loss scale multiplies in here too). The
   * returned losses are unweighted shard means.
   */
  public Losses run(
      List<RgbImage> images,
      long step,
      int sampleOffset,
      double lossWeight,
      ParameterStore ps,
      NDManager scope) {
    int b = images.size();
    int s = imageLayout.size();
    Shape shape = new Shape(b, 3, s, s);
    int[] t = new int[b];
    float[] m = new float[b];
    float[] tf = new float[b];
    float[] noise = new float[(int) shape.size()];
    int per = 3 * s * s;
    for (int i = 0; i < b; i++) {
      SplittableRandom r = Shuffle.stepRandom(seed, STREAM, step, sampleOffset + i);
      t[i] = r.nextInt(schedule.timesteps());
      tf[i] = t[i];
      m[i] = grid.draw(r);
      for (int j = 0; j < per; j++) {
        noise[i * per + j] = (float) Gaussian.next(r);
      }
    }
    var device = model.getParameters().valueAt(0).getArray().getDevice();
    NDArray x0 = Tensors.floats(scope, imageLayout.toNchw(images), shape).toDevice(device, false);
    NDArray eps = Tensors.floats(scope, noise, shape).toDevice(device, false);
    NDArray tArr = Tensors.floats(scope, tf, new Shape(b)).toDevice(device, false);
    NDArray mArr = Tensors.floats(scope, m, new Shape(b)).toDevice(device, false);
    NDList clean = encoder.forwardTensor(EncoderInput.convert(x0, encoder.layout()));
    NDArray idEmb = clean.get(0).stopGradient();
    NDList inputs = new NDList(null, tArr, idEmb, mArr);
    if (model.config().spatialTokens()) {
      inputs.add(clean.get(2).stopGradient());
    }
    try (GradientCollector gc = StepGradients.open()) {
      NDArray xt = schedule.qSample(x0, t, eps);
      inputs.set(0, xt);
      NDArray output = model.predict(ps, inputs, true, precision, scope);
      NDArray epsHat = model.config().prediction().epsilon(schedule, output, xt, t);
      NDArray x0Raw = schedule.predictX0(xt, t, epsHat);
      NDArray x0Hat =
          straightThroughClip
              ? x0Raw.add(x0Raw.clip(-1, 1).sub(x0Raw).stopGradient())
              : x0Raw.clip(-1, 1);
      NDArray embHat = encoder.forwardTensor(EncoderInput.convert(x0Hat, encoder.layout())).get(0);
      NDArray similarity = idEmb.mul(embHat).sum(new int[] {1});
      // ε-space weighs every sample 1: no weight tensor on the hot path.
      float[] mseWeights =
          mseSpace == MseSpace.EPSILON ? null : mseSpace.weights(schedule, t, mseSnr);
      CemiFaceLoss.Parts parts = loss.compute(epsHat, eps, similarity, m, t, mseWeights);
      beforeBackward.run();
      gc.backward(lossWeight == 1.0 ? parts.total() : Tensors.times(parts.total(), lossWeight));
      return new Losses(
          parts.total().getFloat(),
          parts.mse().getFloat(),
          parts.simMat().getFloat(),
          parts.rec().getFloat(),
          parts.sim().getFloat());
    }
  }
}

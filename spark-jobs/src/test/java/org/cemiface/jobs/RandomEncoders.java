package org.cemiface.jobs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;

/**
 * Randomly initialised encoders for job tests: what matters there is that embeddings differ. The
 * weights come from a fixed seed, so a test's embeddings (and which candidates its thresholds
 * catch) do not depend on what earlier tests in the same JVM drew from the engine's generator.
 */
public final class RandomEncoders {
  private RandomEncoders() {}

  /**
   * Saves a tiny IResNet (16 px input, 64-d embedding) as a {@code djl:} encoder in {@code dir}.
   */
  public static void saveTiny16(Path dir) {
    double[] half = {0.5, 0.5, 0.5};
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(16);
      IResNet net =
          new IResNet(
              new IResNetConfig(
                  16, new int[] {1, 1, 1, 1}, new int[] {8, 16, 24, 32}, 8, 64, false, 0f));
      net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
      DjlIdentityEncoder.save(
          net, new TensorLayout(16, ChannelOrder.RGB, half, half), dir.toString(), "random");
    }
  }
}

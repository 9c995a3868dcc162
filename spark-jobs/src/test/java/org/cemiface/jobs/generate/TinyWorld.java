package org.cemiface.jobs.generate;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;

/**
 * A complete small world for generation tests, made once per test class: rendered inquiry faces, a
 * random tiny encoder and a random tiny CemiFace UNet (16 px, weights from a fixed seed) saved as a
 * checkpoint, and the config overrides that use them.
 */
final class TinyWorld {
  final Path root;

  TinyWorld(Path root, int identities) {
    this.root = root;
    RenderSettings render =
        new RenderSettings(
            identities, 1, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(3, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new org.apache.hadoop.fs.Path(root.resolve("faces").toString()));
    double[] half = {0.5, 0.5, 0.5};
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(identities);
      IResNet net =
          new IResNet(
              new IResNetConfig(
                  16, new int[] {1, 1, 1, 1}, new int[] {8, 16, 24, 32}, 8, 32, false, 0f));
      net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
      DjlIdentityEncoder.save(
          net,
          new TensorLayout(16, ChannelOrder.RGB, half, half),
          root.resolve("encoder").toString(),
          "random test encoder");
      CemiFaceConfig config =
          new CemiFaceConfig(
              new UNetConfig(16, 3, 32, 3, 1, new int[] {1, 2}, Set.of(2), 1, 32, 0f),
              32,
              false,
              0,
              0,
              false);
      CemiFaceUNet unet = CemiFaceStore.create(config, m);
      CemiFaceStore.save(
          unet,
          new org.apache.hadoop.fs.Path(root.resolve("model").toString()),
          "ema",
          "random test UNet");
    }
  }

  /**
   * Overrides for a world run writing to {@code output} with {@code subjects} × {@code images} (+1
   * copy).
   */
  List<String> overrides(String output, int subjects, int images, int subjectsPerPartition) {
    List<String> o =
        new ArrayList<>(
            List.of(
                "work-dir=" + root,
                "encoder.source=djl:encoder",
                "encoder.input-size=16",
                "sampling.steps=3",
                "volume.name=test",
                "volume.cohorts=[{subjects=" + subjects + ", images=" + images + "}]",
                "volume.oversampling=1",
                "plan.inquiries=faces",
                "plan.output=" + output + "/plan.parquet",
                "generate.plan=" + output + "/plan.parquet",
                "generate.output=" + output,
                "generate.model=model",
                "generate.subjects-per-partition=" + subjectsPerPartition,
                "generate.batch-size=4"));
    return o;
  }
}

package org.cemiface.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Set;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.model.unet.UNetFlops;
import org.cemiface.nn.TorchNames;

/**
 * {@code model-info}: builds the configured networks and prints their shapes and parameter counts.
 */
public final class ModelInfoCommand implements Command {
  @Override
  public String name() {
    return "model-info";
  }

  @Override
  public String summary() {
    return "print the configured CemiFace UNet and encoder architectures with parameter counts";
  }

  @Override
  public String help() {
    return "Builds the UNet of model.* (preset paper, tiny or custom) with the CemiFace condition for an\n"
        + "identity encoder of --encoder-arch (default ir_50; tiny for the embedded default) and prints the\n"
        + "architectures, their parameter counts and the UNet's multiply-adds per forward pass (UNetFlops).\n"
        + "Nothing is trained or written.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--encoder-arch");
  }

  @Override
  public int run(Invocation inv) {
    IResNetConfig enc = IResNetConfig.named(inv.option("--encoder-arch").orElse("ir_50"));
    CemiFaceConfig cfg =
        CemiFaceConfig.from(
            inv.config().reader(), enc.embeddingSize(), enc.finalChannels(), enc.finalSize());
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.create(cfg, m);
      IResNet encoder = new IResNet(enc);
      encoder.initialize(m, DataType.FLOAT32, new Shape(1, 3, enc.inputSize(), enc.inputSize()));
      inv.out().println("UNet:      " + cfg.unet());
      inv.out()
          .printf(
              "           %,d parameters (trunk %,d, condition %,d; %d condition tokens)%n",
              TorchNames.count(model, false),
              TorchNames.count(model.unet(), false),
              TorchNames.count(model.condition(), false),
              cfg.tokens());
      long macs = UNetFlops.macs(cfg.unet());
      inv.out()
          .printf(
              "           %.2f GMAC = %.2f GFLOP per forward pass per image (docs/operations.md)%n",
              macs / 1e9, 2 * macs / 1e9);
      inv.out().println("Encoder:   " + enc.depthName() + " " + enc);
      inv.out().printf("           %,d parameters%n", TorchNames.count(encoder, false));
    }
    return 0;
  }
}

package org.cemiface.cli;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.MappingReport;
import org.cemiface.checkpoint.TensorData;
import org.cemiface.checkpoint.TorchCheckpoint;
import org.cemiface.checkpoint.WeightImporter;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.nn.TorchNames;

/** {@code import-unet}: starts a CemiFace model from guided-diffusion / DCFace UNet weights. */
public final class ImportUnetCommand implements Command {
  @Override
  public String name() {
    return "import-unet";
  }

  @Override
  public String summary() {
    return "import guided-diffusion or DCFace UNet weights (.pt/.ckpt) into a CemiFace model checkpoint";
  }

  @Override
  public String help() {
    return "Reads a zip-format torch.save file without running Python code, takes the tensors under --prefix\n"
        + "(DCFace: 'model.' or 'ema_model.averaged_model.'; a plain guided-diffusion state dict: ''), and loads\n"
        + "them into the UNet trunk of the model.* configuration; the CemiFace condition starts fresh. Writes\n"
        + "--output/unet.params and unet.json and prints the mapping report (missing, unexpected and mis-shaped\n"
        + "keys). With --strict any mismatch is an error.\n"
        + "  --checkpoint FILE  --prefix P  --output DIR  --encoder-arch NAME (identity width; default ir_50)";
  }

  @Override
  public Set<String> options() {
    return Set.of("--checkpoint", "--prefix", "--output", "--encoder-arch");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--strict");
  }

  /**
   * The line naming the parameters outside the trunk, which no UNet checkpoint holds: what training
   * must learn (train.freeze-trunk-steps trains them alone first).
   */
  static String freshCondition(CemiFaceUNet model) {
    List<String> fresh =
        TorchNames.parameters(model).keySet().stream()
            .filter(k -> !k.startsWith(CemiFaceUNet.TRUNK_PREFIX))
            .toList();
    return "Fresh (random) condition path, to be trained: "
        + fresh.size()
        + " tensors: "
        + String.join(", ", fresh);
  }

  @Override
  public int run(Invocation inv) {
    String file = inv.required("--checkpoint");
    String prefix = inv.option("--prefix").orElse("");
    IResNetConfig enc = IResNetConfig.named(inv.option("--encoder-arch").orElse("ir_50"));
    CemiFaceConfig cfg =
        CemiFaceConfig.from(
            inv.config().reader(), enc.embeddingSize(), enc.finalChannels(), enc.finalSize());
    Map<String, TensorData> tensors = TorchCheckpoint.open(file).stateDict(prefix);
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.create(cfg, m);
      MappingReport report = WeightImporter.load(model.unet(), tensors, inv.has("--strict"), file);
      inv.out().println("Mapping: " + report.describe());
      inv.out().println(freshCondition(model));
      Path out = new Path(inv.required("--output"));
      CemiFaceStore.save(
          model,
          out,
          "unet",
          "imported UNet trunk from "
              + file
              + " (prefix '"
              + prefix
              + "'): "
              + report.loaded().size()
              + " tensors");
      inv.out().println("Wrote " + new Path(out, "unet.params") + " and unet.json");
      return report.loaded().isEmpty() ? Main.FAILED : 0;
    }
  }
}

package org.cemiface.training.optim;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cemiface.nn.TorchNames;

/**
 * The trainable parameters of a block by PyTorch key (frozen ones and running statistics excluded).
 */
public final class NamedParameters {
  private NamedParameters() {}

  /** Trainable parameters in registration order. */
  public static Map<String, Parameter> trainable(Block block) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    TorchNames.parameters(block)
        .forEach(
            (k, p) -> {
              if (p.requiresGradient()) {
                out.put(k, p);
              }
            });
    return out;
  }
}

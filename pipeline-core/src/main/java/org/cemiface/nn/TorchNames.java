package org.cemiface.nn;

import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names every parameter of a block tree the way PyTorch's {@code state_dict()} would, so weights
 * can be imported from and compared with PyTorch checkpoints. Child names are the names given to
 * {@code addChildBlock} (DJL prefixes them with a two-digit position, which is removed here).
 */
public final class TorchNames {
  private static final Map<String, String> DJL_TO_TORCH =
      Map.of(
          "gamma",
          "weight",
          "beta",
          "bias",
          "runningMean",
          "running_mean",
          "runningVar",
          "running_var");

  private TorchNames() {}

  /** Parameters by PyTorch key, in registration order. */
  public static Map<String, Parameter> parameters(Block block) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect(block, "", out);
    return out;
  }

  private static void collect(Block block, String prefix, Map<String, Parameter> out) {
    for (Pair<String, Parameter> p : block.getDirectParameters()) {
      out.put(prefix + DJL_TO_TORCH.getOrDefault(p.getKey(), p.getKey()), p.getValue());
    }
    BlockList children = block.getChildren();
    for (int i = 0; i < children.size(); i++) {
      String key = children.get(i).getKey();
      String position = String.format(Locale.ROOT, "%02d", i + 1);
      String name = key.startsWith(position) ? key.substring(position.length()) : key;
      collect(children.get(i).getValue(), prefix + name + ".", out);
    }
  }

  /** Total number of scalar values over all parameters (running statistics included). */
  public static long count(Block block, boolean includeRunningStats) {
    long n = 0;
    for (Parameter p : parameters(block).values()) {
      boolean stat =
          p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
      if (includeRunningStats || !stat) {
        n += p.getArray().getShape().size();
      }
    }
    return n;
  }
}

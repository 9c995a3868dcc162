package org.cemiface.checkpoint;

import java.util.List;

/**
 * How a state dict mapped onto a network: loaded keys, keys the network has but the file lacks,
 * keys the file has but the network lacks, and keys whose shapes differ.
 */
public record MappingReport(
    List<String> loaded,
    List<String> missing,
    List<String> unexpected,
    List<String> shapeMismatches) {
  /** Copies the lists. */
  public MappingReport {
    loaded = List.copyOf(loaded);
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
    shapeMismatches = List.copyOf(shapeMismatches);
  }

  /** Whether every key matched exactly. */
  public boolean isExact() {
    return missing.isEmpty() && unexpected.isEmpty() && shapeMismatches.isEmpty();
  }

  /** A human-readable summary listing up to 20 keys of each problem kind. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(loaded.size()).append(" tensors loaded");
    section(s, "missing from the checkpoint", missing);
    section(s, "unexpected in the checkpoint", unexpected);
    section(s, "shape mismatches", shapeMismatches);
    return s.toString();
  }

  private static void section(StringBuilder s, String title, List<String> keys) {
    if (!keys.isEmpty()) {
      s.append("; ")
          .append(keys.size())
          .append(' ')
          .append(title)
          .append(": ")
          .append(String.join(", ", keys.subList(0, Math.min(20, keys.size()))))
          .append(keys.size() > 20 ? ", …" : "");
    }
  }
}

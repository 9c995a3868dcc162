package org.cemiface.runs;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What makes a run's images what they are, key by key: the resolved configuration minus paths and
 * scheduling keys, the model's and encoder's checksums, and the code version. A run fired again
 * must have the same fingerprint; the keys that differ are named.
 */
public record Fingerprint(Map<String, String> values) {
  /** Copies into a sorted map. */
  public Fingerprint {
    values = new TreeMap<>(values);
  }

  /** The keys whose values differ (or exist on one side only), sorted. */
  public List<String> differences(Fingerprint other) {
    Set<String> keys = new TreeSet<>(values.keySet());
    keys.addAll(other.values.keySet());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (!String.valueOf(values.get(k)).equals(String.valueOf(other.values.get(k)))) {
        out.add(k);
      }
    }
    return out;
  }

  /** As JSON, key by key. */
  public JsonObject toJson() {
    JsonObject j = new JsonObject();
    values.forEach(j::addProperty);
    return j;
  }

  /** Reads what {@link #toJson} wrote. */
  public static Fingerprint fromJson(JsonObject j) {
    Map<String, String> v = new TreeMap<>();
    j.entrySet().forEach(e -> v.put(e.getKey(), e.getValue().getAsString()));
    return new Fingerprint(v);
  }
}

package org.cemiface.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;

/**
 * The JSON file saved beside a network's weights: what it is (architecture and its configuration),
 * how many parameters it has and where the weights came from, so a checkpoint directory explains
 * itself.
 */
public record ModelCard(
    String architecture, JsonObject config, long parameters, String source, String created) {
  /** A card stamped with the current time. */
  public static ModelCard of(
      String architecture, JsonObject config, long parameters, String source) {
    return new ModelCard(architecture, config, parameters, source, Instant.now().toString());
  }

  /** Pretty-printed JSON. */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("architecture", architecture);
    o.add("config", config);
    o.addProperty("parameters", parameters);
    o.addProperty("source", source);
    o.addProperty("created", created);
    o.addProperty("format", "DJL block parameters (" + ModelStore.PARAMS_SUFFIX + ")");
    return new GsonBuilder().setPrettyPrinting().create().toJson(o);
  }

  /** Parses a card; {@code origin} names the file in errors. */
  public static ModelCard parse(String json, String origin) {
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      return new ModelCard(
          o.get("architecture").getAsString(),
          o.getAsJsonObject("config"),
          o.get("parameters").getAsLong(),
          o.get("source").getAsString(),
          o.get("created").getAsString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          origin + " is not a valid model card: " + e.getMessage(), e);
    }
  }
}

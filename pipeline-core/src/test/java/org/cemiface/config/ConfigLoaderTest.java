package org.cemiface.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageSettings;
import org.cemiface.render.RenderSettings;
import org.cemiface.volume.VolumeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private String file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p.toString();
  }

  @Test
  void typoIsRejectedWithFileLineAndNearestKey() throws IOException {
    String f = file("typo.conf", "seed = 1\nrender {\n  identites = 5\n}\n");
    ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(List.of(f), List.of()));
    assertTrue(
        e.getMessage().contains("Unknown configuration key 'render.identites'"), e.getMessage());
    assertTrue(e.getMessage().contains(f + ":3"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'render.identities'?"), e.getMessage());
  }

  @Test
  void sectionsOfModulesAbsentFromTheClasspathPassButOtherTyposDoNot() {
    // pipeline-core's own tests see no trainer reference.conf, as the Spark jar does not.
    LoadedConfig c =
        ConfigLoader.load(List.of(), List.of("train.lambda=0.2", "demo.train-steps=5"));
    assertEquals(0.2, c.config().getDouble("train.lambda"), 1e-12);
    ConfigError e =
        assertThrows(
            ConfigError.class, () -> ConfigLoader.load(List.of(), List.of("trian.lambda=0.2")));
    assertTrue(e.getMessage().contains("Unknown configuration key 'trian.lambda'"), e.getMessage());
  }

  @Test
  void typoInOverrideNamesTheOverride() {
    ConfigError e =
        assertThrows(
            ConfigError.class, () -> ConfigLoader.load(List.of(), List.of("image.formt=jpeg")));
    assertTrue(e.getMessage().contains("--set image.formt=jpeg"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'image.format'?"), e.getMessage());
  }

  @Test
  void wrongTypeNamesKeyOriginAndExpectedType() throws IOException {
    String f = file("type.conf", "render.identities = lots\n");
    LoadedConfig c = ConfigLoader.load(List.of(f), List.of());
    ConfigError e = assertThrows(ConfigError.class, () -> RenderSettings.from(c.reader()));
    assertTrue(e.getMessage().contains("'render.identities'"), e.getMessage());
    assertTrue(e.getMessage().contains(f + ":1"), e.getMessage());
    assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
  }

  @Test
  void outOfRangeNamesAllowedRange() {
    LoadedConfig c = ConfigLoader.load(List.of(), List.of("image.jpeg-quality=101"));
    ConfigError e = assertThrows(ConfigError.class, () -> ImageSettings.from(c.reader()));
    assertTrue(e.getMessage().contains("'image.jpeg-quality'"), e.getMessage());
    assertTrue(e.getMessage().contains("[1, 100]"), e.getMessage());
    assertTrue(e.getMessage().contains("got 101"), e.getMessage());
  }

  @Test
  void enumValueOutsideChoicesListsChoices() {
    LoadedConfig c = ConfigLoader.load(List.of(), List.of("encoder.channel-order=rbg"));
    ConfigError e = assertThrows(ConfigError.class, () -> EncoderSettings.from(c.reader()));
    assertTrue(e.getMessage().contains("one of [rgb, bgr]"), e.getMessage());
  }

  @Test
  void overridesWinOverLaterFilesWhichWinOverEarlierFilesAndReference() throws IOException {
    String a =
        file(
            "a.conf",
            "render { identities = 10, images-per-identity = 3, size = 48 }\nencoder.channel-order = bgr\n");
    String b = file("b.conf", "render { identities = 20, images-per-identity = 4 }\n");
    LoadedConfig c = ConfigLoader.load(List.of(a, b), List.of("render.identities=30"));
    RenderSettings r = RenderSettings.from(c.reader());
    assertEquals(30, r.identities());
    assertEquals(4, r.imagesPerIdentity());
    assertEquals(48, r.size());
    assertEquals(0, r.firstIdentity(), "untouched keys keep reference.conf defaults");
    assertEquals(ChannelOrder.BGR, EncoderSettings.from(c.reader()).layout().order());
    String described = c.describeWithOrigins();
    assertTrue(
        described.contains("render.identities") && described.contains("--set render.identities=30"),
        described);
    assertTrue(described.contains(b + ":1"), described);
    assertTrue(described.contains("reference.conf"), described);
  }

  @Test
  void overrideKeepsUriValuesIntact() {
    LoadedConfig c = ConfigLoader.load(List.of(), List.of("work-dir=file:///tmp/x//y"));
    assertEquals("file:///tmp/x//y", RunSettings.from(c.reader()).workDir());
  }

  @Test
  void overrideCanSetAList() {
    LoadedConfig c =
        ConfigLoader.load(List.of(), List.of("volume.cohorts=[{subjects=3, images=7}]"));
    VolumeSettings v = VolumeSettings.from(c.reader());
    assertEquals(List.of(new VolumeSettings.Cohort(3, 7)), v.cohorts());
  }

  @Test
  void unknownKeyInsideCohortIsRejected() {
    LoadedConfig c = ConfigLoader.load(List.of(), List.of("volume.cohorts=[{subjects=3, imgs=7}]"));
    ConfigError e = assertThrows(ConfigError.class, () -> VolumeSettings.from(c.reader()));
    assertTrue(e.getMessage().contains("volume.cohorts[0].imgs"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'volume.cohorts[0].images'?"), e.getMessage());
  }

  @Test
  void missingConfigFileIsAClearError() {
    ConfigError e =
        assertThrows(
            ConfigError.class,
            () -> ConfigLoader.load(List.of(dir.resolve("nope.conf").toString()), List.of()));
    assertTrue(
        e.getMessage().contains("Config file not found") && e.getMessage().contains("nope.conf"),
        e.getMessage());
  }

  @Test
  void malformedOverrideIsAClearError() {
    ConfigError e =
        assertThrows(ConfigError.class, () -> ConfigLoader.load(List.of(), List.of("seed")));
    assertTrue(e.getMessage().contains("key=value"), e.getMessage());
  }

  @Test
  void suggestionDistanceCountsTranspositionAsOneEdit() {
    assertEquals(1, KeySuggestions.distance("sedd", "seed"));
    assertEquals(1, KeySuggestions.distance("esed", "seed"));
    assertEquals(3, KeySuggestions.distance("kitten", "sitting"));
    assertTrue(
        KeySuggestions.nearest("completely.different", List.of("seed", "work-dir")).isEmpty());
  }
}

package org.cemiface.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.config.ConfigLoader;
import org.cemiface.io.ParquetTableWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InquiryListTest {
  @TempDir Path dir;

  @Test
  void readsOnlyKeptRowsInTableOrderFromPartFiles() {
    var schema =
        MessageTypeParser.parseMessageType(
            "message m { required binary id (STRING); optional binary source (STRING); required binary status (STRING); }");
    String[][] parts = {{"c", "kept"}, {"a", "too_similar"}, {"b", "kept"}};
    for (int p = 0; p < 2; p++) {
      try (ParquetTableWriter w =
          new ParquetTableWriter(
              new org.apache.hadoop.fs.Path(
                  dir.resolve("inquiries.parquet/part-0000" + p + ".parquet").toString()),
              schema)) {
        for (int i = p; i < (p == 0 ? 2 : 3); i++) {
          Group g =
              w.newRow()
                  .append("id", parts[i][0])
                  .append("source", "/x/" + parts[i][0] + ".png")
                  .append("status", parts[i][1]);
          w.write(g);
        }
        w.commit();
      }
    }
    List<Inquiry> kept = InquiryList.read(dir.resolve("inquiries.parquet").toString());
    assertEquals(List.of(new Inquiry("c", "/x/c.png"), new Inquiry("b", "/x/b.png")), kept);
  }

  @Test
  void aMissingLocationSaysWhatToRun() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InquiryList.read(dir.resolve("nope.parquet").toString()));
    assertTrue(e.getMessage().contains("run bin/cemiface filter first"), e.getMessage());
  }

  @Test
  void mIsOneValueAListOrARange() {
    assertEquals(
        new MChoice(new float[] {0f}),
        PlanSettings.from(ConfigLoader.load(List.of(), List.of()).reader()).m());
    assertEquals(
        new MChoice(new float[] {0.1f}),
        PlanSettings.from(ConfigLoader.load(List.of(), List.of("plan.m=0.1")).reader()).m());
    assertEquals(
        new MChoice(new float[] {0f, 0.5f}),
        PlanSettings.from(ConfigLoader.load(List.of(), List.of("plan.m=[0, 0.5]")).reader()).m());
    assertEquals(
        11,
        PlanSettings.from(ConfigLoader.load(List.of(), List.of("plan.m-range.step=0.02")).reader())
            .m()
            .values()
            .length);
  }
}

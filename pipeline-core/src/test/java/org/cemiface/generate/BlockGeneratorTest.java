package org.cemiface.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.InquiryList;
import org.cemiface.plan.MChoice;
import org.cemiface.plan.PlanRow;
import org.cemiface.plan.VolumePlanner;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.cemiface.volume.VolumeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One block without Spark, with the plumbing models: outputs, subject-level reuse, failure
 * injection.
 */
class BlockGeneratorTest {
  @TempDir Path dir;

  private List<PlanRow> plan(int subjects, int images) {
    RenderSettings render =
        new RenderSettings(subjects, 1, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(3, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new org.apache.hadoop.fs.Path(dir.resolve("faces").toString()));
    List<Inquiry> inquiries = InquiryList.read(dir.resolve("faces").toString());
    VolumeSettings v =
        new VolumeSettings("t", List.of(new VolumeSettings.Cohort(subjects, images)), 2);
    return VolumePlanner.planAll(inquiries, v, MChoice.range(-0.1, 0.1, 0.1), 5);
  }

  private BlockGenerator.Result run(
      DatasetLayout layout,
      List<PlanRow> rows,
      GenerateSettings.FailureInjection f,
      AtomicInteger loads) {
    return run(layout, rows, f, loads, 2);
  }

  private BlockGenerator.Result run(
      DatasetLayout layout,
      List<PlanRow> rows,
      GenerateSettings.FailureInjection f,
      AtomicInteger loads,
      int writeAhead) {
    BlockGenerator g =
        new BlockGenerator(
            layout,
            new ImageSettings(layout.format(), 95),
            3,
            true,
            writeAhead,
            new PrintStream(new ByteArrayOutputStream()));
    FileCommitter committer =
        new FileCommitter(
            FileCommitter.Mode.RENAME,
            new org.apache.hadoop.fs.Path(layout.temporary(), "attempt-1"));
    return g.run(
        0,
        rows,
        1,
        () -> {
          loads.incrementAndGet();
          return new PlumbingSampleModels(16);
        },
        committer,
        0,
        f);
  }

  @Test
  void writesEveryImageTheSamplesPartAndTheRecordIoPart() throws Exception {
    List<PlanRow> rows = plan(3, 4);
    DatasetLayout layout = new DatasetLayout(dir.resolve("out").toString(), ImageFormat.PNG);
    AtomicInteger loads = new AtomicInteger();
    BlockGenerator.Result r = run(layout, rows, GenerateSettings.FailureInjection.OFF, loads);
    assertEquals(1, loads.get(), "models load once per block");
    assertEquals(12, r.generated());
    assertEquals(6, r.copies());
    List<SampleRow> samples = SamplesTable.read(layout.samplesPart(0));
    assertEquals(18, samples.size());
    for (SampleRow s : samples) {
      assertTrue(Files.size(dir.resolve("out").resolve(s.path())) > 0, s.path());
    }
    assertEquals(1f, samples.get(4).similarity(), 1e-5f, "an inquiry copy embeds like its inquiry");
    String idx = Files.readString(dir.resolve("out/recordio/_parts/part-00000.idx"));
    assertEquals(18, idx.lines().count());
    assertTrue(idx.startsWith("1\t0\t0\n"), idx);
  }

  @Test
  void theWriterThreadChangesNoByteOfTheOutput() throws Exception {
    List<PlanRow> rows = plan(4, 5);
    for (ImageFormat format : List.of(ImageFormat.PNG, ImageFormat.JPEG)) {
      List<Map<String, byte[]>> outputs = new java.util.ArrayList<>();
      for (int ahead : new int[] {0, 1, 3}) {
        Path out = dir.resolve(format + "-" + ahead);
        run(
            new DatasetLayout(out.toString(), format),
            rows,
            GenerateSettings.FailureInjection.OFF,
            new AtomicInteger(),
            ahead);
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(out)) {
          for (Path p : walk.filter(Files::isRegularFile).toList()) {
            String rel = out.relativize(p).toString();
            if (!rel.startsWith("_temporary") && !rel.endsWith(".crc")) {
              files.put(rel, Files.readAllBytes(p));
            }
          }
        }
        outputs.add(files);
      }
      for (Map<String, byte[]> other : outputs.subList(1, outputs.size())) {
        assertEquals(outputs.get(0).keySet(), other.keySet(), format.toString());
        for (String k : other.keySet()) {
          assertArrayEquals(outputs.get(0).get(k), other.get(k), format + " " + k);
        }
      }
      assertTrue(outputs.get(0).size() > 20, outputs.get(0).keySet().toString());
    }
  }

  @Test
  void anInjectedFailureLeavesCompleteSubjectsThatTheRetryReuses() throws Exception {
    List<PlanRow> rows = plan(3, 4);
    DatasetLayout layout = new DatasetLayout(dir.resolve("out").toString(), ImageFormat.PNG);
    AtomicInteger loads = new AtomicInteger();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> run(layout, rows, new GenerateSettings.FailureInjection(0, 1), loads));
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    assertTrue(
        !Files.exists(dir.resolve("out/samples.parquet/part-00000.parquet")),
        "no samples part after a failure");
    byte[] first = Files.readAllBytes(dir.resolve("out/images/0000000/0.png"));

    BlockGenerator.Result retry = run(layout, rows, GenerateSettings.FailureInjection.OFF, loads);
    assertEquals(1, retry.subjectsReused());
    assertEquals(8, retry.generated(), "only the two unfinished subjects are sampled again");
    assertArrayEquals(first, Files.readAllBytes(dir.resolve("out/images/0000000/0.png")));
    assertEquals(18, SamplesTable.read(layout.samplesPart(0)).size());
  }

  @Test
  void anUnreadableInquiryNamesTheSubjectAndFile() throws Exception {
    List<PlanRow> rows = plan(2, 2);
    Files.write(Path.of(new URI(rows.get(0).inquirySource())), new byte[] {1, 2, 3});
    DatasetLayout layout = new DatasetLayout(dir.resolve("out").toString(), ImageFormat.PNG);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> run(layout, rows, GenerateSettings.FailureInjection.OFF, new AtomicInteger()));
    assertTrue(
        e.getMessage().startsWith("subject 0: cannot read inquiry")
            && e.getMessage().contains("0.png"),
        e.getMessage());
  }
}

package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.io.ParquetTableReader;
import org.cemiface.io.ParquetTableWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus through every command a user runs: each case ends in reject rows (where the
 * stage keeps a status table) or in one line naming the file, key or row, with the exit code of its
 * class (2 usage/config, 65 bad input), no stack trace as the message, and no output a rerun would
 * take for complete. The world is made by the commands themselves, as a user would (render,
 * train-encoder, train, filter, plan, generate), at 32 px; the image corpus is committed
 * (launcher/src/test/fixtures/make_bad_input_corpus.py).
 */
class BadInputCorpusTest {
  /** Corpus files that no decoder can use, with the reason each must be reported with. */
  private static final List<String[]> BROKEN =
      List.of(
          new String[] {"zero-bytes.png", "file is empty"},
          new String[] {"truncated.png", "truncated PNG"},
          new String[] {"truncated.jpg", "corrupt or truncated JPEG"},
          new String[] {"wrong-magic.png", "not a PNG or JPEG image"},
          new String[] {"bomb.png", "declares 20000 × 20000 pixels"});

  /** Corpus files that are legal, if unusual, encodings of a 32 px face (one of them 48 x 40). */
  private static final List<String> LEGAL =
      List.of(
          "png-named.jpg",
          "grayscale.png",
          "16-bit.png",
          "palette.png",
          "rgba.png",
          "cmyk.jpg",
          "wrong-size.png");

  @TempDir static Path work;

  @BeforeAll
  static void aWorldMadeByTheCommands() {
    ok("render-identities", "render.output=identities");
    ok(
        "render-identities",
        "render.output=candidates",
        "render.identities=6",
        "render.images-per-identity=1",
        "render.first-identity=1000");
    ok("train-encoder", "train-encoder.data=identities");
    ok("train", "train.data=identities", "train.steps=2", "train.checkpoint-every=2");
    ok("filter", "filter.candidates=candidates", "filter.gallery=identities");
    ok("plan");
    ok("generate");
  }

  @TestFactory
  Stream<DynamicTest> everyCaseEndsInARejectRowOrANamedErrorWithItsExitCode() {
    List<DynamicTest> cases = new ArrayList<>();

    // render-identities
    cases.add(
        test(
            "render: an output path under a file",
            () -> {
              Files.writeString(work.resolve("a-file"), "x");
              Result r = run("render-identities", "render.output=a-file/out");
              r.expect(ExitStatus.BAD_INPUT, "a-file", "not a directory");
            }));
    cases.add(
        test(
            "render: a negative identity count",
            () ->
                run("render-identities", "render.identities=-5", "render.output=neg")
                    .expect(ExitStatus.USAGE, "render.identities")
                    .absent("neg")));

    // embed
    cases.add(
        test(
            "embed: the image corpus",
            () -> {
              Path images = corpus("embed-corpus", true, true);
              Result r =
                  embed(images, "corpus.csv").expect(0, brokenReasons()).present("corpus.csv");
              List<String> rows = Files.readAllLines(work.resolve("corpus.csv"));
              assertEquals(LEGAL.size(), rows.size(), "every legal file embedded: " + rows);
              for (String legal : LEGAL) {
                assertTrue(rows.stream().anyMatch(l -> l.startsWith(legal + ",")), legal);
              }
              assertTrue(
                  (r.out + r.err).contains("Embedded " + LEGAL.size() + " images")
                      && (r.out + r.err).contains(BROKEN.size() + " unreadable"),
                  "the counts reconcile: " + r.out);
            }));
    cases.add(
        test(
            "embed: only broken images",
            () ->
                embed(corpus("embed-broken", true, false), "broken.csv")
                    .expect(ExitStatus.BAD_INPUT, "none of the " + BROKEN.size() + " images")
                    .absent("broken.csv")));
    cases.add(
        test(
            "embed: an encoder that is not there",
            () ->
                run(
                        "embed",
                        "--encoder",
                        "djl:" + work.resolve("models/no-encoder"),
                        "--input",
                        work.resolve("identities").toString(),
                        "--output",
                        work.resolve("none.csv").toString())
                    .expect(ExitStatus.BAD_INPUT, "no-encoder/encoder.json")
                    .absent("none.csv")));

    // filter
    cases.add(
        test(
            "filter: the image corpus among candidates",
            () -> {
              corpus("filter-corpus/0", true, true);
              run(
                      "filter",
                      "filter.candidates=filter-corpus",
                      "filter.gallery=identities",
                      "filter.output=filter-corpus-out/inquiries.parquet")
                  .expect(
                      0,
                      String.format("%-16s %d", "unreadable", BROKEN.size()),
                      String.format("%-16s %d", "wrong_size", 1));
              List<String> table =
                  rows(
                      work.resolve("filter-corpus-out/inquiries.parquet"),
                      "source",
                      "status",
                      "reason");
              assertEquals(BROKEN.size() + LEGAL.size(), table.size(), "a row per file: " + table);
              for (String[] broken : BROKEN) {
                assertTrue(
                    table.stream()
                        .anyMatch(
                            row ->
                                row.contains(broken[0] + "|unreadable|")
                                    && row.contains(broken[0] + ": " + broken[1])),
                    broken[0] + " is an unreadable row naming itself: " + table);
              }
              assertTrue(
                  table.stream().anyMatch(row -> row.contains("wrong-size.png|wrong_size|48x40")),
                  table.toString());
            }));
    cases.add(
        test(
            "filter: a RecordIO whose .rec is cut short",
            () -> {
              // Cut 100 bytes into record 1: its length word then claims bytes that are not there.
              Path rec = recordIo("cut-rec");
              long offset = indexOffsets(rec).get(1);
              byte[] bytes = Files.readAllBytes(rec.resolve("train.rec"));
              Files.write(rec.resolve("train.rec"), Arrays.copyOf(bytes, (int) offset + 100));
              filterCandidates("cut-rec")
                  .expect(ExitStatus.BAD_INPUT, "train.rec record 1", "runs past the end")
                  .absent("cut-rec-out");
            }));
    cases.add(
        test(
            "filter: a RecordIO index pointing past the end",
            () -> {
              Path rec = recordIo("far-idx");
              List<Long> offsets = indexOffsets(rec);
              StringBuilder idx = new StringBuilder();
              for (int key = 0; key < offsets.size(); key++) {
                idx.append(key)
                    .append('\t')
                    .append(key == 2 ? 99_999_999L : offsets.get(key))
                    .append('\n');
              }
              Files.writeString(rec.resolve("train.idx"), idx);
              filterCandidates("far-idx")
                  .expect(
                      ExitStatus.BAD_INPUT, "train.rec record 2", "99999999 is outside the file")
                  .absent("far-idx-out");
            }));
    cases.add(
        test(
            "filter: a Parquet table without image labels",
            () ->
                filterCandidates("dataset/samples.parquet", "pq-out")
                    .expect(
                        ExitStatus.BAD_INPUT, "samples.parquet", "no 'label' or 'identity' column")
                    .absent("pq-out")));
    cases.add(
        test(
            "filter: an output path under a file",
            () -> {
              Files.writeString(work.resolve("b-file"), "x");
              run(
                      "filter",
                      "filter.candidates=candidates",
                      "filter.gallery=identities",
                      "filter.output=b-file/inquiries.parquet")
                  .expect(ExitStatus.BAD_INPUT, "b-file");
            }));

    // plan
    cases.add(
        test(
            "plan: an inquiries table of another schema",
            () ->
                run("plan", "plan.inquiries=dataset/samples.parquet", "plan.output=p1/plan.parquet")
                    .expect(ExitStatus.BAD_INPUT, "samples.parquet", "has no column 'id'")
                    .absent("p1")));
    cases.add(
        test(
            "plan: inquiries that are not there",
            () ->
                run("plan", "plan.inquiries=gone/inquiries.parquet", "plan.output=p2/plan.parquet")
                    .expect(ExitStatus.BAD_INPUT, "gone/inquiries.parquet", "plan.inquiries")
                    .absent("p2")));

    // generate
    cases.add(
        test(
            "generate: an embedding table of the wrong dimension",
            () -> {
              embeddings("dim64.parquet", 64, 0.5f);
              planAndGenerate("dim64.parquet", "g-dim")
                  .expect(ExitStatus.BAD_INPUT, "64", "128")
                  .absent("g-dim/generate.json");
            }));
    cases.add(
        test(
            "generate: a NaN embedding",
            () -> {
              embeddings("nan.parquet", 128, Float.NaN);
              planAndGenerate("nan.parquet", "g-nan")
                  .expect(ExitStatus.BAD_INPUT, "nan.parquet row 1", "norm NaN")
                  .absent("g-nan/generate.json");
            }));
    cases.add(
        test(
            "generate: a plan whose inquiry image was deleted",
            () -> {
              copy(work.resolve("candidates"), work.resolve("cand-del"));
              ok(
                  "filter",
                  "filter.candidates=cand-del",
                  "filter.gallery=identities",
                  "filter.output=del/inquiries.parquet");
              ok("plan", "plan.inquiries=del/inquiries.parquet", "plan.output=del/plan.parquet");
              Files.delete(work.resolve("cand-del/0001000/0.png"));
              run("generate", "generate.plan=del/plan.parquet", "generate.output=g-del")
                  .expect(ExitStatus.BAD_INPUT, "0001000/0.png", "Rerun filter/plan")
                  .absent("g-del/generate.json");
            }));
    cases.add(
        test(
            "generate: a model whose card cannot be built",
            () -> {
              Path model = work.resolve("bad-card");
              copy(work.resolve("models/cemiface"), model);
              try (Stream<Path> cards = Files.walk(model)) {
                for (Path card : cards.filter(p -> p.toString().endsWith("ema.json")).toList()) {
                  Files.writeString(
                      card,
                      Files.readString(card)
                          .replace("\"modelChannels\": 32", "\"modelChannels\": 48"));
                }
              }
              run("generate", "generate.model=bad-card", "generate.output=g-card")
                  .expect(ExitStatus.BAD_INPUT, "bad-card", "ema.json", "cannot be built")
                  .absent("g-card/generate.json");
            }));
    cases.add(
        test(
            "generate: an encoder whose parameters do not match its card",
            () -> {
              mismatchedEncoder("bad-encoder");
              run("generate", "encoder.source=djl:bad-encoder", "generate.output=g-enc")
                  .expect(ExitStatus.BAD_INPUT, "bad-encoder/encoder.params", "in the file")
                  .absent("g-enc/generate.json");
            }));
    cases.add(
        test(
            "generate: a model that is not there",
            () ->
                run("generate", "generate.model=models/none", "generate.output=g-none")
                    .expect(ExitStatus.BAD_INPUT, "models/none")
                    .absent("g-none/generate.json")));

    // stats
    cases.add(
        test(
            "stats: a dataset that is not there",
            () ->
                run("stats", "stats.dataset=no-dataset", "stats.output=no-dataset/stats")
                    .expect(ExitStatus.BAD_INPUT, "no-dataset")
                    .absent("no-dataset/stats/report.md")));
    cases.add(
        test(
            "stats: an output path under a file",
            () -> {
              Files.writeString(work.resolve("c-file"), "x");
              run("stats", "stats.output=c-file/stats").expect(ExitStatus.BAD_INPUT, "c-file");
            }));

    // sql
    cases.add(
        test(
            "sql: a query that does not parse",
            () ->
                run("sql", "--query", "selec * from plan")
                    .expect(ExitStatus.USAGE, "PARSE_SYNTAX_ERROR", "selec")));
    cases.add(
        test(
            "sql: a column that does not exist",
            () ->
                run("sql", "--query", "select no_such_column from plan")
                    .expect(ExitStatus.USAGE, "no_such_column")));

    // train-encoder and train
    cases.add(
        test(
            "train-encoder: data that is not there",
            () ->
                run("train-encoder", "train-encoder.data=no-data", "train-encoder.output=models/e1")
                    .expect(ExitStatus.BAD_INPUT, "no-data")
                    .absent("models/e1/encoder.json")));
    cases.add(
        test(
            "train-encoder: identities of only broken images",
            () -> {
              corpus("enc-broken/0", true, false);
              corpus("enc-broken/1", true, false);
              run(
                      "train-encoder",
                      "train-encoder.data=enc-broken",
                      "train-encoder.holdout-identities=0",
                      "train-encoder.batch-size=2",
                      "train-encoder.output=models/e2")
                  .expect(ExitStatus.BAD_INPUT, "mostly unreadable", "skipped")
                  .absent("models/e2/encoder.json");
            }));
    cases.add(
        test(
            "train-encoder: one held-out identity",
            () ->
                run(
                        "train-encoder",
                        "train-encoder.holdout-identities=1",
                        "train-encoder.output=models/e3")
                    .expect(ExitStatus.USAGE, "train-encoder.holdout-identities")
                    .absent("models/e3")));
    cases.add(
        test(
            "train: data that is not there",
            () ->
                run("train", "train.data=no-data", "train.output=models/t1")
                    .expect(ExitStatus.BAD_INPUT, "no-data")
                    .absent("models/t1/latest")));
    cases.add(
        test(
            "train: only broken images",
            () -> {
              corpus("train-broken/0", true, false);
              run("train", "train.data=train-broken", "train.steps=2", "train.output=models/t2")
                  .expect(ExitStatus.BAD_INPUT, "mostly unreadable", "skipped")
                  .absent("models/t2/latest");
            }));
    cases.add(
        test(
            "train: an encoder whose parameters do not match its card",
            () -> {
              mismatchedEncoder("bad-encoder-t");
              run(
                      "train",
                      "train.data=identities",
                      "train.steps=2",
                      "encoder.source=djl:bad-encoder-t",
                      "train.output=models/t3")
                  .expect(ExitStatus.BAD_INPUT, "bad-encoder-t/encoder.params", "in the file")
                  .absent("models/t3/latest");
            }));
    return cases.stream();
  }

  // ---------------------------------------------------------------- running the commands

  /** The world's settings: the embedded default, made small. */
  private static final List<String> WORLD =
      List.of(
          "render.identities=8",
          "render.images-per-identity=3",
          "train-encoder.holdout-identities=2",
          "train-encoder.epochs=1",
          "train-encoder.batch-size=8",
          "train.batch-size=4",
          "train.log-every=1",
          "train.sheet-inquiries=2",
          "volume.cohorts=[{subjects=3, images=2}]",
          "volume.oversampling=1",
          "sampling.steps=2",
          "filter.threshold=0.995",
          "filter.gallery-threshold=0.995",
          "generate.subjects-per-partition=2",
          "stats.subjects-per-partition=2",
          "stats.grid-subjects=2",
          "stats.grid-samples=2");

  private record Result(String name, int code, String out, String err) {
    /** Asserts the exit code and that stderr names every fragment; a failure is one line. */
    Result expect(int expected, String... fragments) {
      assertEquals(expected, code, name + ":\n" + err);
      for (String f : fragments) {
        assertTrue(err.contains(f) || out.contains(f), name + " names '" + f + "':\n" + err);
      }
      if (expected != 0) {
        String line =
            err.lines().filter(l -> l.startsWith("cemiface " + name + ": ")).findFirst().orElse("");
        assertFalse(line.isEmpty(), name + " says what is wrong on a line of its own:\n" + err);
        assertFalse(err.contains("\tat "), name + " prints no stack trace:\n" + err);
      }
      return this;
    }

    /** Asserts that the run left nothing at {@code relative} (under the work directory). */
    Result absent(String relative) {
      assertFalse(Files.exists(work.resolve(relative)), name + " left " + relative);
      return this;
    }

    Result present(String relative) {
      assertTrue(Files.exists(work.resolve(relative)), name + " wrote " + relative);
      return this;
    }
  }

  private static DynamicTest test(String name, ThrowingBody body) {
    return DynamicTest.dynamicTest(name, body::run);
  }

  private interface ThrowingBody {
    void run() throws Exception;
  }

  /** Runs {@code command}: options start with "--", every other argument is a --set override. */
  private static Result run(String command, String... arguments) {
    List<String> args = new ArrayList<>(List.of(command, "--config", localConf()));
    List<String> overrides = new ArrayList<>(WORLD);
    overrides.add("work-dir=" + work);
    for (int i = 0; i < arguments.length; i++) {
      if (arguments[i].startsWith("--")) {
        args.add(arguments[i]);
        args.add(arguments[++i]);
      } else {
        overrides.add(arguments[i]);
      }
    }
    for (String o : overrides) {
      args.add("--set");
      args.add(o);
    }
    Launched r = Launched.run(args);
    return new Result(command, r.code(), r.out(), r.err());
  }

  private static void ok(String command, String... overrides) {
    run(command, overrides).expect(0);
  }

  private static String localConf() {
    return Path.of(System.getProperty("user.dir"))
        .getParent()
        .resolve("conf/local.conf")
        .toString();
  }

  private static Result embed(Path images, String output) {
    return run(
        "embed",
        "--encoder",
        "djl:" + work.resolve("models/encoder"),
        "--input",
        images.toString(),
        "--output",
        work.resolve(output).toString());
  }

  private static Result filterCandidates(String candidates) {
    return filterCandidates(candidates, candidates + "-out");
  }

  private static Result filterCandidates(String candidates, String output) {
    return run(
        "filter",
        "filter.candidates=" + candidates,
        "filter.gallery=identities",
        "filter.output=" + output + "/inquiries.parquet");
  }

  private static Result planAndGenerate(String table, String output) {
    Result plan =
        run("plan", "plan.inquiries=" + table, "plan.output=" + output + "-plan/plan.parquet");
    if (plan.code() != 0) {
      return plan;
    }
    return run(
        "generate", "generate.plan=" + output + "-plan/plan.parquet", "generate.output=" + output);
  }

  // ---------------------------------------------------------------- the corpus

  private static String[] brokenReasons() {
    return BROKEN.stream().map(b -> b[0] + ": " + b[1]).toArray(String[]::new);
  }

  /** Copies the committed corpus (broken and/or legal files) into {@code relative}. */
  private static Path corpus(String relative, boolean broken, boolean legal) throws IOException {
    Path dir = Files.createDirectories(work.resolve(relative));
    List<String> names = new ArrayList<>();
    if (broken) {
      BROKEN.forEach(b -> names.add(b[0]));
    }
    if (legal) {
      names.addAll(LEGAL);
    }
    for (String name : names) {
      try (var in = BadInputCorpusTest.class.getResourceAsStream("/bad-input/images/" + name)) {
        Files.copy(in, dir.resolve(name));
      }
    }
    return dir;
  }

  /** A copy of the generated dataset's RecordIO pair. */
  private static Path recordIo(String relative) throws IOException {
    Path dir = Files.createDirectories(work.resolve(relative));
    for (String f : List.of("train.rec", "train.idx")) {
      Files.copy(work.resolve("dataset/recordio").resolve(f), dir.resolve(f));
    }
    return dir;
  }

  /** The offsets of a RecordIO index, by key (the generated index lists keys 0, 1, … in order). */
  private static List<Long> indexOffsets(Path dir) throws IOException {
    List<Long> offsets = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("train.idx"))) {
      if (!line.isBlank()) {
        offsets.add(Long.parseLong(line.trim().split("\\s+")[1]));
      }
    }
    return offsets;
  }

  /** Three embedding inquiries of {@code dimension}; the second holds {@code poison}. */
  private static void embeddings(String relative, int dimension, float poison) {
    try (ParquetTableWriter w =
        new ParquetTableWriter(
            new org.apache.hadoop.fs.Path(work.resolve(relative).toString()),
            MessageTypeParser.parseMessageType(
                "message t { required binary id (UTF8); optional group embedding (LIST) {"
                    + " repeated group list { optional float element; } } }"))) {
      for (int row = 0; row < 3; row++) {
        Group g = w.newRow();
        g.add("id", "centre-" + row);
        Group list = g.addGroup("embedding");
        for (int k = 0; k < dimension; k++) {
          list.addGroup("list")
              .add("element", row == 1 && k == 0 ? poison : (float) Math.sin(row + k));
        }
        w.write(g);
      }
      w.commit();
    }
  }

  /** A copy of the world's encoder whose card claims 64-dimensional embeddings (it makes 128). */
  private static void mismatchedEncoder(String relative) throws IOException {
    Path encoder = work.resolve(relative);
    copy(work.resolve("models/encoder"), encoder);
    Path card = encoder.resolve("encoder.json");
    Files.writeString(
        card, Files.readString(card).replace("\"embeddingSize\": 128", "\"embeddingSize\": 64"));
  }

  /** The rows of a Parquet table (a file or a directory of parts), their columns joined by '|'. */
  private static List<String> rows(Path table, String... columns) {
    List<String> out = new ArrayList<>();
    for (org.apache.hadoop.fs.Path part :
        ParquetTableReader.parts(new org.apache.hadoop.fs.Path(table.toString()))) {
      for (Group g : ParquetTableReader.readAll(part)) {
        List<String> values = new ArrayList<>();
        for (String c : columns) {
          values.add(
              g.getFieldRepetitionCount(c) == 0
                  ? "NULL"
                  : g.getValueToString(g.getType().getFieldIndex(c), 0));
        }
        out.add(String.join("|", values));
      }
    }
    return out;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}

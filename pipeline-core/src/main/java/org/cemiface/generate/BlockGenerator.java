package org.cemiface.generate;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.encoder.Embeddings;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.Resize;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.plan.EmbeddingInquiries;
import org.cemiface.plan.PlanRow;
import org.cemiface.recordio.RecordIoMerge;
import org.cemiface.recordio.RecordIoPart;

/**
 * Produces one block of whole subjects (one Spark task): DDIM samples batched across the block's
 * subjects, inquiry copies, each image committed under its final name, then the block's RecordIO
 * part and, last, its samples part, whose presence marks the block complete. Subjects whose images
 * are all present from an earlier, killed run are not generated again; their stored images are read
 * back for the tables.
 */
public final class BlockGenerator {
  private final DatasetLayout layout;
  private final ImageSettings imageSettings;
  private final int batchSize;
  private final boolean recordIo;
  private final int writeAhead;
  private final PrintStream log;
  private long writerWaitNanos;

  /** What one block did. */
  public record Result(
      int block, int subjects, int subjectsReused, int generated, int copies, long nanos)
      implements Serializable {}

  /**
   * A generator writing below {@code layout}; up to {@code writeAhead} sampled batches wait for the
   * writer thread (0: the sampling thread writes each batch itself).
   */
  public BlockGenerator(
      DatasetLayout layout,
      ImageSettings imageSettings,
      int batchSize,
      boolean recordIo,
      int writeAhead,
      PrintStream log) {
    this.layout = layout;
    this.imageSettings = imageSettings;
    this.batchSize = batchSize;
    this.recordIo = recordIo;
    this.writeAhead = writeAhead;
    this.log = log;
  }

  /**
   * Nanoseconds the sampling thread has waited on the writer over every block this generator ran (a
   * full hand-off queue, then each block's final drain).
   */
  public long writerWaitNanos() {
    return writerWaitNanos;
  }

  /** One subject of the block, with its rows in index order. */
  private static final class Subject {
    final long id;
    final List<PlanRow> rows = new ArrayList<>();
    final Map<Integer, byte[]> stored = new LinkedHashMap<>();
    final Map<Integer, RgbImage> pixels = new HashMap<>();
    RgbImage inquiry;

    Subject(long id) {
      this.id = id;
    }
  }

  /**
   * Runs block {@code block} ({@code rows} in any order); record keys start at {@code
   * firstRecordKey}. {@code attempt} is the task attempt (failure injection fires on attempt 0
   * only).
   */
  public Result run(
      int block,
      List<PlanRow> rows,
      long firstRecordKey,
      Supplier<SampleModels> modelLoader,
      FileCommitter committer,
      int attempt,
      GenerateSettings.FailureInjection injection) {
    long start = System.nanoTime();
    List<Subject> subjects = group(rows);
    int reused = 0;
    for (Subject s : subjects) {
      if (readBackIfComplete(s)) {
        reused++;
      }
    }
    try (SampleModels models = modelLoader.get()) {
      SampleModels.Conditions conditions = conditions(subjects, models);
      int size = models.imageSize();
      int generated =
          generateMissing(block, subjects, conditions, models, size, committer, attempt, injection);
      List<SampleRow> samples = describe(subjects, conditions.embeddings(), models);
      if (recordIo) {
        writeRecordIoPart(block, subjects, firstRecordKey, committer);
      }
      SamplesTable.write(layout.samplesPart(block), samples);
      int copies = (int) rows.stream().filter(r -> r.kind() == PlanRow.Kind.INQUIRY_COPY).count();
      Result result =
          new Result(block, subjects.size(), reused, generated, copies, System.nanoTime() - start);
      log.printf(
          "[generate] block %d: %d subjects (%d already complete), %d images generated in %.1f s with %s%n",
          block, subjects.size(), reused, generated, result.nanos() / 1e9, models.description());
      return result;
    }
  }

  private static List<Subject> group(List<PlanRow> rows) {
    List<PlanRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparingLong(PlanRow::subject).thenComparingInt(PlanRow::index));
    List<Subject> subjects = new ArrayList<>();
    for (PlanRow r : sorted) {
      if (subjects.isEmpty() || subjects.get(subjects.size() - 1).id != r.subject()) {
        subjects.add(new Subject(r.subject()));
      }
      subjects.get(subjects.size() - 1).rows.add(r);
    }
    return subjects;
  }

  /**
   * Reads the subject's stored images when every planned file is present; files are only ever
   * complete.
   */
  private boolean readBackIfComplete(Subject s) {
    Path dir = layout.subjectDir(s.id);
    Set<String> present = new HashSet<>();
    try {
      var fs = HadoopPaths.fileSystem(dir);
      if (fs.exists(dir)) {
        for (FileStatus f : fs.listStatus(dir)) {
          present.add(f.getPath().getName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (PlanRow r : s.rows) {
      if (!present.contains(layout.image(r.subject(), r.index()).getName())) {
        return false;
      }
    }
    for (PlanRow r : s.rows) {
      s.stored.put(r.index(), HadoopFiles.readAllBytes(layout.image(r.subject(), r.index())));
    }
    return true;
  }

  /**
   * Each subject's condition: from its inquiry image, or the embedding it was given (no image, so
   * no inquiry copies either), in subject order.
   */
  private static SampleModels.Conditions conditions(List<Subject> subjects, SampleModels models) {
    List<Subject> withImage = new ArrayList<>();
    List<Subject> withEmbedding = new ArrayList<>();
    for (Subject s : subjects) {
      if (EmbeddingInquiries.isReference(s.rows.get(0).inquirySource())) {
        withEmbedding.add(s);
      } else {
        s.inquiry = readInquiry(s);
        withImage.add(s);
      }
    }
    if (withEmbedding.isEmpty()) {
      return models.condition(withImage.stream().map(s -> s.inquiry).toList());
    }
    SampleModels.Conditions fromEmbeddings =
        models.conditionFromEmbeddings(
            withEmbedding.stream()
                .map(s -> EmbeddingInquiries.read(s.rows.get(0).inquirySource()))
                .toList());
    SampleModels.Conditions fromImages =
        withImage.isEmpty()
            ? new SampleModels.Conditions(new float[0][], null)
            : models.condition(withImage.stream().map(s -> s.inquiry).toList());
    float[][] embeddings = new float[subjects.size()][];
    int image = 0;
    int given = 0;
    for (int i = 0; i < subjects.size(); i++) {
      embeddings[i] =
          subjects.get(i).inquiry != null
              ? fromImages.embeddings()[image++]
              : fromEmbeddings.embeddings()[given++];
    }
    return new SampleModels.Conditions(embeddings, null);
  }

  private static RgbImage readInquiry(Subject s) {
    PlanRow first = s.rows.get(0);
    try {
      return ImageDecoder.decode(
          ImageBytes.read(new ImageEntry(first.inquirySource(), 0, first.inquiryId())),
          first.inquirySource());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "subject "
              + s.id
              + ": cannot read inquiry "
              + first.inquiryId()
              + " at "
              + first.inquirySource()
              + ": "
              + e.getMessage()
              + ". Rerun filter/plan, or restore the file.",
          e);
    }
  }

  private int generateMissing(
      int block,
      List<Subject> subjects,
      SampleModels.Conditions conditions,
      SampleModels models,
      int size,
      FileCommitter committer,
      int attempt,
      GenerateSettings.FailureInjection injection) {
    List<PlanRow> pending = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int i = 0; i < subjects.size(); i++) {
      if (subjects.get(i).stored.isEmpty()) {
        for (PlanRow r : subjects.get(i).rows) {
          if (r.kind() == PlanRow.Kind.GENERATED) {
            pending.add(r);
            owner.add(i);
          }
        }
      }
    }
    int[] committedSubjects = {0};
    // Subjects without generated rows (oversampling only) complete before the first batch.
    for (Subject s : subjects) {
      if (s.stored.isEmpty()
          && s.rows.stream().noneMatch(r -> r.kind() == PlanRow.Kind.GENERATED)) {
        committedSubjects[0] += finishSubject(s, size, committer);
      }
    }
    // The sampler hands each finished batch to the writer and samples the next while it is encoded
    // and committed; only the writer thread touches the subjects' images and the committer until
    // finish().
    try (WriterStage writer = new WriterStage(writeAhead, "block-" + block + "-writer")) {
      for (int from = 0; from < pending.size(); from += batchSize) {
        int to = Math.min(pending.size(), from + batchSize);
        int n = to - from;
        float[][] ids = new float[n][];
        float[][] spatial = conditions.spatial() == null ? null : new float[n][];
        float[] m = new float[n];
        long[] seeds = new long[n];
        for (int k = 0; k < n; k++) {
          int subject = owner.get(from + k);
          ids[k] = conditions.embeddings()[subject];
          if (spatial != null) {
            spatial[k] = conditions.spatial()[subject];
          }
          m[k] = pending.get(from + k).m();
          seeds[k] = pending.get(from + k).seed();
        }
        List<RgbImage> images = models.generate(ids, spatial, m, seeds);
        int first = from;
        writer.submit(
            () -> {
              for (int k = 0; k < images.size(); k++) {
                PlanRow r = pending.get(first + k);
                Subject s = subjects.get(owner.get(first + k));
                store(s, r, images.get(k), committer);
                if (s.stored.size() == countGenerated(s)) {
                  committedSubjects[0] += finishSubject(s, size, committer);
                  inject(injection, block, attempt, committedSubjects[0]);
                }
              }
            });
      }
      writer.finish();
      writerWaitNanos += writer.waitedNanos();
    }
    return pending.size();
  }

  /** Commits one generated image and keeps what the tables need of it. */
  private void store(Subject s, PlanRow r, RgbImage image, FileCommitter committer) {
    byte[] bytes = imageSettings.encode(image);
    committer.write(layout.image(r.subject(), r.index()), bytes);
    s.stored.put(r.index(), bytes);
    if (lossless()) {
      s.pixels.put(r.index(), image);
    }
  }

  /** Whether a stored image decodes to the pixels it was encoded from (PNG), sparing a decode. */
  private boolean lossless() {
    return imageSettings.format() == ImageFormat.PNG;
  }

  /** The test switch: fail or stall attempt 0 of the chosen block after its chosen subject. */
  private void inject(
      GenerateSettings.FailureInjection injection, int block, int attempt, int committed) {
    if (!injection.fires(block, attempt, committed)) {
      return;
    }
    if (injection.stallMillis() > 0) {
      stall(injection.stallMillis(), block);
      return;
    }
    throw new IllegalStateException(
        "injected failure (-D"
            + GenerateSettings.FailureInjection.PROPERTY
            + ") in block "
            + block
            + " after "
            + committed
            + " subjects, attempt "
            + attempt);
  }

  /** The injected slow attempt: sleeps, and ends the attempt when Spark kills it meanwhile. */
  private void stall(long millis, int block) {
    log.printf("[generate] block %d: attempt 0 stalls %d ms (injected)%n", block, millis);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("block " + block + ": the stalled attempt was killed", e);
    }
  }

  private static int countGenerated(Subject s) {
    return (int) s.rows.stream().filter(r -> r.kind() == PlanRow.Kind.GENERATED).count();
  }

  /**
   * Writes the subject's inquiry copies (after its generated images; an inquiry given as an
   * embedding has none); returns 1.
   */
  private int finishSubject(Subject s, int size, FileCommitter committer) {
    if (s.inquiry == null) {
      return 1;
    }
    RgbImage copy =
        s.inquiry.width() == size && s.inquiry.height() == size
            ? s.inquiry
            : Resize.bilinear(s.inquiry, size, size);
    byte[] bytes = imageSettings.encode(copy);
    for (PlanRow r : s.rows) {
      if (r.kind() == PlanRow.Kind.INQUIRY_COPY) {
        committer.write(layout.image(r.subject(), r.index()), bytes);
        s.stored.put(r.index(), bytes);
        if (lossless()) {
          s.pixels.put(r.index(), copy);
        }
      }
    }
    return 1;
  }

  /**
   * Samples rows with the similarity of each stored image (as a trainer will decode it) to its
   * inquiry.
   */
  private List<SampleRow> describe(
      List<Subject> subjects, float[][] inquiryEmbeddings, SampleModels models) {
    List<SampleRow> out = new ArrayList<>();
    List<RgbImage> batch = new ArrayList<>();
    List<PlanRow> batchRows = new ArrayList<>();
    List<Integer> batchOwner = new ArrayList<>();
    for (int i = 0; i < subjects.size(); i++) {
      Subject s = subjects.get(i);
      for (PlanRow r : s.rows) {
        String where = layout.relativeImagePath(r.subject(), r.index());
        RgbImage kept = s.pixels.get(r.index());
        batch.add(kept != null ? kept : ImageDecoder.decode(s.stored.get(r.index()), where));
        batchRows.add(r);
        batchOwner.add(i);
        if (batch.size() == batchSize) {
          flush(batch, batchRows, batchOwner, inquiryEmbeddings, models, out);
        }
      }
    }
    flush(batch, batchRows, batchOwner, inquiryEmbeddings, models, out);
    return out;
  }

  private void flush(
      List<RgbImage> batch,
      List<PlanRow> rows,
      List<Integer> owner,
      float[][] inquiryEmbeddings,
      SampleModels models,
      List<SampleRow> out) {
    if (batch.isEmpty()) {
      return;
    }
    float[][] emb = models.embed(batch);
    for (int k = 0; k < batch.size(); k++) {
      PlanRow r = rows.get(k);
      out.add(
          new SampleRow(
              r.subject(),
              r.index(),
              r.kind().label(),
              r.m(),
              r.seed(),
              r.inquiryId(),
              r.inquirySource(),
              r.cohort(),
              layout.relativeImagePath(r.subject(), r.index()),
              batch.get(k).width(),
              batch.get(k).height(),
              (float) Embeddings.cosine(inquiryEmbeddings[owner.get(k)], emb[k])));
    }
    batch.clear();
    rows.clear();
    owner.clear();
  }

  private void writeRecordIoPart(
      int block, List<Subject> subjects, long firstKey, FileCommitter committer) {
    RecordIoPart part = new RecordIoPart(firstKey);
    for (Subject s : subjects) {
      for (PlanRow r : s.rows) {
        part.add(Math.toIntExact(s.id), s.stored.get(r.index()));
      }
    }
    Path rec = layout.recordIoPart(block);
    committer.write(rec, part.recordBytes());
    committer.write(RecordIoMerge.indexOf(rec), part.indexBytes());
  }
}

package org.cemiface.render;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.progress.Progress;

/**
 * Renders a synthetic identity set as an ImageFolder tree ({@code <identity>/<index>.<ext>}) plus a
 * Parquet manifest. Each image is written atomically and the manifest last, so the manifest's
 * presence means the set is complete; a rerun rewrites identical bytes (rendering is deterministic)
 * and is therefore safe.
 */
public final class IdentitySetWriter {
  private final SyntheticIdentities population;
  private final RenderSettings render;
  private final ImageSettings image;
  private final int threads;

  /** A writer for the identities described by {@code render}. */
  public IdentitySetWriter(long seed, RenderSettings render, ImageSettings image, int threads) {
    this.population = new SyntheticIdentities(seed, render.variation(), render.size());
    this.render = render;
    this.image = image;
    this.threads = Math.max(1, threads);
  }

  /** The folder name of an identity; zero-padded so lexicographic order is numeric order. */
  public static String identityDir(int identity) {
    return String.format("%07d", identity);
  }

  /**
   * Renders everything under {@code root} and returns the manifest rows in (identity, index) order.
   */
  public List<IdentityManifest.Row> write(Path root) {
    return write(root, System.err);
  }

  /** As {@link #write(Path)}, printing progress lines to {@code log}. */
  public List<IdentityManifest.Row> write(Path root, PrintStream log) {
    Progress progress =
        new Progress(
            "render-identities",
            "images",
            (long) render.identities() * render.imagesPerIdentity(),
            log);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "render");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<List<IdentityManifest.Row>>> futures = new ArrayList<>();
      for (int i = 0; i < render.identities(); i++) {
        int identity = render.firstIdentity() + i;
        futures.add(pool.submit(() -> writeIdentity(root, identity)));
      }
      List<IdentityManifest.Row> rows = new ArrayList<>();
      for (Future<List<IdentityManifest.Row>> f : futures) {
        List<IdentityManifest.Row> done = f.get();
        rows.addAll(done);
        progress.advance(done.size());
      }
      IdentityManifest.write(root, rows);
      return rows;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("rendering interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private List<IdentityManifest.Row> writeIdentity(Path root, int identity) {
    IdentityTraits traits = population.traits(identity);
    List<IdentityManifest.Row> rows = new ArrayList<>(render.imagesPerIdentity());
    for (int index = 0; index < render.imagesPerIdentity(); index++) {
      RgbImage img = population.image(traits, identity, index);
      String relative = identityDir(identity) + "/" + index + "." + image.format().extension();
      HadoopFiles.writeAtomically(new Path(root, relative), image.encode(img));
      rows.add(
          new IdentityManifest.Row(
              identity,
              index,
              relative,
              img.width(),
              img.height(),
              population.imageSeed(identity, index)));
    }
    return rows;
  }
}

package org.cemiface.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.render.IdentityManifest;
import org.cemiface.render.IdentityPreview;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;

/** {@code render-identities}: draws the synthetic identity set the embedded default trains on. */
public final class RenderIdentitiesCommand implements Command {
  @Override
  public String name() {
    return "render-identities";
  }

  @Override
  public String summary() {
    return "render a deterministic synthetic face-identity dataset (ImageFolder + Parquet manifest)";
  }

  @Override
  public String help() {
    return "Renders render.identities synthetic people with render.images-per-identity images each at\n"
        + "render.size pixels into render.output (relative to work-dir): <identity>/<index>.png plus\n"
        + "manifest.parquet (identity, index, path, width, height, seed), _render.conf (the resolved\n"
        + "configuration) and _preview.png (a contact sheet of the first identities). The same seed gives byte-identical files; a rerun rewrites the same bytes.\n"
        + "Keys: seed, work-dir, render.*, image.format, image.jpeg-quality.";
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    RenderSettings render = RenderSettings.from(r);
    ImageSettings image = ImageSettings.from(r);
    Path root = new Path(run.resolve(render.output()));
    long start = System.nanoTime();
    List<IdentityManifest.Row> rows =
        new IdentitySetWriter(run.seed(), render, image, Runtime.getRuntime().availableProcessors())
            .write(root, inv.err());
    HadoopFiles.writeAtomically(
        new Path(root, "_render.conf"), inv.config().render().getBytes(StandardCharsets.UTF_8));
    inv.out()
        .printf(
            "Rendered %d identities x %d images (%dx%d) in %.1f s%n",
            render.identities(),
            render.imagesPerIdentity(),
            render.size(),
            render.size(),
            (System.nanoTime() - start) / 1e9);
    inv.out().println("Images:   " + root);
    inv.out()
        .println(
            "Manifest: "
                + new Path(root, IdentityManifest.FILE_NAME)
                + " ("
                + rows.size()
                + " rows)");
    Path preview = new Path(root, "_preview.png");
    HadoopFiles.writeAtomically(preview, ImageEncoder.png(IdentityPreview.sheet(root, rows, 8, 8)));
    inv.out().println("Preview:  " + preview);
    return 0;
  }
}

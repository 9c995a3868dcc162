package org.cemiface.cli;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.image.ImageDecodeException;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.progress.Progress;

/** {@code embed}: embeds every image of a folder with any identity encoder and writes a CSV. */
public final class EmbedCommand implements Command {
  @Override
  public String name() {
    return "embed";
  }

  @Override
  public String summary() {
    return "embed a folder of face images with an AdaFace, TorchScript or ONNX encoder into a CSV";
  }

  @Override
  public String help() {
    return "Reads every .png/.jpg/.jpeg below --input (any Hadoop path), embeds them with the encoder and writes\n"
        + "--output: one CSV row per image, the path relative to --input, then the d L2-normalised values.\n"
        + "  --encoder KIND:PATH   adaface:FILE.ckpt | torchscript:FILE.pt | onnx:FILE.onnx (key encoder.source)\n"
        + "  --arch NAME           adaface only: expected architecture, e.g. ir_50 (key encoder.arch; default: inferred)\n"
        + "  --size N, --channel-order rgb|bgr, --mean a,b,c, --std a,b,c\n"
        + "                        torchscript/onnx preprocessing (keys encoder.input-size, channel-order, mean, std);\n"
        + "                        adaface checkpoints always use BGR, mean 0.5, std 0.5 at their own input size\n"
        + "  --batch-size N        images per forward pass (key encoder.batch-size)\n"
        + "Images of another size are resized bilinearly. Unreadable files are listed on stderr with the reason;\n"
        + "the exit code is non-zero only if no image could be read.";
  }

  @Override
  public Set<String> options() {
    return Set.of(
        "--encoder",
        "--arch",
        "--input",
        "--output",
        "--size",
        "--channel-order",
        "--mean",
        "--std",
        "--batch-size");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    EncoderSettings settings = EncoderSettings.from(withOptions(inv).reader());
    if (settings.source().isEmpty()) {
      throw new UsageError("no encoder: pass --encoder KIND:PATH or set encoder.source");
    }
    Path input = new Path(inv.required("--input"));
    Path output = new Path(inv.required("--output"));
    List<Path> files =
        new ArrayList<>(
            HadoopFiles.listFiles(input).stream()
                .filter(p -> ImageFormat.fromFileName(p.getName()).isPresent())
                .toList());
    files.sort(Comparator.comparing(Path::toString));
    if (files.isEmpty()) {
      inv.err().println("cemiface embed: no .png/.jpg/.jpeg files below " + input);
      return Main.BAD_INPUT;
    }
    String root = HadoopFiles.qualified(input).toString();
    int unreadable = 0;
    int written = 0;
    Progress progress = new Progress("embed", "images", files.size(), inv.err());
    try (IdentityEncoder encoder = IdentityEncoders.open(settings)) {
      StringBuilder csv = new StringBuilder();
      for (int start = 0; start < files.size(); start += settings.batchSize()) {
        List<Path> batch =
            files.subList(start, Math.min(files.size(), start + settings.batchSize()));
        List<RgbImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path file : batch) {
          String name = relative(root, HadoopFiles.qualified(file).toString());
          try {
            images.add(ImageDecoder.decode(HadoopFiles.readAllBytes(file), name));
            names.add(name);
          } catch (ImageDecodeException e) {
            inv.err().println("unreadable: " + e.getMessage());
            unreadable++;
          }
        }
        if (!images.isEmpty()) {
          float[][] emb = encoder.embed(images);
          for (int i = 0; i < emb.length; i++) {
            appendRow(csv, names.get(i), emb[i]);
          }
          written += emb.length;
        }
        progress.advance(batch.size());
      }
      if (written == 0) {
        inv.err().println("cemiface embed: none of the " + files.size() + " images could be read");
        return Main.BAD_INPUT;
      }
      HadoopFiles.writeAtomically(
          output,
          out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(csv.toString());
            w.flush();
          });
      inv.out()
          .printf(
              "Embedded %d images (d=%d) into %s%s%n",
              written,
              encoder.dimension(),
              output,
              unreadable > 0 ? "; " + unreadable + " unreadable (listed above)" : "");
    }
    return 0;
  }

  private static String relative(String root, String file) {
    String prefix = root.endsWith("/") ? root : root + "/";
    return file.startsWith(prefix) ? file.substring(prefix.length()) : file;
  }

  private static void appendRow(StringBuilder csv, String name, float[] values) {
    csv.append(
        name.contains(",") || name.contains("\"")
            ? "\"" + name.replace("\"", "\"\"") + "\""
            : name);
    for (float v : values) {
      csv.append(',').append(String.format(Locale.ROOT, "%.8g", v));
    }
    csv.append('\n');
  }

  /** The configuration with the command-line options applied as overrides of encoder.* keys. */
  private static LoadedConfig withOptions(Invocation inv) {
    List<String> overrides = new ArrayList<>(inv.config().overrides());
    inv.option("--encoder").ifPresent(v -> overrides.add("encoder.source=" + v));
    inv.option("--arch").ifPresent(v -> overrides.add("encoder.arch=" + v));
    inv.option("--size").ifPresent(v -> overrides.add("encoder.input-size=" + v));
    inv.option("--channel-order").ifPresent(v -> overrides.add("encoder.channel-order=" + v));
    inv.option("--mean").ifPresent(v -> overrides.add("encoder.mean=[" + v + "]"));
    inv.option("--std").ifPresent(v -> overrides.add("encoder.std=[" + v + "]"));
    inv.option("--batch-size").ifPresent(v -> overrides.add("encoder.batch-size=" + v));
    return ConfigLoader.load(inv.config().files(), overrides);
  }
}

package org.cemiface.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ImageFormat;
import org.cemiface.io.HadoopFiles;

/**
 * Lists an ImageFolder dataset ({@code <root>/<class>/<image>}) through the Hadoop FileSystem API.
 * Labels are the positions of the class folders in sorted order, as torchvision assigns them;
 * hidden files are skipped.
 */
public final class ImageFolderSource {
  private ImageFolderSource() {}

  /** Every .png/.jpg/.jpeg one level below a class folder, sorted by path. */
  public static List<ImageEntry> list(String root) {
    Path rootPath = HadoopFiles.qualified(new Path(root));
    String prefix = rootPath.toString().endsWith("/") ? rootPath.toString() : rootPath + "/";
    TreeMap<String, List<String>> byClass = new TreeMap<>();
    for (Path p : HadoopFiles.listFiles(rootPath)) {
      String full = p.toString();
      if (!full.startsWith(prefix) || ImageFormat.fromFileName(p.getName()).isEmpty()) {
        continue;
      }
      String relative = full.substring(prefix.length());
      int slash = relative.indexOf('/');
      if (slash <= 0 || relative.indexOf('/', slash + 1) >= 0) {
        continue; // not exactly <class>/<file>
      }
      byClass.computeIfAbsent(relative.substring(0, slash), k -> new ArrayList<>()).add(relative);
    }
    if (byClass.isEmpty()) {
      throw new IllegalArgumentException(
          "no images in " + root + ": expected <class>/<image>.png|.jpg folders");
    }
    List<ImageEntry> out = new ArrayList<>();
    int label = 0;
    for (List<String> files : byClass.values()) {
      files.sort(Comparator.naturalOrder());
      for (String relative : files) {
        out.add(new ImageEntry(prefix + relative, label, relative));
      }
      label++;
    }
    return out;
  }

  /** Number of distinct labels in {@code entries}. */
  public static int classes(List<ImageEntry> entries) {
    return entries.stream().mapToInt(ImageEntry::label).max().orElse(-1) + 1;
  }
}

package org.cemiface.render;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageGrid;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;

/**
 * A contact sheet of a written identity set: one row per identity, read back from the files
 * themselves.
 */
public final class IdentityPreview {
  private IdentityPreview() {}

  /**
   * Up to {@code identities} rows of up to {@code perIdentity} images, labelled by identity and
   * index.
   */
  public static RgbImage sheet(
      Path root, List<IdentityManifest.Row> rows, int identities, int perIdentity) {
    List<List<RgbImage>> grid = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int columns = 0;
    for (IdentityManifest.Row row : rows) {
      if (row.index() == 0) {
        if (grid.size() == identities) {
          break;
        }
        grid.add(new ArrayList<>());
        labels.add("id " + row.identity());
      }
      List<RgbImage> current = grid.get(grid.size() - 1);
      if (row.index() < perIdentity) {
        current.add(
            ImageDecoder.decode(HadoopFiles.readAllBytes(new Path(root, row.path())), row.path()));
        columns = Math.max(columns, current.size());
      }
    }
    List<String> columnLabels = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      columnLabels.add("#" + c);
    }
    int cell = Math.max(64, rows.isEmpty() ? 64 : rows.get(0).width());
    return ImageGrid.render(grid, labels, columnLabels, cell);
  }
}

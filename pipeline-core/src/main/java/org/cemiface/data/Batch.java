package org.cemiface.data;

import java.util.List;
import org.cemiface.image.RgbImage;

/** Decoded images with their labels and entries, in the order they were requested. */
public record Batch(List<RgbImage> images, int[] labels, List<ImageEntry> entries) {
  /** Number of images. */
  public int size() {
    return images.size();
  }
}

package org.cemiface.data;

import java.util.List;

/** Decoded images with their labels and entries, in the order they were requested. */
public record Batch(
    List<org.cemiface.image.RgbImage> images, int[] labels, List<ImageEntry> entries) {
  /** Number of images. */
  public int size() {
    return images.size();
  }
}

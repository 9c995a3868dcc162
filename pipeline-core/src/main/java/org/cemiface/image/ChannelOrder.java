package org.cemiface.image;

/** Channel order of a model's input tensor. */
public enum ChannelOrder {
  /** Red, green, blue (insightface ONNX models, this project's own models). */
  RGB,
  /** Blue, green, red (AdaFace checkpoints, which were trained on OpenCV-loaded images). */
  BGR;

  /** The RGB channel index stored at tensor channel {@code c}. */
  int sourceChannel(int c) {
    return this == RGB ? c : 2 - c;
  }
}

package org.cemiface.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Creates arrays that PyTorch owns.
 *
 * <p>DJL's PyTorch engine wraps Java direct buffers without copying ({@code torchFromBlob}). When
 * autograd saves such a tensor for the backward pass and its Java wrapper is collected first,
 * backward reads freed memory (see docs/models.md, "The zero-copy hazard"). Every array built from
 * Java data that may meet a gradient-carrying array goes through here, which copies it into
 * torch-allocated storage.
 */
public final class Tensors {
  private Tensors() {}

  /**
   * A torch-owned float32 array with {@code data} in {@code shape}, attached to {@code manager}.
   */
  public static NDArray floats(NDManager manager, float[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  /** A torch-owned int64 array. */
  public static NDArray longs(NDManager manager, long[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  /** A torch-owned 0-d scalar on the same manager, device and data type as {@code like}. */
  public static NDArray scalarLike(NDArray like, double value) {
    NDManager m = like.getManager();
    try (NDArray wrapped = m.create((float) value)) {
      NDArray owned = wrapped.duplicate();
      return owned.getDataType() == like.getDataType()
          ? owned
          : owned.toType(like.getDataType(), false);
    }
  }

  /**
   * {@code param} reshaped to {@code shape}, owned by {@code like}'s manager. A reshape attaches to
   * the parameter's long-lived manager; moving the view keeps per-step loops from accumulating them
   * there.
   */
  public static NDArray viewLike(NDArray param, Shape shape, NDArray like) {
    NDArray view = param.reshape(shape);
    view.attach(like.getManager());
    return view;
  }

  /** {@code x · value} without a Java-backed scalar on the autograd path. */
  public static NDArray times(NDArray x, double value) {
    return x.mul(scalarLike(x, value));
  }

  /** {@code x + value} without a Java-backed scalar on the autograd path. */
  public static NDArray plus(NDArray x, double value) {
    return x.add(scalarLike(x, value));
  }

  /**
   * {@code x} as {@code type}, differentiable, on {@code x}'s manager; {@code x} itself when it has
   * that type.
   */
  public static NDArray cast(NDArray x, DataType type) {
    return cast(x, type, x.getManager());
  }

  /**
   * {@code x} as {@code type}, attached to {@code manager}, with gradients flowing back to {@code
   * x} (cast back to its type by autograd). DJL's {@code toType} runs under a no-grad guard and
   * would cut the graph; an in-place add into zeros of the target type is recorded by autograd like
   * any other op.
   */
  public static NDArray cast(NDArray x, DataType type, NDManager manager) {
    if (x.getDataType() == type) {
      return x;
    }
    return manager.zeros(x.getShape(), type, x.getDevice()).addi(x);
  }
}

package org.cemiface.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's intra-op thread count for the calling thread. Several Spark tasks in one executor each
 * default to every core, so two concurrent tasks on two cores would oversubscribe them; a task sets
 * its own share.
 */
public final class TorchThreads {
  private TorchThreads() {}

  /** Sets the calling thread's intra-op threads to {@code threads}; 0 leaves PyTorch's default. */
  public static void set(int threads) {
    if (threads > 0) {
      Engine.getEngine("PyTorch"); // loads the native library before the JNI call
      JniUtils.setNumThreads(threads);
    }
  }

  /** The calling thread's intra-op threads. */
  public static int get() {
    Engine.getEngine("PyTorch");
    return JniUtils.getNumThreads();
  }
}

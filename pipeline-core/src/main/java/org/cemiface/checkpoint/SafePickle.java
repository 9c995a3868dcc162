package org.cemiface.checkpoint;

/**
 * Reads a plain-data pickle (lists, tuples, dicts, numbers, text, bytes) without executing
 * anything: the restricted unpickler of torch checkpoints with no persistent storage ids allowed. A
 * pickle that calls a function is refused with an {@link UnsafePickleException}.
 */
public final class SafePickle {
  private SafePickle() {}

  /** The object pickled in {@code data}; {@code source} names the file in errors. */
  public static Object load(byte[] data, String source) {
    return new RestrictedUnpickler(
            data,
            id -> {
              throw new UnsafePickleException(
                  source + ": persistent id " + id + " in a plain-data pickle; refused.");
            },
            source)
        .load();
  }
}

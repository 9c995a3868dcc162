package org.cemiface.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.cemiface.random.Seeds;

/**
 * Per-epoch orders derived from (seed, epoch), so a resumed run sees the same batches as an
 * uninterrupted one.
 */
public final class Shuffle {
  private static final long STREAM = 0x5F;

  private Shuffle() {}

  /** A permutation of {@code items} for {@code epoch}. */
  public static <T> List<T> epochOrder(List<T> items, long seed, long epoch) {
    List<T> out = new ArrayList<>(items);
    Collections.shuffle(out, new Random(Seeds.derive(seed, STREAM, epoch, 0)));
    return out;
  }

  /** A generator for per-sample draws of a training step. */
  public static SplittableRandom stepRandom(long seed, long stream, long step, long sample) {
    return Seeds.random(seed, stream, step, sample);
  }
}

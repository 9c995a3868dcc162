package org.cemiface.inquiry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.cemiface.random.Seeds;

/**
 * The random draws of a 1-shot inquiry sample, each from (global seed, identity): which identities
 * a capped sample takes and which image of an identity is tried first. Keyed by the identity's
 * name, not its position, so adding identities to the source changes no earlier draw.
 */
public final class OneShotDraw {
  private static final long STREAM_IMAGE = 0x1A;
  private static final long STREAM_SAMPLE = 0x1B;

  private OneShotDraw() {}

  /** A stable 64-bit key of an identity name (the first 8 bytes of its SHA-256). */
  public static long identityKey(String identity) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The order in which an identity's {@code count} images (sorted by name) are tried: a seeded
   * first image, then the following ones, wrapping around, so an unreadable draw falls back the
   * same way every run.
   */
  public static int[] tryOrder(long seed, String identity, int count) {
    if (count <= 0) {
      return new int[0];
    }
    SplittableRandom r = Seeds.random(seed, STREAM_IMAGE, identityKey(identity), 0);
    int first = r.nextInt(count);
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = (first + i) % count;
    }
    return order;
  }

  /**
   * The identities a sample of at most {@code max} takes (all when {@code max} is 0 or at least
   * their number): those with the smallest seeded rank.
   */
  public static Set<String> sample(List<String> identities, int max, long seed) {
    if (max <= 0 || max >= identities.size()) {
      return new HashSet<>(identities);
    }
    Comparator<String> byRank =
        Comparator.comparingLong(
                (String id) -> Seeds.derive(seed, STREAM_SAMPLE, identityKey(id), 0))
            .thenComparing(Comparator.naturalOrder());
    return new HashSet<>(identities.stream().sorted(byRank).limit(max).toList());
  }
}

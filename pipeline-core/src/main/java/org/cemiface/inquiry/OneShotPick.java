package org.cemiface.inquiry;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.cemiface.image.ImageDecodeException;
import org.cemiface.image.ImageDecoder;

/**
 * Picks one readable image of an identity: the images are tried in {@link OneShotDraw#tryOrder} and
 * the first that decodes is taken; each unreadable one tried before it is named with its reason.
 */
public final class OneShotPick {
  private OneShotPick() {}

  /** What became of an identity. */
  public enum Status {
    /** One image taken. */
    KEPT("kept"),
    /** Left out by the identity cap (its images were not listed). */
    NOT_SAMPLED("not_sampled"),
    /** Every image failed to decode. */
    UNREADABLE("unreadable"),
    /** No image at all. */
    EMPTY("empty");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** The value written to the table's status column. */
    public String label() {
      return label;
    }
  }

  /**
   * An identity's outcome: status, the number of images it has, the chosen image's name and bytes
   * (KEPT only) and "name: reason" for each unreadable image tried.
   */
  public record Selection(
      String identity,
      Status status,
      int images,
      String chosen,
      byte[] bytes,
      List<String> skipped) {}

  /**
   * Tries {@code images} (sorted names) of {@code identity} in the seeded order, reading each with
   * {@code read}; an image whose bytes cannot be read or decoded is skipped with its reason.
   */
  public static Selection pick(
      String identity, List<String> images, Function<String, byte[]> read, long seed) {
    if (images.isEmpty()) {
      return new Selection(identity, Status.EMPTY, 0, null, null, List.of());
    }
    List<String> skipped = new ArrayList<>();
    for (int i : OneShotDraw.tryOrder(seed, identity, images.size())) {
      String name = images.get(i);
      try {
        byte[] bytes = read.apply(name);
        ImageDecoder.decode(bytes, name);
        return new Selection(
            identity, Status.KEPT, images.size(), name, bytes, List.copyOf(skipped));
      } catch (ImageDecodeException e) {
        skipped.add(name + ": " + e.reason());
      } catch (UncheckedIOException e) {
        skipped.add(name + ": " + e.getMessage());
      }
    }
    return new Selection(
        identity, Status.UNREADABLE, images.size(), null, null, List.copyOf(skipped));
  }
}

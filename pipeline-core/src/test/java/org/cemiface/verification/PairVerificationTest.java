package org.cemiface.verification;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairVerificationTest {
  @Test
  void asManyImpostorAsGenuinePairsFromDifferentIdentities() {
    int[] labels = {0, 0, 0, 1, 1, 1, 2, 2};
    List<PairVerification.Pair> pairs = PairVerification.pairs(labels, 5, 7);
    long genuine = pairs.stream().filter(PairVerification.Pair::same).count();
    assertTrue(genuine > 0);
    assertEquals(2 * genuine, pairs.size());
    for (PairVerification.Pair p : pairs) {
      assertEquals(p.same(), labels[p.a()] == labels[p.b()], p.toString());
    }
  }

  @Test
  void oneIdentityIsAnErrorNotAnEndlessSearchForImpostors() {
    // The impostor loop drew pairs until it found two labels that differ: with one label, forever.
    IllegalArgumentException e =
        assertTimeoutPreemptively(
            ofSeconds(10),
            () ->
                assertThrows(
                    IllegalArgumentException.class,
                    () -> PairVerification.pairs(new int[] {4, 4, 4}, 5, 1)));
    assertTrue(e.getMessage().contains("two identities"), e.getMessage());
  }
}

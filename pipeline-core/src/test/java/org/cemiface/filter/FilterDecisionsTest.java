package org.cemiface.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.cemiface.filter.FilterDecisions.Decision;
import org.cemiface.filter.FilterDecisions.Evidence;
import org.cemiface.filter.FilterDecisions.GalleryMatch;
import org.cemiface.similarity.GreedyFilter;
import org.cemiface.similarity.SimilarPair;
import org.junit.jupiter.api.Test;

class FilterDecisionsTest {
  private static final List<String> IDS =
      List.of("a/0.png", "b/0.png", "c/0.png", "d/0.png", "e/0.png");

  private static GalleryMatch[] noGallery() {
    GalleryMatch[] g = new GalleryMatch[IDS.size()];
    Arrays.fill(g, GalleryMatch.NONE);
    return g;
  }

  private static List<Decision> decide(
      boolean[] failed, GalleryMatch[] gallery, List<SimilarPair> pairs, int[] visit) {
    return FilterDecisions.decide(new Evidence(IDS, failed, gallery, pairs, visit), 0.8);
  }

  @Test
  void laterCandidatesAboveTheThresholdToAKeptOneAreDroppedNamingIt() {
    List<Decision> d =
        decide(
            new boolean[5],
            noGallery(),
            List.of(
                new SimilarPair(0, 1, 0.6f),
                new SimilarPair(1, 2, 0.7f),
                new SimilarPair(0, 3, 0.4f),
                new SimilarPair(2, 3, 0.9f)),
            GreedyFilter.inputOrder(5));
    assertEquals(5, d.size());
    assertEquals(new Decision(0, CandidateStatus.KEPT, null, null), d.get(0));
    assertEquals(new Decision(1, CandidateStatus.TOO_SIMILAR, "a/0.png", 0.6f), d.get(1));
    // 1 was dropped, so it suppresses nothing: 2 is kept; 3 collides with both 0 and 2 and names
    // the closer one.
    assertEquals(CandidateStatus.KEPT, d.get(2).status());
    assertEquals(new Decision(3, CandidateStatus.TOO_SIMILAR, "c/0.png", 0.9f), d.get(3));
    assertEquals(CandidateStatus.KEPT, d.get(4).status());
  }

  @Test
  void aGalleryMatchAboveTheGalleryThresholdExcludesTheCandidateBeforeTheGreedyPass() {
    GalleryMatch[] gallery = noGallery();
    gallery[0] = new GalleryMatch("person-7", 0.85f);
    gallery[1] = new GalleryMatch("person-9", 0.79f);
    List<Decision> d =
        decide(
            new boolean[5],
            gallery,
            List.of(new SimilarPair(0, 1, 0.6f)),
            GreedyFilter.inputOrder(5));
    assertEquals(
        new Decision(0, CandidateStatus.MATCHES_GALLERY, "gallery:person-7", 0.85f), d.get(0));
    // Below the gallery threshold a candidate stays, and the excluded 0 no longer suppresses it.
    assertEquals(CandidateStatus.KEPT, d.get(1).status());
  }

  @Test
  void candidatesThatFailedAnImageCheckGetNoDecisionAndSuppressNothing() {
    boolean[] failed = {true, false, false, false, true};
    List<Decision> d =
        decide(
            failed, noGallery(), List.of(new SimilarPair(0, 1, 0.99f)), GreedyFilter.inputOrder(5));
    assertEquals(List.of(1, 2, 3), d.stream().map(Decision::candidate).toList());
    assertTrue(d.stream().allMatch(x -> x.status() == CandidateStatus.KEPT));
  }

  @Test
  void theVisitOrderDecidesWhichOfAPairIsKept() {
    List<Decision> d =
        decide(
            new boolean[5],
            noGallery(),
            List.of(new SimilarPair(0, 4, 0.95f)),
            new int[] {4, 3, 2, 1, 0});
    assertEquals(new Decision(0, CandidateStatus.TOO_SIMILAR, "e/0.png", 0.95f), d.get(0));
    assertEquals(CandidateStatus.KEPT, d.get(4).status());
  }

  @Test
  void evidenceThatDoesNotCoverEveryCandidateIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Evidence(
                    IDS, new boolean[4], noGallery(), List.of(), GreedyFilter.inputOrder(5)));
    assertTrue(e.getMessage().contains("5 candidates has 4 checks"), e.getMessage());
  }
}

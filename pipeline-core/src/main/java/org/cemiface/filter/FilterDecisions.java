package org.cemiface.filter;

import java.util.ArrayList;
import java.util.List;
import org.cemiface.similarity.GreedyFilter;
import org.cemiface.similarity.SimilarPair;

/**
 * The filter's decision step, without Spark: from what the embedding stages found (image checks,
 * each candidate's best gallery match, the candidate pairs above the threshold) to one status per
 * candidate that passed the image checks. A gallery match above the gallery threshold excludes a
 * candidate before the greedy pass, so it neither is kept nor suppresses another candidate.
 */
public final class FilterDecisions {
  private FilterDecisions() {}

  /**
   * One candidate's best match in the gallery: a gallery id, or none when the gallery was empty or
   * not given.
   */
  public record GalleryMatch(String galleryId, float similarity) {
    /** No gallery entry to compare with. */
    public static final GalleryMatch NONE = new GalleryMatch(null, Float.NaN);
  }

  /**
   * What the decision step reads. Candidate i is {@code candidateIds.get(i)}; {@code
   * failedCheck[i]} marks an image that failed a check (its status comes from the check); {@code
   * gallery[i]} is its best gallery match; pairs are indices into the candidates; {@code
   * visitOrder} is a permutation of the candidates for the greedy pass.
   */
  public record Evidence(
      List<String> candidateIds,
      boolean[] failedCheck,
      GalleryMatch[] gallery,
      List<SimilarPair> pairs,
      int[] visitOrder) {
    /** Checks that every per-candidate array covers the candidates. */
    public Evidence {
      int n = candidateIds.size();
      if (failedCheck.length != n || gallery.length != n || visitOrder.length != n) {
        throw new IllegalArgumentException(
            "filter evidence for "
                + n
                + " candidates has "
                + failedCheck.length
                + " checks, "
                + gallery.length
                + " gallery matches and a visit order of "
                + visitOrder.length);
      }
    }
  }

  /** The decision for one candidate that passed the image checks. */
  public record Decision(
      int candidate, CandidateStatus status, String collidedWith, Float similarity) {}

  /** Decides every candidate that passed the image checks, in candidate order. */
  public static List<Decision> decide(Evidence evidence, double galleryThreshold) {
    int n = evidence.candidateIds().size();
    boolean[] excluded = evidence.failedCheck().clone();
    Decision[] byCandidate = new Decision[n];
    for (int i = 0; i < n; i++) {
      GalleryMatch match = evidence.gallery()[i];
      if (!excluded[i] && match.galleryId() != null && match.similarity() > galleryThreshold) {
        excluded[i] = true;
        byCandidate[i] =
            new Decision(
                i,
                CandidateStatus.MATCHES_GALLERY,
                "gallery:" + match.galleryId(),
                match.similarity());
      }
    }
    GreedyFilter.Decision[] greedy =
        GreedyFilter.run(n, evidence.pairs(), excluded, evidence.visitOrder());
    List<Decision> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (evidence.failedCheck()[i]) {
        continue;
      }
      if (byCandidate[i] != null) {
        out.add(byCandidate[i]);
        continue;
      }
      GreedyFilter.Decision d = greedy[i];
      out.add(
          d.kept()
              ? new Decision(i, CandidateStatus.KEPT, null, null)
              : new Decision(
                  i,
                  CandidateStatus.TOO_SIMILAR,
                  evidence.candidateIds().get((int) d.collidedWith()),
                  d.similarity()));
    }
    return out;
  }
}

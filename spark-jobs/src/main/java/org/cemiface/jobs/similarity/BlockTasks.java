package org.cemiface.jobs.similarity;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.cemiface.jobs.TaskDevices;
import org.cemiface.similarity.BlockSimilarity;
import org.cemiface.similarity.EmbeddingBlock;
import org.cemiface.similarity.SimilarPair;

/**
 * Spark tasks over pairs of embedding blocks (block files, read once per task and multiplied on the
 * task's device): pairs above a threshold within one set (filter), and each row's best match in
 * another set or the same set without itself (gallery check, nearest other subject).
 */
public final class BlockTasks {
  private BlockTasks() {}

  /**
   * Every pair above {@code threshold} within the blocks of {@code dir}: one product per block pair
   * i ≤ j.
   */
  public static List<SimilarPair> pairsAbove(
      JavaSparkContext jsc, String dir, int blocks, float threshold) {
    List<int[]> tasks = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      for (int j = i; j < blocks; j++) {
        tasks.add(new int[] {i, j});
      }
    }
    return tasks.isEmpty()
        ? List.of()
        : jsc.parallelize(tasks, slices(jsc, tasks.size()))
            .mapPartitions(new Pairs(dir, threshold))
            .collect();
  }

  /**
   * For every row of the blocks of {@code dirA}, its most similar row among the blocks of {@code
   * dirB} (with {@code excludeSameId}, never itself), keyed by row id; ties go to the lower id.
   */
  public static Map<Long, BlockSimilarity.Best> bestMatches(
      JavaSparkContext jsc,
      String dirA,
      int blocksA,
      String dirB,
      int blocksB,
      boolean excludeSameId) {
    List<int[]> tasks = new ArrayList<>();
    for (int i = 0; i < blocksA; i++) {
      for (int j = 0; j < blocksB; j++) {
        tasks.add(new int[] {i, j});
      }
    }
    Map<Long, BlockSimilarity.Best> best = new HashMap<>();
    if (tasks.isEmpty()) {
      return best;
    }
    for (long[] m :
        jsc.parallelize(tasks, slices(jsc, tasks.size()))
            .mapPartitions(new Best(dirA, dirB, excludeSameId))
            .collect()) {
      float s = Float.intBitsToFloat((int) m[2]);
      BlockSimilarity.Best current = best.get(m[0]);
      if (current == null
          || s > current.similarity()
          || (s == current.similarity() && m[1] < current.index())) {
        best.put(m[0], new BlockSimilarity.Best(m[1], s));
      }
    }
    return best;
  }

  private static int slices(JavaSparkContext jsc, int tasks) {
    return Math.max(1, Math.min(tasks, jsc.defaultParallelism() * 4));
  }

  /** Pairs above a threshold for block pairs of one directory. */
  static final class Pairs implements FlatMapFunction<Iterator<int[]>, SimilarPair> {
    private final String dir;
    private final float threshold;

    Pairs(String dir, float threshold) {
      this.dir = dir;
      this.threshold = threshold;
    }

    @Override
    public Iterator<SimilarPair> call(Iterator<int[]> pairs) {
      List<SimilarPair> out = new ArrayList<>();
      Map<Integer, EmbeddingBlock> cache = new HashMap<>();
      try (NDManager manager = NDManager.newBaseManager(TaskDevices.current())) {
        while (pairs.hasNext()) {
          int[] p = pairs.next();
          out.addAll(
              BlockSimilarity.pairsAbove(
                  load(cache, dir, p[0]), load(cache, dir, p[1]), threshold, manager));
        }
      }
      return out.iterator();
    }
  }

  /**
   * Best match per row of a block of A within a block of B, as {row id, match id, similarity bits}.
   */
  static final class Best implements FlatMapFunction<Iterator<int[]>, long[]> {
    private final String dirA;
    private final String dirB;
    private final boolean excludeSameId;

    Best(String dirA, String dirB, boolean excludeSameId) {
      this.dirA = dirA;
      this.dirB = dirB;
      this.excludeSameId = excludeSameId;
    }

    @Override
    public Iterator<long[]> call(Iterator<int[]> pairs) {
      List<long[]> out = new ArrayList<>();
      Map<Integer, EmbeddingBlock> cacheA = new HashMap<>();
      Map<Integer, EmbeddingBlock> cacheB = new HashMap<>();
      try (NDManager manager = NDManager.newBaseManager(TaskDevices.current())) {
        while (pairs.hasNext()) {
          int[] p = pairs.next();
          EmbeddingBlock a = load(cacheA, dirA, p[0]);
          EmbeddingBlock b = load(cacheB, dirB, p[1]);
          if (a.rows() == 0 || b.rows() == 0) {
            continue;
          }
          BlockSimilarity.Best[] best = BlockSimilarity.bestPerRow(a, b, excludeSameId, manager);
          for (int i = 0; i < best.length; i++) {
            if (best[i].index() >= 0) {
              out.add(
                  new long[] {
                    a.ids()[i], best[i].index(), Float.floatToIntBits(best[i].similarity())
                  });
            }
          }
        }
      }
      return out.iterator();
    }
  }

  private static EmbeddingBlock load(Map<Integer, EmbeddingBlock> cache, String dir, int block) {
    return cache.computeIfAbsent(block, b -> BlockFiles.read(dir, b));
  }
}

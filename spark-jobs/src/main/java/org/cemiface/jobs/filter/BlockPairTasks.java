package org.cemiface.jobs.filter;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.TaskDevices;
import org.cemiface.similarity.BlockSimilarity;
import org.cemiface.similarity.EmbeddingBlock;
import org.cemiface.similarity.SimilarPair;

/**
 * Similarity stage of filter: each element is a pair of block indices (i ≤ j among the candidates, or a candidate
 * block and a gallery block); blocks are read from their files once per task and multiplied on the task's device.
 */
final class BlockPairTasks {
  private BlockPairTasks() {}

  /** Candidate × candidate pairs above the threshold. */
  static final class Pairs implements FlatMapFunction<Iterator<int[]>, SimilarPair> {
    private final String blockDir;
    private final float threshold;

    Pairs(String blockDir, float threshold) {
      this.blockDir = blockDir;
      this.threshold = threshold;
    }

    @Override
    public Iterator<SimilarPair> call(Iterator<int[]> pairs) {
      List<SimilarPair> out = new ArrayList<>();
      Map<Integer, EmbeddingBlock> cache = new HashMap<>();
      try (NDManager manager = NDManager.newBaseManager(TaskDevices.current())) {
        while (pairs.hasNext()) {
          int[] p = pairs.next();
          out.addAll(BlockSimilarity.pairsAbove(load(cache, blockDir, p[0]), load(cache, blockDir, p[1]), threshold,
              manager));
        }
      }
      return out.iterator();
    }
  }

  /** For each candidate of a block, its best gallery match within one gallery block: {id, gallery id, sim bits}. */
  static final class GalleryBest implements FlatMapFunction<Iterator<int[]>, long[]> {
    private final String blockDir;
    private final String galleryDir;

    GalleryBest(String blockDir, String galleryDir) {
      this.blockDir = blockDir;
      this.galleryDir = galleryDir;
    }

    @Override
    public Iterator<long[]> call(Iterator<int[]> pairs) {
      List<long[]> out = new ArrayList<>();
      Map<Integer, EmbeddingBlock> candidates = new HashMap<>();
      Map<Integer, EmbeddingBlock> gallery = new HashMap<>();
      try (NDManager manager = NDManager.newBaseManager(TaskDevices.current())) {
        while (pairs.hasNext()) {
          int[] p = pairs.next();
          EmbeddingBlock a = load(candidates, blockDir, p[0]);
          EmbeddingBlock g = load(gallery, galleryDir, p[1]);
          if (a.rows() == 0 || g.rows() == 0) {
            continue;
          }
          BlockSimilarity.Best[] best = BlockSimilarity.bestPerRow(a, g, false, manager);
          for (int i = 0; i < best.length; i++) {
            out.add(new long[] {a.ids()[i], best[i].index(), Float.floatToIntBits(best[i].similarity())});
          }
        }
      }
      return out.iterator();
    }
  }

  static EmbeddingBlock load(Map<Integer, EmbeddingBlock> cache, String dir, int block) {
    return cache.computeIfAbsent(block, b -> {
      var file = EmbedCandidates.blockFile(dir, b);
      return EmbeddingBlock.fromBytes(HadoopFiles.readAllBytes(file), file.toString());
    });
  }
}

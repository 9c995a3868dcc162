package org.cemiface.jobs.stats;

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

/**
 * The overlap check: for a pair of centre blocks (i, j), each subject of block i's most similar subject of block j
 * (itself excluded), as {subject, other, similarity bits}; the driver keeps the best over all j.
 */
final class NearestSubjects implements FlatMapFunction<Iterator<int[]>, long[]> {
  private final String centerDir;

  NearestSubjects(String centerDir) {
    this.centerDir = centerDir;
  }

  @Override
  public Iterator<long[]> call(Iterator<int[]> pairs) {
    List<long[]> out = new ArrayList<>();
    Map<Integer, EmbeddingBlock> cache = new HashMap<>();
    try (NDManager manager = NDManager.newBaseManager(TaskDevices.current())) {
      while (pairs.hasNext()) {
        int[] p = pairs.next();
        EmbeddingBlock a = load(cache, p[0]);
        EmbeddingBlock b = load(cache, p[1]);
        if (a.rows() == 0 || b.rows() == 0) {
          continue;
        }
        BlockSimilarity.Best[] best = BlockSimilarity.bestPerRow(a, b, true, manager);
        for (int i = 0; i < best.length; i++) {
          if (best[i].index() >= 0) {
            out.add(new long[] {a.ids()[i], best[i].index(), Float.floatToIntBits(best[i].similarity())});
          }
        }
      }
    }
    return out.iterator();
  }

  private EmbeddingBlock load(Map<Integer, EmbeddingBlock> cache, int block) {
    return cache.computeIfAbsent(block, b -> {
      var file = StatsPartition.centerFile(centerDir, b);
      return HadoopFiles.exists(file) ? EmbeddingBlock.fromBytes(HadoopFiles.readAllBytes(file), file.toString())
          : new EmbeddingBlock(b, new long[0], 0, new float[0]);
    });
  }
}

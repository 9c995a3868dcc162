package org.cemiface.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.similarity.BlockFiles;
import org.cemiface.jobs.similarity.BlockTasks;
import org.cemiface.nn.Tensors;
import org.cemiface.similarity.EmbeddingBlock;
import org.cemiface.similarity.GreedyFilter;
import org.cemiface.similarity.SimilarPair;

/**
 * {@code bench-filter}: the filter's similarity stage and greedy pass on N random unit embeddings
 * (512-d), against the time the engine takes for the same multiply-adds as plain block products in
 * one loop without Spark.
 */
public final class FilterBenchCommand implements Command {
  private static final int DIM = 512;

  @Override
  public String name() {
    return "bench-filter";
  }

  @Override
  public String summary() {
    return "benchmark: filter's blockwise similarity + greedy pass at 50k/100k/200k random embeddings";
  }

  @Override
  public String help() {
    return "For each N of --sizes (default 50000,100000,200000): writes N random unit 512-d embeddings as\n"
        + "filter.block-size blocks, runs the filter's pair stage on Spark (spark.master) and the greedy pass at\n"
        + "filter.threshold, and times the same N(N+1)/2-block products as one in-process loop of matMul on the\n"
        + "same engine (the reference). Prints wall times and their ratio.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--sizes");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    int blockSize = inv.config().reader().intIn("filter.block-size", 1, 1 << 20);
    float threshold = (float) inv.config().reader().doubleIn("filter.threshold", -1, 1);
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    inv.out()
        .println(
            "| embeddings | blocks | pairs above threshold | filter (Spark pairs + greedy) | reference block products | ratio |");
    inv.out().println("|---|---|---|---|---|---|");
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      for (String size : inv.option("--sizes").orElse("50000,100000,200000").split(",")) {
        int n = Integer.parseInt(size.trim());
        java.nio.file.Path scratch = Files.createTempDirectory("cemiface-filter-bench");
        try {
          int blocks = writeBlocks(scratch.toString(), n, blockSize);
          long start = System.nanoTime();
          List<SimilarPair> pairs =
              BlockTasks.pairsAbove(jsc, scratch.toString(), blocks, threshold);
          GreedyFilter.run(n, pairs, new boolean[n]);
          double job = (System.nanoTime() - start) / 1e9;
          double reference = reference(scratch.toString(), blocks);
          inv.out()
              .printf(
                  Locale.ROOT,
                  "| %d | %d | %d | %.1f s | %.1f s | %.2f |%n",
                  n,
                  blocks,
                  pairs.size(),
                  job,
                  reference,
                  job / reference);
        } finally {
          HadoopFiles.deleteRecursively(new Path(scratch.toString()));
        }
      }
    } finally {
      spark.stop();
    }
    return 0;
  }

  private static int writeBlocks(String dir, int n, int blockSize) {
    SplittableRandom r = new SplittableRandom(7);
    int blocks = (n + blockSize - 1) / blockSize;
    for (int b = 0; b < blocks; b++) {
      int rows = Math.min(blockSize, n - b * blockSize);
      long[] ids = new long[rows];
      float[] data = new float[rows * DIM];
      for (int i = 0; i < rows; i++) {
        ids[i] = (long) b * blockSize + i;
        double norm = 0;
        for (int k = 0; k < DIM; k++) {
          float v = (float) r.nextGaussian();
          data[i * DIM + k] = v;
          norm += v * v;
        }
        for (int k = 0; k < DIM; k++) {
          data[i * DIM + k] /= (float) Math.sqrt(norm);
        }
      }
      BlockFiles.write(dir, new EmbeddingBlock(b, ids, DIM, data));
    }
    return blocks;
  }

  /** The same block products in one process, no Spark, no threshold extraction. */
  private static double reference(String dir, int blocks) {
    EmbeddingBlock[] all = new EmbeddingBlock[blocks];
    for (int b = 0; b < blocks; b++) {
      all[b] = BlockFiles.read(dir, b);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray[] arrays = new NDArray[blocks];
      NDArray[] transposed = new NDArray[blocks];
      for (int b = 0; b < blocks; b++) {
        arrays[b] = Tensors.floats(manager, all[b].data(), new Shape(all[b].rows(), DIM));
        transposed[b] = arrays[b].transpose().duplicate();
      }
      long start = System.nanoTime();
      for (int i = 0; i < blocks; i++) {
        for (int j = i; j < blocks; j++) {
          try (NDManager step = manager.newSubManager()) {
            NDArray a = arrays[i];
            a.tempAttach(step);
            NDArray p = a.matMul(transposed[j]);
            p.max().getFloat(); // forces the product
          }
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }
}

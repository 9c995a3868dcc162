package org.cemiface.jobs.similarity;

import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.similarity.EmbeddingBlock;

/**
 * Embedding blocks as files between Spark stages: one file per block, written atomically, read by
 * block index.
 */
public final class BlockFiles {
  private BlockFiles() {}

  /** The file of block {@code block} in {@code dir}. */
  public static Path file(String dir, int block) {
    return new Path(dir, String.format(Locale.ROOT, "block-%06d.bin", block));
  }

  /** Writes {@code block} under its index. */
  public static void write(String dir, EmbeddingBlock block) {
    HadoopFiles.writeAtomically(file(dir, block.block()), block.toBytes());
  }

  /** Reads block {@code block}; a block no task wrote (no rows) reads as empty. */
  public static EmbeddingBlock read(String dir, int block) {
    Path file = file(dir, block);
    return HadoopFiles.exists(file)
        ? EmbeddingBlock.fromBytes(HadoopFiles.readAllBytes(file), file.toString())
        : new EmbeddingBlock(block, new long[0], 0, new float[0]);
  }
}

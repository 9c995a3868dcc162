package org.cemiface.jobs.generate;

import org.apache.spark.Partitioner;

/**
 * Keys are subject ids; partition p holds subjects [p·size, (p+1)·size): whole subjects, in order.
 */
public final class SubjectBlockPartitioner extends Partitioner {
  private final int subjectsPerBlock;
  private final int blocks;

  /** {@code blocks} partitions of {@code subjectsPerBlock} subjects. */
  public SubjectBlockPartitioner(int subjectsPerBlock, int blocks) {
    this.subjectsPerBlock = subjectsPerBlock;
    this.blocks = blocks;
  }

  /** The block of a subject. */
  public static int blockOf(long subject, int subjectsPerBlock) {
    return Math.toIntExact(subject / subjectsPerBlock);
  }

  @Override
  public int numPartitions() {
    return blocks;
  }

  @Override
  public int getPartition(Object key) {
    return blockOf((Long) key, subjectsPerBlock);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectBlockPartitioner p
        && p.subjectsPerBlock == subjectsPerBlock
        && p.blocks == blocks;
  }

  @Override
  public int hashCode() {
    return 31 * subjectsPerBlock + blocks;
  }
}

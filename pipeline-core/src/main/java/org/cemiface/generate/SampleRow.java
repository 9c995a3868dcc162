package org.cemiface.generate;

/**
 * One row of {@code samples.parquet}: a stored image, what was asked for, and the cosine similarity
 * of its embedding to its inquiry's.
 */
public record SampleRow(
    long subject,
    int index,
    String kind,
    float m,
    long seed,
    String inquiryId,
    String inquirySource,
    int cohort,
    String path,
    int width,
    int height,
    float similarity) {}

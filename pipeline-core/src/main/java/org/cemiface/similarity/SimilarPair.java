package org.cemiface.similarity;

import java.io.Serializable;

/**
 * Two rows (global indices, {@code first < second}) whose cosine similarity exceeds a threshold.
 */
public record SimilarPair(long first, long second, float similarity) implements Serializable {}

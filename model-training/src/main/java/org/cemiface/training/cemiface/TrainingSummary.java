package org.cemiface.training.cemiface;

/**
 * What a training run did: steps, the loss at its start and end (log-interval means), what it
 * skipped, and for float16 the steps skipped for overflowed gradients (the loss scaler's, not
 * counted as non-finite) and the final loss scale (1 without scaling).
 */
public record TrainingSummary(
    long startStep,
    long endStep,
    double firstMse,
    double lastMse,
    long nonFiniteSteps,
    long skippedImages,
    double[] sheetSimilarity,
    long nonFiniteWeights,
    long overflowSteps,
    double lossScale) {}

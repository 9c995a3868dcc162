package org.cemiface.training.cemiface;

/** What a training run did: steps, the loss at its start and end (log-interval means), and what it skipped. */
public record TrainingSummary(long startStep, long endStep, double firstMse, double lastMse, long nonFiniteSteps,
    long skippedImages, double[] sheetSimilarity, long nonFiniteWeights) {}

package org.cemiface.verification;

/**
 * One encoder on one benchmark: 10-fold accuracy (mean ± std, as fractions), TAR at the target FAR
 * (mean ± std over folds) and the FAR reached on the test folds.
 */
public record BenchmarkResult(
    String model,
    String benchmark,
    int pairs,
    double accuracy,
    double accuracyStd,
    double farTarget,
    double tar,
    double tarStd,
    double far) {}

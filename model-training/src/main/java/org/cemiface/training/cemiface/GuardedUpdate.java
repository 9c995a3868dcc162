package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.LongSupplier;
import org.cemiface.training.optim.AdamW;
import org.cemiface.training.optim.Ema;
import org.cemiface.training.optim.GradientTools;
import org.cemiface.training.optim.LossScaler;

/**
 * The update policy after each backward pass: measure the gradient norm, apply the update only when
 * loss and gradients are finite (unscaled by the loss scale, clipped, AdamW at the warmed-up rate,
 * then the EMA), zero the gradients, let the loss scaler react, and count what was skipped. Too
 * many non-finite steps in a row stop the run.
 */
final class GuardedUpdate {
  /** What became of one step (EMPTY: its batch held no readable image, so nothing ran). */
  enum Kind {
    APPLIED,
    OVERFLOW,
    NON_FINITE,
    EMPTY
  }

  /**
   * A step's outcome: its kind, the unscaled gradient norm and the loss scale its backward used.
   */
  record Outcome(Kind kind, double gradNorm, double lossScale) {}

  private final Map<String, Parameter> params;
  private final AdamW optimizer;
  private final Ema ema;
  private final LossScaler scaler;
  private final TrainSettings settings;
  private final PrintStream log;
  private final LongSupplier lastCheckpoint;
  private long nonFiniteSteps;
  private long overflowSteps;
  private int nonFiniteInRow;

  GuardedUpdate(
      Map<String, Parameter> params,
      AdamW optimizer,
      Ema ema,
      LossScaler scaler,
      TrainSettings settings,
      TrainerState restored,
      PrintStream log,
      LongSupplier lastCheckpoint) {
    this.params = params;
    this.optimizer = optimizer;
    this.ema = ema;
    this.scaler = scaler;
    this.settings = settings;
    this.log = log;
    this.lastCheckpoint = lastCheckpoint;
    this.nonFiniteSteps = restored.nonFiniteSteps();
    this.overflowSteps = restored.overflowSteps();
  }

  /** The factor the next step's loss is multiplied by before backward. */
  double lossScale() {
    return scaler.scale();
  }

  /** The loss scaler (its state goes into checkpoints). */
  LossScaler scaler() {
    return scaler;
  }

  /** Steps skipped for a non-finite loss or gradient so far. */
  long nonFiniteSteps() {
    return nonFiniteSteps;
  }

  /** Steps skipped for overflowed float16 gradients so far. */
  long overflowSteps() {
    return overflowSteps;
  }

  /** Applies (or skips) the update for gradients accumulated with {@code lossScale}. */
  Outcome apply(TrainingStep.Losses losses, double lossScale, NDManager scope) {
    double gradNorm = GradientTools.globalNorm(params, scope) / lossScale;
    boolean ok = losses.finite() && Double.isFinite(gradNorm);
    // Overflowed float16 gradients with a finite loss are the scaler's business until it reaches
    // its floor.
    boolean overflow = !ok && losses.finite() && scaler.canBackOff();
    if (ok) {
      double factor = 1 / lossScale;
      if (settings.guard().gradClip() > 0 && gradNorm > settings.guard().gradClip()) {
        factor *= settings.guard().gradClip() / gradNorm;
      }
      if (factor != 1) {
        GradientTools.scale(params, factor, scope);
      }
      optimizer.step(settings.optimiser().lrAt(optimizer.steps() + 1));
      ema.update(optimizer.steps());
    }
    GradientTools.zero(params, scope);
    scaler.update(ok);
    return new Outcome(
        ok ? Kind.APPLIED : overflow ? Kind.OVERFLOW : Kind.NON_FINITE, gradNorm, lossScale);
  }

  /**
   * Counts and reports what {@code record}'s step ({@code step}, 1-based) came to; throws once
   * {@code train.max-non-finite} steps in a row were non-finite.
   */
  void record(TrainingListener.StepRecord record, long step) {
    Outcome outcome = record.outcome();
    switch (outcome.kind()) {
      case APPLIED -> nonFiniteInRow = 0;
      case EMPTY -> {}
      case OVERFLOW -> {
        overflowSteps++;
        log.printf(
            "step %d: float16 gradients overflowed at loss scale %.0f; update skipped, scale now %.0f%n",
            step, outcome.lossScale(), scaler.scale());
      }
      case NON_FINITE -> {
        nonFiniteSteps++;
        nonFiniteInRow++;
        log.printf(
            "step %d: non-finite loss or gradient (loss %s, grad norm %s); update skipped (%d in a row)%n",
            step, record.losses().total(), outcome.gradNorm(), nonFiniteInRow);
        if (nonFiniteInRow >= settings.guard().maxNonFinite()) {
          throw new IllegalStateException(
              nonFiniteInRow
                  + " consecutive training steps had a non-finite loss or"
                  + " gradient (up to step "
                  + step
                  + "); lower train.lr or enable train.grad-clip, then --resume from "
                  + lastCheckpoint.getAsLong());
        }
      }
    }
  }
}

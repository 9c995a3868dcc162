package org.cemiface.training.cemiface;

/**
 * Follows a training run step by step, as DJL's TrainingListener does: metrics, sample sheets and
 * checkpoints are each one listener, called in the order they were given to the trainer.
 */
interface TrainingListener {
  /**
   * What one step did: its outcome, losses (batch means), images and time spent in forward,
   * backward and update.
   */
  record StepRecord(
      GuardedUpdate.Kind kind,
      TrainingStep.Losses losses,
      double gradNorm,
      int images,
      long nanos) {}

  /** After every step; {@code step} counts the steps done. */
  default void onStep(long step, StepRecord record) {}

  /** At every checkpoint step (each train.checkpoint-every and the last), after {@link #onStep}. */
  default void onCheckpoint(long step) {}
}

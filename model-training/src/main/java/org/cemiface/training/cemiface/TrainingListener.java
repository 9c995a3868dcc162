package org.cemiface.training.cemiface;

/**
 * Follows a training run step by step, as DJL's TrainingListener does: metrics, sample sheets and
 * checkpoints are each one listener, called in the order they were given to the trainer.
 */
interface TrainingListener {
  /**
   * What one step did: the update's outcome, losses (batch means), images and the time spent in
   * forward, backward and update.
   */
  record StepRecord(
      GuardedUpdate.Outcome outcome, TrainingStep.Losses losses, int images, long nanos) {
    /** A step whose batch held no readable image: nothing ran. */
    static final StepRecord EMPTY =
        new StepRecord(
            new GuardedUpdate.Outcome(GuardedUpdate.Kind.EMPTY, Double.NaN, Double.NaN),
            null,
            0,
            0);

    GuardedUpdate.Kind kind() {
      return outcome.kind();
    }
  }

  /** After every step; {@code step} counts the steps done. */
  default void onStep(long step, StepRecord record) {}

  /** At every checkpoint step (each train.checkpoint-every and the last), after {@link #onStep}. */
  default void onCheckpoint(long step) {}
}

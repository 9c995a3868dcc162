package org.cemiface.training.cemiface;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.training.optim.Optimizer;

/** Saves model, EMA, optimizer and the {@link TrainerState} at every checkpoint step. */
final class CheckpointListener implements TrainingListener {
  private final TrainingCheckpoints checkpoints;
  private final CemiFaceUNet model;
  private final CemiFaceUNet ema;
  private final Optimizer optimizer;
  private final GuardedUpdate update;
  private final AtomicLong skippedImages;
  private final String config;
  private final PrintStream log;

  CheckpointListener(
      TrainingCheckpoints checkpoints,
      CemiFaceUNet model,
      CemiFaceUNet ema,
      Optimizer optimizer,
      GuardedUpdate update,
      AtomicLong skippedImages,
      String config,
      PrintStream log) {
    this.checkpoints = checkpoints;
    this.model = model;
    this.ema = ema;
    this.optimizer = optimizer;
    this.update = update;
    this.skippedImages = skippedImages;
    this.config = config;
    this.log = log;
  }

  @Override
  public void onCheckpoint(long step) {
    TrainerState state =
        new TrainerState(
            step, update.nonFiniteSteps(), skippedImages.get(), update.overflowSteps());
    checkpoints.save(state, update.scaler(), model, ema, optimizer, config);
    log.printf("step %d: checkpoint %s%n", step, checkpoints.dir(step));
  }
}

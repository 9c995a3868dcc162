package org.cemiface.training.cli;

/** {@code train-encoder}: trains the identity encoder E_id of the embedded default. */
public final class TrainEncoderCommand extends FaceRecognitionTrainingCommand {
  @Override
  public String name() {
    return "train-encoder";
  }

  @Override
  public String summary() {
    return "train an IResNet identity encoder with CosFace and report pair verification on held-out identities";
  }

  @Override
  public String help() {
    return "Trains train-encoder.arch on train-encoder.data (an ImageFolder, insightface RecordIO or Parquet image\n"
        + "table; all identities but the last train-encoder.holdout-identities) with CosFace (s, m from\n"
        + "train-encoder.scale/margin; ArcFace with train-encoder.arcface) by SGD with momentum, then reports\n"
        + "10-fold pair-verification accuracy on the held-out identities. Writes train-encoder.output:\n"
        + "encoder.params, encoder.json (use as encoder.source = djl:<output>) and report.json.\n"
        + "--resume continues from <output>/checkpoints when train-encoder.checkpoint-every-epochs > 0.\n"
        + "The same trainer as train-fr, with the train-encoder section.";
  }
}

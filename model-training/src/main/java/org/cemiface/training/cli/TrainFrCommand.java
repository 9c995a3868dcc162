package org.cemiface.training.cli;

/**
 * {@code train-fr}: trains a face-recognition model on a (generated) dataset with the paper's
 * recipe.
 */
public final class TrainFrCommand extends FaceRecognitionTrainingCommand {
  @Override
  public String name() {
    return "train-fr";
  }

  @Override
  public String summary() {
    return "train a face-recognition model on a dataset (the paper's CosFace recipe; verify it with verify)";
  }

  @Override
  public String help() {
    return "Trains train-fr.arch (IR-SE-50 by default) on train-fr.data: an ImageFolder, insightface RecordIO\n"
        + "directory (e.g. a generated dataset's recordio/ or CASIA-WebFace) or Parquet image table, with the\n"
        + "paper's recipe (section 4.1: CosFace m = 0.4, SGD, lr 0.1 divided by 10 at epochs 26 and 34, 40 epochs,\n"
        + "weight decay 5e-4, crop/erasing/flip/colour and hue jitter; docs/evaluation.md). Writes train-fr.output\n"
        + "(encoder.params, encoder.json, report.json); measure it with\n"
        + "  bin/cemiface verify --encoder NAME=djl:<output> --benchmarks DIR\n"
        + "With train-fr.checkpoint-every-epochs (default 1) it checkpoints to <output>/checkpoints and writes\n"
        + "metrics.jsonl; --resume continues from the newest checkpoint, exactly as the uninterrupted run.\n"
        + "The same trainer as train-encoder, with the train-fr section.";
  }
}

#!/usr/bin/env bash
# The device check for mixed precision (docs/training.md, "Mixed precision"), prepared to run in one go on a lent
# GPU machine: renders a small identity set, trains a throw-away encoder briefly (its accuracy does not matter for
# throughput), then prints bench-train's fp32 and fp16 rows on the first GPU for the tiny UNet at 32 px and for the
# paper UNet at 112 px. Paste the rows into docs/benchmarks.md with the device's name and the date.
#   [DEVICE=gpu0] [STEPS=20] [ENCODER_EPOCHS=2] [SIZES="32 112"] model-training/scripts/gpu-precision-check.sh
# DEVICE=cpu STEPS=1 SIZES=32 runs the same path on a CPU (slowly at fp16) to check the script itself.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEVICE=${DEVICE:-gpu0}
STEPS=${STEPS:-20}
EPOCHS=${ENCODER_EPOCHS:-2}
CLI="$ROOT/bin/cemiface"
for size in ${SIZES:-32 112}; do
  common=(--config "$ROOT/conf/local.conf" --set work-dir=work/precision-$size --set render.size=$size
    --set encoder.input-size=$size)
  echo "== $size px: render and encoder =="
  "$CLI" render-identities "${common[@]}" --set render.identities=64 --set render.images-per-identity=8 >/dev/null
  "$CLI" train-encoder "${common[@]}" --set train-encoder.epochs=$EPOCHS \
    --set train-encoder.holdout-identities=8 --set train-encoder.batch-size=64 | tail -1
  model=()
  [[ $size == 112 ]] && model=(--set model.unet.preset=paper)
  echo "== $size px: bench-train on $DEVICE =="
  "$CLI" bench-train "${common[@]}" "${model[@]}" --set "train.devices=[\"$DEVICE\"]" --steps "$STEPS" --repeats 2 \
    2>/dev/null
done

#!/usr/bin/env bash
# The GPU check, prepared to run in one go on a machine with a GPU (under 8 minutes on one): renders a small
# identity set, trains a throw-away encoder and briefly the UNet (their quality does not matter for rates), then
# prints docs/benchmarks.md rows for
#   - training images/s at fp32 and fp16 (bench-train),
#   - DDIM generation images/s at fp32 and fp16 for batches 16, 32, 64, the fp16-vs-fp32 difference of the same
#     samples, one filter block product, and the GPU memory in use (bench-sampling).
# Paste the rows into docs/benchmarks.md with the device's name (printed first) and the date.
#   [DEVICE=gpu0] [PRESET=paper] [SIZE=112] [STEPS=20] [REPEATS=2] [BATCHES=16,32,64] deploy/gpu-check.sh
# Without a GPU PyTorch can use it fails before anything else runs: nothing falls back to the CPU. The same path on
# the CPU, small (CI runs it, GpuCheckScriptTest):
#   DEVICE=cpu PRESET=tiny SIZE=32 STEPS=1 REPEATS=1 BATCHES=2 IDENTITIES=8 IMAGES=4 SAMPLING_STEPS=2 deploy/gpu-check.sh
# CEMIFACE_CLI replaces bin/cemiface (the test runs the CLI from its own classpath); WORK keeps the scratch folder.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEVICE=${DEVICE:-gpu0}
PRESET=${PRESET:-paper}
SIZE=${SIZE:-112}
STEPS=${STEPS:-20}
REPEATS=${REPEATS:-2}
BATCHES=${BATCHES:-16,32,64}
CLI=${CEMIFACE_CLI:-$ROOT/bin/cemiface}
WORK=${WORK:-$(mktemp -d -t cemiface-gpu-check.XXXXXX)}
common=(--config "$ROOT/conf/local.conf" --set "work-dir=$WORK" --set "render.size=$SIZE"
  --set "encoder.input-size=$SIZE" --set "model.unet.preset=$PRESET"
  --set "sampling.steps=${SAMPLING_STEPS:-20}" --set "train.devices=[\"$DEVICE\"]"
  --set "train-encoder.devices=[\"$DEVICE\"]" --set train.data=identities)

echo "== $(date -u +%F) gpu-check on $DEVICE: $PRESET UNet at $SIZE px =="
if [[ $DEVICE != cpu ]]; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader \
    || { echo "gpu-check: nvidia-smi cannot see a GPU; nothing was run" >&2; exit 1; }
fi
# Fails (exit 1) when PyTorch cannot use $DEVICE, before minutes are spent on the CPU.
"$CLI" bench-sampling "${common[@]}" --device "$DEVICE" --batches 1 --repeats 1 --precisions fp32 >/dev/null

echo "== data, encoder, a briefly trained UNet =="
"$CLI" render-identities "${common[@]}" --set "render.identities=${IDENTITIES:-64}" \
  --set "render.images-per-identity=${IMAGES:-8}" >/dev/null
"$CLI" train-encoder "${common[@]}" --set "train-encoder.epochs=${ENCODER_EPOCHS:-1}" \
  --set train-encoder.holdout-identities=0 --set "train-encoder.batch-size=${ENCODER_BATCH:-64}" | tail -1
"$CLI" train "${common[@]}" --set "train.steps=$STEPS" --set "train.checkpoint-every=$STEPS" \
  --set train.sheet-inquiries=0 | tail -1

echo "== training: bench-train =="
"$CLI" bench-train "${common[@]}" --steps "$STEPS" --repeats "$REPEATS"

echo "== generation and filtering: bench-sampling =="
"$CLI" bench-sampling "${common[@]}" --device "$DEVICE" --model models/cemiface --batches "$BATCHES" \
  --repeats "$REPEATS"

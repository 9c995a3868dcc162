#!/usr/bin/env bash
# Stability check for the training loop (docs/training.md): N independent local training runs of STEPS steps,
# each with its own seed, on the embedded default's data and encoder; counts runs that end with non-finite
# weights or skipped non-finite steps. Needs the rendered identities and the trained encoder of conf/local.conf
# (bin/cemiface render-identities and train-encoder).
#   [BATCH=16] model-training/scripts/stability.sh [RUNS=20] [STEPS=300]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-20}
STEPS=${2:-300}
OUT=work/local/stability
bad=0
skipped=0
for i in $(seq 1 "$RUNS"); do
  seed=$((1000 + i))
  rm -rf "$OUT/run-$i"
  line=$("$ROOT/bin/cemiface" train --config "$ROOT/conf/local.conf" --set seed=$seed --set train.steps=$STEPS \
    --set train.batch-size=${BATCH:-16} \
    --set train.checkpoint-every=$STEPS --set train.sheet-inquiries=0 --set train.output=stability/run-$i 2>/dev/null \
    | grep '^Trained steps')
  echo "run $i (seed $seed): $line"
  weights=$(sed -E 's/.* ([0-9]+) non-finite weights.*/\1/' <<<"$line")
  steps=$(sed -E 's/.*; ([0-9]+) non-finite steps skipped.*/\1/' <<<"$line")
  [[ "$weights" == "0" ]] || bad=$((bad + 1))
  skipped=$((skipped + steps))
done
echo "stability: $RUNS runs x $STEPS steps: $bad runs with non-finite weights, $skipped non-finite steps skipped in total"
[[ $bad -eq 0 ]]

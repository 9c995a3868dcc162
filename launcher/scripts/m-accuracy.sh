#!/usr/bin/env bash
# The paper's Table 9 / Figure 4 on the embedded default: face-recognition accuracy of models trained on datasets
# generated at m = -1, -0.5, 0, 0.5, 1 (the same 40 inquiries, volume and seeds; only m changes), verified on the
# demo's held-out benchmark, next to the model trained on as many rendered people.
#
#   launcher/scripts/m-accuracy.sh [DEMO_DIR]     (default work/local/demo; run bin/cemiface demo first)
#
# Writes DEMO_DIR/m-sets/m<M>/ (plan, images, recordio), DEMO_DIR/models/fr-m<M>/ and DEMO_DIR/m-accuracy/
# (verification.md with the table, accuracy.png with the curve, roc-rendered.png). Not part of CI: about 15 minutes
# on 2 cores. The measured result is in docs/evaluation.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEMO=$(cd "${1:-$ROOT/work/local/demo}" && pwd)
C=("$ROOT/bin/cemiface")
CONF=(--config "$ROOT/conf/local.conf" --set "work-dir=$DEMO")
for f in inquiries/inquiries.parquet benchmarks models/fr-rendered; do
  [[ -e "$DEMO/$f" ]] || { echo "m-accuracy: $DEMO/$f is missing: run bin/cemiface demo --config conf/local.conf first" >&2; exit 2; }
done
encoders=()
for m in -1.0 -0.5 0.0 0.5 1.0; do
  set_dir="m-sets/m$m"
  echo "== m = $m: plan, generate, train-fr" >&2
  "${C[@]}" plan "${CONF[@]}" --set "plan.m=$m" --set "plan.output=$set_dir/plan.parquet" >&2
  "${C[@]}" generate "${CONF[@]}" --set "generate.plan=$set_dir/plan.parquet" --set "generate.output=$set_dir" >&2
  "${C[@]}" train-fr "${CONF[@]}" --set "train-fr.data=$set_dir/recordio" --set "train-fr.output=models/fr-m$m" >&2
  encoders+=("m = $m=djl:models/fr-m$m")
done
encoders+=("rendered people (real)=djl:models/fr-rendered")
list=$(IFS=,; echo "${encoders[*]}")
"${C[@]}" verify "${CONF[@]}" --encoder "$list" --benchmarks benchmarks --output m-accuracy \
  --real "rendered people (real)"
echo "Curve: $DEMO/m-accuracy/accuracy.png" >&2

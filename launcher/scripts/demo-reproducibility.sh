#!/usr/bin/env bash
# launcher/scripts/demo-reproducibility.sh [OUT]: two reduced demo runs with the same seed into OUT/repro1 and
# OUT/repro2; compares their reports (paths removed) and RecordIO files. Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=${1:-/tmp/cemiface-repro}
SETS=(--set render.identities=24 --set render.images-per-identity=4 --set train-encoder.holdout-identities=4
  --set train-encoder.epochs=2 --set train-encoder.batch-size=32 --set train.batch-size=4 --set train.log-every=5
  --set train.sheet-inquiries=2 --set demo.inquiry-candidates=16 --set demo.train-steps=20 --set demo.sweep.subjects=2
  --set demo.sweep.images=4 --set "volume.cohorts=[{subjects=3, images=4}]" --set volume.oversampling=1
  --set sampling.steps=5 --set filter.threshold=0.995 --set filter.gallery-threshold=0.995
  --set demo.unet-faces.people=96)
mkdir -p "$OUT"
for run in 1 2; do
  bin/cemiface demo --config conf/local.conf --set work-dir=$OUT/repro$run "${SETS[@]}" > $OUT/run$run.out 2> $OUT/run$run.err
done
for r in dataset sweep; do
  diff <(grep -v "^Dataset:\|^Tables:" $OUT/repro1/demo/$r/stats/report.md) \
       <(grep -v "^Dataset:\|^Tables:" $OUT/repro2/demo/$r/stats/report.md) && echo "$r report identical"
done
cmp $OUT/repro1/demo/dataset/recordio/train.rec $OUT/repro2/demo/dataset/recordio/train.rec && echo "train.rec identical"

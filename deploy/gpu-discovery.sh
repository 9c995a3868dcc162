#!/usr/bin/env bash
# Spark GPU discovery script: prints the GPUs of this node as Spark's resource JSON, e.g.
#   {"name":"gpu","addresses":["0","1"]}
# Use with spark.worker.resource.gpu.discoveryScript (standalone) or
# spark.executor.resource.gpu.discoveryScript (YARN, Kubernetes). Honours CUDA_VISIBLE_DEVICES when set.
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  ids=$(tr ',' '\n' <<<"$CUDA_VISIBLE_DEVICES" | sed '/^$/d')
elif command -v nvidia-smi >/dev/null 2>&1; then
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader)
else
  ids=""
fi
printf '{"name":"gpu","addresses":['
first=1
for id in $ids; do
  [[ $first -eq 1 ]] || printf ','
  printf '"%s"' "$(tr -d '[:space:]' <<<"$id")"
  first=0
done
printf ']}\n'

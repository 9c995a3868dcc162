#!/usr/bin/env bash
# YARN with GPU scheduling (yarn.io/gpu resource type enabled on the NodeManagers). Executors discover their GPU
# with the script shipped by --files; Spark maps spark.executor.resource.gpu to yarn.io/gpu.
export SPARK_SUBMIT_OPTS_EXTRA="--master yarn --deploy-mode cluster
  --num-executors 16 --executor-cores 4 --executor-memory 24g
  --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh
  --conf spark.executorEnv.PYTORCH_LIBRARY_PATH=/opt/libtorch-2.7.1-cu128/lib
  --conf spark.executorEnv.PYTORCH_FLAVOR=cu128
  --files deploy/gpu-discovery.sh,conf/cluster.conf,conf/volume-1.2m.conf"
export CEMIFACE_GPU_DISCOVERY=./gpu-discovery.sh
exec "$(dirname "${BASH_SOURCE[0]}")/../generate.sh" --config cluster.conf --config volume-1.2m.conf

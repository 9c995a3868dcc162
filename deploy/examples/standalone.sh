#!/usr/bin/env bash
# Spark standalone cluster, 8 GPU nodes. On every worker (spark-env.sh or spark-defaults.conf):
#   SPARK_WORKER_OPTS="-Dspark.worker.resource.gpu.amount=8
#     -Dspark.worker.resource.gpu.discoveryScript=/opt/cemiface/deploy/gpu-discovery.sh"
# and a CUDA libtorch for DJL (docs/operations.md, "GPU nodes").
export SPARK_SUBMIT_OPTS_EXTRA="--master spark://master:7077 --deploy-mode client
  --executor-cores 4 --executor-memory 24g --conf spark.executor.resource.gpu.amount=1
  --conf spark.executorEnv.PYTORCH_LIBRARY_PATH=/opt/libtorch-2.7.1-cu128/lib
  --conf spark.executorEnv.PYTORCH_FLAVOR=cu128
  --files conf/cluster.conf,conf/volume-1.2m.conf"
exec "$(dirname "${BASH_SOURCE[0]}")/../generate.sh" --config cluster.conf --config volume-1.2m.conf

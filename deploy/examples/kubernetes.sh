#!/usr/bin/env bash
# Kubernetes: executor pods request nvidia.com/gpu through Spark's resource vendor setting. The image must contain
# the shaded jar, deploy/gpu-discovery.sh, the conf files and a CUDA libtorch: deploy/docker/Dockerfile builds it
# (docs/operations.md, "GPU nodes").
export SPARK_HOME=${SPARK_HOME:?set SPARK_HOME to a Spark 4.1 distribution for k8s submission}
export CEMIFACE_JAR=local:///opt/cemiface/spark-jobs-0.1.0-SNAPSHOT-spark.jar
export CEMIFACE_GPU_DISCOVERY=/opt/cemiface/deploy/gpu-discovery.sh
export SPARK_SUBMIT_OPTS_EXTRA="--master k8s://https://kubernetes.default.svc --deploy-mode cluster
  --conf spark.kubernetes.container.image=registry.example.com/cemiface:0.1.0
  --conf spark.executor.instances=16 --conf spark.executor.cores=4 --conf spark.executor.memory=24g
  --conf spark.executor.resource.gpu.vendor=nvidia.com
  --conf spark.executorEnv.PYTORCH_LIBRARY_PATH=/opt/libtorch/lib --conf spark.executorEnv.PYTORCH_FLAVOR=cu128"
exec "$(dirname "${BASH_SOURCE[0]}")/../generate.sh" --config /opt/cemiface/conf/cluster.conf \
  --config /opt/cemiface/conf/volume-1.2m.conf

#!/usr/bin/env bash
# Submits one cemiface job to a Spark cluster:
#   deploy/cemiface-submit.sh <command> [--config FILE]... [--set key=value]...
# e.g. deploy/cemiface-submit.sh generate --config conf/cluster.conf --config conf/volume-1.2m.conf
#
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, else Spark's SparkSubmit class from this project's
# own classpath (no Spark distribution needed; run `mvn package` first). Environment:
#   SPARK_SUBMIT_OPTS_EXTRA  extra spark-submit arguments (master, deploy mode, resources), word-split;
#                            see deploy/examples/ for standalone, YARN and Kubernetes
#   CEMIFACE_JAR             the application jar (default: spark-jobs/target/spark-jobs-<version>-spark.jar)
#   CEMIFACE_GPUS            GPUs per executor, one per task (default 1; 0 submits CPU-only tasks)
#   ONEDNN_MAX_CPU_ISA       CPU kernel cap for the executors (default AVX; docs/operations.md, "CPU kernels")
#   MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_
#                            glibc allocator settings for driver and executors (defaults 32 MiB and 4 GiB;
#                            docs/operations.md, "Native memory")
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=0.1.0-SNAPSHOT
JAR=${CEMIFACE_JAR:-$ROOT/spark-jobs/target/spark-jobs-$VERSION-spark.jar}
GPUS=${CEMIFACE_GPUS:-1}
export ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-AVX}
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432}
export MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-4294967296}
[[ $# -ge 1 ]] || { echo "usage: $0 <command> [--config FILE]... [--set key=value]..." >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "cemiface-submit: $JAR not found; run 'mvn -B package -DskipTests' first" >&2; exit 2; }

ARGS=(--class org.cemiface.cli.Main
  --conf spark.driver.extraJavaOptions=-Dai.djl.offline=true
  --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true
  --conf spark.executorEnv.DJL_OFFLINE=true
  --conf "spark.executorEnv.ONEDNN_MAX_CPU_ISA=$ONEDNN_MAX_CPU_ISA"
  --conf "spark.executorEnv.MALLOC_MMAP_THRESHOLD_=$MALLOC_MMAP_THRESHOLD_"
  --conf "spark.executorEnv.MALLOC_TRIM_THRESHOLD_=$MALLOC_TRIM_THRESHOLD_"
  --conf spark.task.maxFailures=4)
if [[ "$GPUS" != 0 ]]; then
  ARGS+=(--conf "spark.executor.resource.gpu.amount=$GPUS"
    --conf spark.task.resource.gpu.amount=1
    --conf "spark.executor.resource.gpu.discoveryScript=${CEMIFACE_GPU_DISCOVERY:-$ROOT/deploy/gpu-discovery.sh}")
fi
# shellcheck disable=SC2206
EXTRA=(${SPARK_SUBMIT_OPTS_EXTRA:-})

if [[ -n "${SPARK_HOME:-}" && -x "$SPARK_HOME/bin/spark-submit" ]]; then
  exec "$SPARK_HOME/bin/spark-submit" "${ARGS[@]}" "${EXTRA[@]}" "$JAR" "$@"
fi
CP_FILE="$ROOT/spark-jobs/target/classpath.txt"
[[ -f "$CP_FILE" ]] || { echo "cemiface-submit: $CP_FILE not found; run 'mvn -B package -DskipTests' first" >&2; exit 2; }
# Spark and its dependencies only: the project's own module jars are inside the application jar.
SPARK_CP=$(tr ':' '\n' < "$CP_FILE" | grep -v "^$ROOT/" | paste -sd: -)
exec "${JAVA:-java}" -Xmx"${CEMIFACE_DRIVER_HEAP:-4g}" -Dai.djl.offline=true -cp "$SPARK_CP" \
  org.apache.spark.deploy.SparkSubmit "${ARGS[@]}" "${EXTRA[@]}" "$JAR" "$@"

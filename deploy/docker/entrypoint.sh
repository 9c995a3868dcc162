#!/usr/bin/env bash
# The image's entrypoint (deploy/docker/Dockerfile). Spark on Kubernetes starts driver and executor pods with
# "driver …" / "executor …": those go to Spark's own entrypoint unchanged. Anything else is a cemiface command run
# in this container (a training job, `--help`, `config`):
#   docker run IMAGE train --config conf/cluster.conf …
# Environment (set by the image): CEMIFACE_HOME (jars, conf/, pom.xml), SPARK_HOME, PYTORCH_LIBRARY_PATH,
# PYTORCH_VERSION, PYTORCH_FLAVOR, DJL_OFFLINE; CEMIFACE_HEAP sets the heap of a command run here (default 8g).
set -euo pipefail
case "${1:-}" in
  driver | driver-py | driver-r | executor)
    exec "$SPARK_HOME/kubernetes/dockerfiles/spark/entrypoint.sh" "$@"
    ;;
esac
# JVM flags from pom.xml, where they are written once (bin/cemiface reads them the same way).
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$CEMIFACE_HOME/pom.xml"; }
read -ra JVM_FLAGS <<< "$(pom_property spark.jvm.opens) $(pom_property djl.offline.opts)"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx"${CEMIFACE_HEAP:-8g}" "${JVM_FLAGS[@]}" \
  -Dlog4j2.configurationFile="$CEMIFACE_HOME/conf/log4j2.properties" \
  -cp "$CEMIFACE_HOME/*:$SPARK_HOME/jars/*" org.cemiface.cli.Main "$@"

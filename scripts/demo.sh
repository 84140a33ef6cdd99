#!/usr/bin/env bash
# Runs costguard locally on an embedded default: a real Prometheus with generated cost history, an
# in-process Kubernetes API with the CRDs and examples, and the operator jar. Extra arguments go to
# `costguard demo` (e.g. --once to print the table and exit, --days 60, --work-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh >/dev/null
jar=operator/target/costguard.jar
if [[ ! -f "$jar" || -n "$(find operator/src crds examples -newer "$jar" -type f -print -quit)" ]]; then
  echo "building $jar ..."
  mvn -B -q -ntp -DskipTests -pl operator -am package
fi
exec java -jar "$jar" demo "$@"

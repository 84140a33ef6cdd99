#!/usr/bin/env bash
# Runs costguard locally on an embedded default: a real Prometheus with generated cost history, an
# in-process Kubernetes API with the CRDs and examples, and the operator. The demo is its own jar (the
# demo module: the operator plus the mock API and the history generator, kept out of the operator's jar).
# Arguments go to it (e.g. --once to print the table and exit, --days 60, --work-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh >/dev/null
jar=demo/target/costguard-demo.jar
if [[ ! -f "$jar" || -n "$(find operator/src operator/pom.xml demo/src demo/pom.xml crds examples -newer "$jar" -type f -print -quit)" ]]; then
  echo "building $jar ..."
  mvn -B -q -ntp -DskipTests -pl demo -am package
fi
exec java -jar "$jar" "$@"

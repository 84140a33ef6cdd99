#!/usr/bin/env bash
# The evaluation-cycle benchmark of docs/benchmarks.md: 10,000 CostBudgets over 5,000 allocation-key
# combinations, operator heap capped at 256 MiB. Argument: number of steady-state cycles (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl operator -am package
mvn -B -q -ntp -pl operator test-compile
exec java -Xmx256m -Djava.util.logging.config.file=operator/src/test/resources/logging.properties \
  -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.benchmark.CycleBenchmark "$@"

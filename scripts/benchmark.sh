#!/usr/bin/env bash
# The evaluation-cycle benchmark of docs/benchmarks.md: 10,000 CostBudgets over 5,000 allocation-key
# combinations. Argument: number of steady-state cycles (default 10). BENCH_JAVA_OPTS overrides the
# JVM options (default: -Xmx128m -XX:+UseSerialGC, the smallest heap the first cycle fits in).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl operator -am package
mvn -B -q -ntp -pl operator test-compile
exec java ${BENCH_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC} -Dorg.slf4j.simpleLogger.log.io.costguard=warn -Djava.util.logging.config.file=operator/src/test/resources/logging.properties \
  -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.benchmark.CycleBenchmark "$@"

#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md. `scripts/benchmark.sh [N]`: the evaluation cycle, 10,000
# CostBudgets over 5,000 allocation-key combinations, N steady-state cycles. `scripts/benchmark.sh
# forecast [SERIES]`: the forecast backtest. `scripts/benchmark.sh anomalies [SERIES]`: the anomaly backtest. Argument: number of steady-state cycles (default 10). BENCH_JAVA_OPTS overrides the
# JVM options (default: a 128 MiB serial-GC heap and capped code cache and metaspace, see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -DskipTests -pl operator -am package
mvn -B -q -ntp -pl operator test-compile
if [[ "${1:-}" == "admission" || "${1:-}" == "webhook" ]]; then
  mvn -B -q -ntp -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
  cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)"
  if [[ "$1" == "admission" ]]; then
    exec java -cp "$cp" org.openjdk.jmh.Main AdmissionDecisionBenchmark
  fi
  shift
  exec java -Xmx256m -cp "$cp" io.costguard.benchmark.WebhookLoadBenchmark "$@"
fi
if [[ "${1:-}" == "anomalies" ]]; then
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.anomaly.AnomalyBacktest "$@"
fi
if [[ "${1:-}" == "forecast" ]]; then
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.forecast.ForecastBacktest "$@"
fi
exec java ${BENCH_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=80m -XX:CICompilerCount=2} -Dorg.slf4j.simpleLogger.log.io.costguard=warn -Djava.util.logging.config.file=operator/src/test/resources/logging.properties \
  -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.benchmark.CycleBenchmark "$@"

#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md. `scripts/benchmark.sh [N]`: the evaluation cycle, 10,000
# CostBudgets over 5,000 allocation-key combinations, N steady-state cycles. `scripts/benchmark.sh
# forecast [SERIES]`: the forecast backtest on generated series; `forecast-real [--models] [--holdout]`: on the real series (--holdout: the held-out ones). `scripts/benchmark.sh anomalies [SERIES]`: the anomaly backtest on generated series; `anomalies-real [FILTER] [--holdout]`: on the real series; `drivers [SCOPES]`: the anomaly drivers backtest. `scripts/benchmark.sh perf [N]`: 1,000 PerfBaselines per cycle, batched vs fan-out. `scripts/benchmark.sh chargeback [N]`: costguard report for a month over 5,000 combinations and N cycles with shared allocation vs without. Argument: number of steady-state cycles (default 10). BENCH_JAVA_OPTS overrides the
# JVM options (default: a 128 MiB serial-GC heap and capped code cache and metaspace, see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# the JVM options the scale figures in docs/benchmarks.md were measured with
SCALE_JAVA_OPTS="-Xmx240m -XX:NewRatio=4 -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m -XX:CICompilerCount=2 -Xss512k -XX:+ExitOnOutOfMemoryError -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -XX:TieredStopAtLevel=1"
# the demo module too: the cycle benchmarks run the in-process Kubernetes API, which the operator's jar leaves out
mvn -B -q -ntp -DskipTests -pl demo -am package
mvn -B -q -ntp -pl operator test-compile
if [[ "${1:-}" == "admission" || "${1:-}" == "webhook" ]]; then
  # `webhook wrk` runs the closed-loop comparison
  mvn -B -q -ntp -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
  cp="operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)"
  if [[ "${2:-}" == "wrk" ]]; then
    # closed loop for comparison: wrk -t2 -c8 against each server in turn
    tls=$(mktemp -d)
    java -cp "$cp" io.costguard.benchmark.WebhookLoadBenchmark --write-certificates "$tls"
    for which in floor costguard; do
      java -Xmx128m -XX:+UseSerialGC -cp "$cp" io.costguard.benchmark.WebhookServerMain "$which" 18443 "$tls" > /dev/null &
      pid=$!
      sleep 4
      wrk -t2 -c8 -d5s -s scripts/wrk-post.lua https://127.0.0.1:18443/validate > /dev/null
      echo "== $which (wrk -t2 -c8 -d20s)"
      wrk -t2 -c8 -d20s --latency -s scripts/wrk-post.lua https://127.0.0.1:18443/validate
      kill $pid; wait $pid 2>/dev/null || true
    done
    exit 0
  fi
  if [[ "$1" == "admission" ]]; then
    exec java -cp "$cp" org.openjdk.jmh.Main AdmissionDecisionBenchmark
  fi
  shift
  # BENCH_SERVER_JVM: more JVM options for the servers measured (e.g. -XX:TieredStopAtLevel=1)
  exec java -Xmx1g "-Dbench.serverJvm=${BENCH_SERVER_JVM:-}" -cp "$cp" io.costguard.benchmark.WebhookLoadBenchmark "$@"
fi
if [[ "${1:-}" == "perf" ]]; then
  # 1,000 PerfBaselines per cycle: batched by namespace vs the per-workload fan-out
  shift
  exec java ${BENCH_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC} -Dorg.slf4j.simpleLogger.log.io.costguard=warn -Djava.util.logging.config.file=operator/src/test/resources/logging.properties \
    -cp demo/target/test-classes:operator/target/test-classes:demo/target/costguard-demo.jar io.costguard.benchmark.PerfCycleBenchmark "$@"
fi
if [[ "${1:-}" == "scale" ]]; then
  # the whole operator with 10,000 CostBudgets, 10,000 PerfBaselines, 200 BenchRuns; JVM options: the chart's
  shift
  # the chart's mallocArenaMax
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} exec java ${BENCH_JAVA_OPTS:-$SCALE_JAVA_OPTS} -Dorg.slf4j.simpleLogger.log.io.costguard=warn \
    -Djava.util.logging.config.file=operator/src/test/resources/logging.properties \
    -cp demo/target/test-classes:operator/target/test-classes:demo/target/costguard-demo.jar io.costguard.benchmark.ScaleBenchmark "$@"
fi
if [[ "${1:-}" == "chargeback" ]]; then
  # costguard report for a month over 5,000 combinations, and the cycle with shared allocation vs without
  shift
  exec java ${BENCH_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -Dorg.slf4j.simpleLogger.log.io.costguard=warn \
    -cp demo/target/test-classes:operator/target/test-classes:demo/target/costguard-demo.jar io.costguard.benchmark.ChargebackBenchmark "$@"
fi
if [[ "${1:-}" == "anomalies-real" ]]; then
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.anomaly.RealAnomalyBacktest "$@"
fi
if [[ "${1:-}" == "anomalies" ]]; then
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.anomaly.AnomalyBacktest "$@"
fi
# `drivers [SCOPES]`: the anomaly drivers backtest
if [[ "${1:-}" == "drivers" ]]; then
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.anomaly.DriversBacktest "$@"
fi
if [[ "${1:-}" == "forecast-real" ]]; then
  # the real series (NAB) with the protocol of operator/src/test/resources/real-series; --models adds each model alone
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.forecast.RealForecastBacktest "$@"
fi
if [[ "${1:-}" == "forecast" ]]; then
  shift
  exec java -cp operator/target/test-classes:operator/target/costguard.jar io.costguard.forecast.ForecastBacktest "$@"
fi
exec java ${BENCH_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=80m -XX:CICompilerCount=2} -Dorg.slf4j.simpleLogger.log.io.costguard=warn -Djava.util.logging.config.file=operator/src/test/resources/logging.properties \
  -cp demo/target/test-classes:operator/target/test-classes:demo/target/costguard-demo.jar io.costguard.benchmark.CycleBenchmark "$@"

package io.costguard.baseline;

import static io.costguard.baseline.PerfFixtures.measured;
import static io.costguard.baseline.PerfFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.PerfState;
import io.costguard.api.RecordedBaseline;
import io.costguard.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PerfEvaluatorTest {
    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final String BASE = """
      workload: {name: api}
      baseline: {latencyP95: 200ms, errorRatio: "0.001", throughput: "100", costPer1kRequests: "0.05"}
      """;
    final PerfEvaluator evaluator = new PerfEvaluator();

    /** Cost per hour that gives {@code per1k} at {@code rps}. */
    static double costFor(double per1k, double rps) {
        return per1k * rps * 3600 / 1000;
    }

    static PerfEvaluator.Deviation deviation(PerfPlan p, PerfPlan.Values current, String metric) {
        return PerfEvaluator.deviations(p.regression(), p.pinnedBaseline(), current).stream()
                .filter(d -> d.metric().equals(metric))
                .findFirst()
                .orElseThrow();
    }

    @Property
    void latencyRegressesOnlyAboveItsPercent(
            @ForAll @IntRange(min = 1, max = 1000) int percent,
            @ForAll @DoubleRange(min = 0.001, max = 30) @Scale(3) double base) {
        PerfPlan p = plan("workload: {name: api}\nbaseline: {latencyP95: " + Math.round(base * 1000)
                + "ms}\nregression: {latencyPercent: " + percent + "}");
        double b = p.pinnedBaseline().latencyP95();
        double limit = b * (1 + percent / 100.0);
        assertThat(deviation(p, new PerfPlan.Values(limit * (1 + 1e-6), null, null, null), "latencyP95")
                        .breach())
                .isTrue();
        assertThat(deviation(p, new PerfPlan.Values(limit * (1 - 1e-6), null, null, null), "latencyP95")
                        .breach())
                .isFalse();
        assertThat(deviation(p, new PerfPlan.Values(b * 0.5, null, null, null), "latencyP95")
                        .breach())
                .isFalse();
    }

    @Property
    void throughputRegressesFromItsPercentEitherWay(
            @ForAll @IntRange(min = 1, max = 99) int percent, @ForAll @DoubleRange(min = 1, max = 100000) double base) {
        PerfPlan p = plan("workload: {name: api}\nbaseline: {throughput: \""
                + java.math.BigDecimal.valueOf(base).toPlainString() + "\"}\nregression: {throughputPercent: " + percent
                + "}");
        double b = p.pinnedBaseline().throughput();
        for (int sign : new int[] {-1, 1}) {
            assertThat(deviation(
                                    p,
                                    new PerfPlan.Values(
                                            null, null, b * (1 + sign * percent / 100.0 * (1 + 1e-6)), null),
                                    "throughput")
                            .breach())
                    .isTrue();
            assertThat(deviation(
                                    p,
                                    new PerfPlan.Values(
                                            null, null, b * (1 + sign * percent / 100.0 * (1 - 1e-6)), null),
                                    "throughput")
                            .breach())
                    .isFalse();
        }
    }

    @Test
    void boundariesOfTheSeedDefaults() {
        PerfPlan p = plan(BASE);
        // throughput: a deviation of exactly 20 % counts
        assertThat(deviation(p, new PerfPlan.Values(null, null, 80.0, null), "throughput")
                        .breach())
                .isTrue();
        assertThat(deviation(p, new PerfPlan.Values(null, null, 120.0, null), "throughput")
                        .breach())
                .isTrue();
        assertThat(deviation(p, new PerfPlan.Values(null, null, 80.5, null), "throughput")
                        .breach())
                .isFalse();
        // error ratio: an absolute limit of 0.4 %, above it only
        assertThat(deviation(p, new PerfPlan.Values(null, 0.004, null, null), "errorRatio")
                        .breach())
                .isFalse();
        assertThat(deviation(p, new PerfPlan.Values(null, 0.00401, null, null), "errorRatio")
                        .breach())
                .isTrue();
        // latency: more than 10 % above 200ms
        assertThat(deviation(p, new PerfPlan.Values(0.220, null, null, null), "latencyP95")
                        .breach())
                .isFalse();
        assertThat(deviation(p, new PerfPlan.Values(0.2201, null, null, null), "latencyP95")
                        .breach())
                .isTrue();
        assertThat(deviation(p, new PerfPlan.Values(0.2202, null, null, null), "latencyP95")
                        .changePercent())
                .isEqualTo(10.1);
    }

    @Test
    void costPerUnitCountsOnlyWhileVolumeMovedLess() {
        PerfPlan p = plan(BASE);
        // +10 % per unit at steady volume: a regression; +9.9 %: not
        assertThat(deviation(p, new PerfPlan.Values(null, null, 100.0, 0.055), "costPer1kRequests")
                        .breach())
                .isTrue();
        assertThat(deviation(p, new PerfPlan.Values(null, null, 100.0, 0.05495), "costPer1kRequests")
                        .breach())
                .isFalse();
        // volume fell 15 %: the higher cost per unit is explained by fixed cost over fewer requests
        assertThat(deviation(p, new PerfPlan.Values(null, null, 85.0, 0.058), "costPer1kRequests")
                        .breach())
                .isFalse();
        // volume moved 9 %: less than 10 %, so cost per unit still counts
        assertThat(deviation(p, new PerfPlan.Values(null, null, 91.0, 0.058), "costPer1kRequests")
                        .breach())
                .isTrue();
    }

    @Test
    void aRegressionCountsAfterConsecutiveEvaluationsOnNewData() {
        PerfPlan p = plan(BASE + "regression: {consecutiveEvaluations: 3}\nonRegression: [Notify, Freeze]");
        Signals bad = measured(T0, 0.2, 0.01, 100, null);
        var d1 = evaluator.evaluate(p, bad, null, 1, T0);
        assertThat(d1.status().regressions).isNull();
        assertThat(d1.status().pendingRegressions)
                .singleElement()
                .satisfies(r -> assertThat(r.evaluations).isEqualTo(1));
        // the same sample judged again (a reconcile without a new cycle) does not count twice
        var again = evaluator.evaluate(p, bad, d1.status(), 1, T0.plusSeconds(5));
        assertThat(again.status().pendingRegressions.get(0).evaluations).isEqualTo(1);
        var d2 = evaluator.evaluate(
                p, measured(T0.plusSeconds(60), 0.2, 0.01, 100, null), again.status(), 1, T0.plusSeconds(60));
        assertThat(d2.status().regressions).isNull();
        assertThat(d2.status().deploysFrozen).isNull();
        var d3 = evaluator.evaluate(
                p, measured(T0.plusSeconds(120), 0.2, 0.01, 100, null), d2.status(), 1, T0.plusSeconds(120));
        assertThat(d3.status().regressions).singleElement().satisfies(r -> {
            assertThat(r.metric).isEqualTo("errorRatio");
            assertThat(r.since).isEqualTo(T0.toString());
            assertThat(r.current).isEqualTo("0.01");
        });
        assertThat(d3.state()).isEqualTo(PerfState.Regressed);
        assertThat(d3.status().deploysFrozen).isTrue();
        assertThat(d3.notices()).extracting(PerfEvaluator.Notice::reason).containsExactly("PerformanceRegression");
    }

    @Test
    void oneGoodEvaluationResetsAPendingRegressionAndAConfirmedOneNeedsAsManyToClear() {
        PerfPlan p = plan(BASE + "regression: {consecutiveEvaluations: 2}\nonRegression: [Freeze]");
        var s = evaluator
                .evaluate(p, measured(T0, 0.2, 0.01, 100, null), null, 1, T0)
                .status();
        s = evaluator
                .evaluate(p, measured(T0.plusSeconds(60), 0.2, 0.0, 100, null), s, 1, T0.plusSeconds(60))
                .status();
        assertThat(s.pendingRegressions).isNull();
        s = evaluator
                .evaluate(p, measured(T0.plusSeconds(120), 0.2, 0.01, 100, null), s, 1, T0.plusSeconds(120))
                .status();
        assertThat(s.pendingRegressions.get(0).since)
                .isEqualTo(T0.plusSeconds(120).toString());
        s = evaluator
                .evaluate(p, measured(T0.plusSeconds(180), 0.2, 0.01, 100, null), s, 1, T0.plusSeconds(180))
                .status();
        assertThat(s.deploysFrozen).isTrue();
        // one clean evaluation: still frozen, counting
        s = evaluator
                .evaluate(p, measured(T0.plusSeconds(240), 0.2, 0.0, 100, null), s, 1, T0.plusSeconds(240))
                .status();
        assertThat(s.deploysFrozen).isTrue();
        assertThat(s.regressions.get(0).cleanEvaluations).isEqualTo(1);
        // a relapse resets the count
        s = evaluator
                .evaluate(p, measured(T0.plusSeconds(300), 0.2, 0.01, 100, null), s, 1, T0.plusSeconds(300))
                .status();
        assertThat(s.regressions.get(0).cleanEvaluations).isZero();
        s = evaluator
                .evaluate(p, measured(T0.plusSeconds(360), 0.2, 0.0, 100, null), s, 1, T0.plusSeconds(360))
                .status();
        var cleared =
                evaluator.evaluate(p, measured(T0.plusSeconds(420), 0.2, 0.0, 100, null), s, 1, T0.plusSeconds(420));
        assertThat(cleared.status().regressions).isNull();
        assertThat(cleared.status().deploysFrozen).isNull();
        assertThat(cleared.state()).isEqualTo(PerfState.Healthy);
        // Freeze without Notify: no events
        assertThat(cleared.notices()).isEmpty();
    }

    /** Signals at {@code at} whose latency history has these p95 values (oldest first, null: a missing step), one a step. */
    static Signals withHistory(Instant at, Duration step, Double... p95) {
        List<LatencyHistory.Point> points = new ArrayList<>();
        for (int i = 0; i < p95.length; i++) {
            if (p95[i] != null) {
                points.add(new LatencyHistory.Point(at.minus(step.multipliedBy(p95.length - 1 - i)), p95[i]));
            }
        }
        Double now = p95[p95.length - 1];
        return new Signals(at, now, 0.0, 100.0, null, null, null, null, new LatencyHistory(step, points));
    }

    /**
     * Judged on the data: a first evaluation (a new PerfBaseline, or a new process) confirms a latency regression
     * exactly when every step of the last latencyFor is above the limit, without waiting for evaluations.
     */
    @Property
    void latencyIsConfirmedAtOnceWhenEveryStepOfLatencyForIsAbove(
            @ForAll @IntRange(min = 1, max = 7200) int forSeconds,
            @ForAll @Size(max = 30) List<Boolean> belowFromTheEnd,
            @ForAll @IntRange(min = -1, max = 30) int missingFromTheEnd) {
        PerfPlan p = plan(BASE + "regression: {latencyFor: " + forSeconds + "s}\nonRegression: [Freeze]");
        Duration latencyFor = Duration.ofSeconds(forSeconds);
        Duration step = PerfCollector.historyStep(latencyFor);
        int steps = (int) Duration.between(PerfCollector.historyStart(T0, latencyFor, step), T0)
                .dividedBy(step);
        Double[] p95 = new Double[steps + 1];
        boolean everyStepAbove = true;
        for (int k = 0; k <= steps; k++) {
            boolean below = k < belowFromTheEnd.size() && belowFromTheEnd.get(k);
            boolean missing = k == missingFromTheEnd;
            p95[steps - k] = missing ? null : below ? 0.21 : 0.3;
            everyStepAbove &= !below && !missing;
        }
        var d = evaluator.evaluate(p, withHistory(T0, step, p95), null, 1, T0);
        assertThat(d.status().regressions != null).isEqualTo(everyStepAbove);
        assertThat(d.status().deploysFrozen != null).isEqualTo(everyStepAbove);
        if (everyStepAbove) {
            assertThat(d.status().regressions.get(0).since)
                    .isEqualTo(T0.minus(step.multipliedBy(steps)).toString());
            assertThat(d.state()).isEqualTo(PerfState.Regressed);
        } else if (p95[steps] != null && p95[steps] > 0.22) {
            assertThat(d.status().pendingRegressions)
                    .singleElement()
                    .satisfies(r -> assertThat(r.metric).isEqualTo("latencyP95"));
        }
    }

    @Test
    void latencyConfirmationDependsOnTheDataNotOnHowLongTheOperatorWatched() {
        PerfPlan p = plan(BASE + "regression: {latencyFor: 5m}");
        Duration step = PerfCollector.historyStep(Duration.ofMinutes(5));
        // Prometheus has p95 300ms (baseline 200ms, limit 220ms) from T0 on; the history grows by a step each
        // evaluation
        java.util.function.IntFunction<Signals> at = k -> {
            Double[] p95 = new Double[21];
            for (int i = 0; i < p95.length; i++) {
                p95[i] = 20 - i <= k ? 0.3 : 0.2;
            }
            return withHistory(T0.plus(step.multipliedBy(k)), step, p95);
        };
        PerfBaselineStatus watching = null;
        Instant confirmedAt = null;
        for (int k = 0; k <= 25 && confirmedAt == null; k++) {
            watching = evaluator
                    .evaluate(p, at.apply(k), watching, 1, at.apply(k).at())
                    .status();
            if (watching.regressions != null) {
                confirmedAt = at.apply(k).at();
            } else {
                assertThat(watching.pendingRegressions.get(0).since).isEqualTo(T0.toString());
            }
        }
        assertThat(confirmedAt).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(watching.regressions.get(0).since).isEqualTo(T0.toString());
        // a process started at T0 + 5m (or a PerfBaseline created then) sees the same data and agrees at once
        var fresh = evaluator.evaluate(p, at.apply(20), null, 1, confirmedAt);
        assertThat(fresh.status().regressions)
                .singleElement()
                .satisfies(r -> assertThat(r.since).isEqualTo(T0.toString()));
        assertThat(fresh.notices())
                .extracting(PerfEvaluator.Notice::key)
                .containsExactly("regression-latencyP95-" + T0.getEpochSecond());
        // one step back under the limit in the window: not sustained, pending from the step after it
        Double[] dip = new Double[21];
        java.util.Arrays.fill(dip, 0.3);
        dip[10] = 0.2;
        var broken = evaluator.evaluate(p, withHistory(T0, step, dip), null, 1, T0);
        assertThat(broken.status().regressions).isNull();
        assertThat(broken.status().pendingRegressions.get(0).since)
                .isEqualTo(T0.minus(step.multipliedBy(9)).toString());
    }

    @Test
    void latencyForZeroCountsEvaluationsLikeTheOtherMetrics() {
        PerfPlan p = plan(BASE + "regression: {consecutiveEvaluations: 2, latencyFor: 0s}");
        var first = evaluator
                .evaluate(p, measured(T0, 0.3, 0.0, 100, null), null, 1, T0)
                .status();
        assertThat(first.regressions).isNull();
        var second = evaluator
                .evaluate(p, measured(T0.plusSeconds(60), 0.3, 0.0, 100, null), first, 1, T0.plusSeconds(60))
                .status();
        assertThat(second.regressions)
                .singleElement()
                .satisfies(r -> assertThat(r.since).isEqualTo(T0.toString()));
    }

    @Test
    void aRestartKeepsTheJudgedStateAndTheFreezeUntilItsFirstMeasurement() {
        PerfPlan p = plan(BASE + "regression: {consecutiveEvaluations: 1}\nonRegression: [Freeze]");
        var regressed = evaluator
                .evaluate(p, measured(T0, 0.2, 0.01, 100, null), null, 1, T0)
                .status();
        assertThat(regressed.state).isEqualTo("Regressed");
        // a new process: no signals yet for this PerfBaseline
        var kept = evaluator.evaluate(p, null, regressed, 1, T0.plusSeconds(30));
        assertThat(kept.state()).isEqualTo(PerfState.Regressed);
        assertThat(kept.status().deploysFrozen).isTrue();
        assertThat(kept.status().regressions).hasSize(1);
        assertThat(kept.status().conditions).isEqualTo(regressed.conditions);
        assertThat(kept.notices()).isEmpty();
        var healthy = evaluator
                .evaluate(p, measured(T0, 0.2, 0.001, 100, null), null, 1, T0)
                .status();
        assertThat(evaluator.evaluate(p, null, healthy, 1, T0.plusSeconds(30)).state())
                .isEqualTo(PerfState.Healthy);
        // a changed spec is judged anew: Unknown until measured, the freeze kept meanwhile
        var edited = evaluator.evaluate(p, null, regressed, 2, T0.plusSeconds(30));
        assertThat(edited.state()).isEqualTo(PerfState.Unknown);
        assertThat(edited.status().deploysFrozen).isTrue();
    }

    @Test
    void statePrecedenceAndObjectives() {
        PerfPlan p = plan(BASE
                + "slo: {latencyP95: 250ms, errorRatio: \"0.002\", minThroughput: \"50\", maxCostPer1kRequests: \"0.1\"}\n"
                + "regression: {consecutiveEvaluations: 1, latencyFor: 0s}");
        var healthy = evaluator.evaluate(p, measured(T0, 0.2, 0.001, 100, costFor(0.05, 100)), null, 1, T0);
        assertThat(healthy.state()).isEqualTo(PerfState.Healthy);
        assertThat(Conditions.find(healthy.status().conditions, "SLOMet").getStatus())
                .isEqualTo("True");
        // regressed (latency +20 %) but within every objective
        var regressed = evaluator.evaluate(p, measured(T0, 0.24, 0.001, 100, costFor(0.05, 100)), null, 1, T0);
        assertThat(regressed.state()).isEqualTo(PerfState.Regressed);
        // both: SLOViolated wins, both conditions set
        var both = evaluator.evaluate(p, measured(T0, 0.3, 0.003, 100, costFor(0.05, 100)), null, 1, T0);
        assertThat(both.state()).isEqualTo(PerfState.SLOViolated);
        assertThat(Conditions.find(both.status().conditions, "Regressed").getStatus())
                .isEqualTo("True");
        assertThat(Conditions.find(both.status().conditions, "SLOMet").getMessage())
                .isEqualTo("latencyP95 300ms above 250ms; errorRatio 0.003 above 0.002");
        assertThat(both.notices())
                .extracting(PerfEvaluator.Notice::reason)
                .contains("SLOViolated", "PerformanceRegression");
        // zero requests: Unknown, cost per 1k absent rather than 0
        var idle = evaluator.evaluate(
                p,
                new Signals(T0, null, null, 0.0, 1.0, ConditionReason.NoTraffic, "no requests", null, null),
                null,
                1,
                T0);
        assertThat(idle.state()).isEqualTo(PerfState.Unknown);
        assertThat(idle.status().current.costPer1kRequests).isNull();
        assertThat(idle.status().current.throughput).isEqualTo("0");
        assertThat(Conditions.find(idle.status().conditions, "DataAvailable").getReason())
                .isEqualTo("NoTraffic");
    }

    @Test
    void missingDataKeepsTheFreezeAndSaysSo() {
        PerfPlan p = plan(BASE + "regression: {consecutiveEvaluations: 1}\nonRegression: [Freeze]");
        var frozen = evaluator
                .evaluate(p, measured(T0, 0.2, 0.01, 100, null), null, 1, T0)
                .status();
        assertThat(frozen.deploysFrozen).isTrue();
        var down = evaluator.evaluate(
                p,
                Signals.unavailable(T0.plusSeconds(60), ConditionReason.Unreachable, "Prometheus: cannot connect"),
                frozen,
                1,
                T0.plusSeconds(60));
        assertThat(down.state()).isEqualTo(PerfState.Unknown);
        assertThat(down.status().deploysFrozen).isTrue();
        assertThat(down.status().regressions).hasSize(1);
        assertThat(Conditions.find(down.status().conditions, "Ready").getMessage())
                .contains("the freeze stays");
        assertThat(Conditions.find(down.status().conditions, "DataAvailable").getReason())
                .isEqualTo("Unreachable");
    }

    @Test
    void withoutABaselineOnlyObjectivesAreJudged() {
        PerfPlan p = plan(
                "workload: {name: api}\nslo: {latencyP95: 100ms}\nregression: {consecutiveEvaluations: 1}\nonRegression: [Freeze]");
        var d = evaluator.evaluate(p, measured(T0, 0.2, 0.5, 100, null), null, 1, T0);
        assertThat(d.state()).isEqualTo(PerfState.SLOViolated);
        assertThat(d.status().regressions).isNull();
        assertThat(d.status().deploysFrozen).isNull();
        assertThat(Conditions.find(d.status().conditions, "Regressed").getReason())
                .isEqualTo("NoBaseline");
    }

    @Test
    void thePinnedBaselineWinsOverTheRecordedOne() {
        RecordedBaseline recorded = new RecordedBaseline();
        recorded.latencyP95 = "100ms";
        recorded.throughput = "50";
        PerfPlan unpinned = plan("workload: {name: api}");
        assertThat(PerfEvaluator.baseline(unpinned, recorded)).isEqualTo(new PerfPlan.Values(0.1, null, 50.0, null));
        assertThat(PerfEvaluator.baseline(plan(BASE), recorded).latencyP95()).isEqualTo(0.2);
        assertThat(PerfEvaluator.baseline(unpinned, null).isEmpty()).isTrue();
    }

    @Test
    void statusValuesAreWrittenCopyably() {
        assertThat(PerfFormat.latency(0.2314)).isEqualTo("231ms");
        assertThat(PerfFormat.latency(1.2345)).isEqualTo("1s235ms");
        assertThat(PerfFormat.latency(2.0)).isEqualTo("2s");
        assertThat(PerfFormat.number(0.00110004)).isEqualTo("0.0011");
        assertThat(PerfFormat.number(96.0)).isEqualTo("96");
        assertThat(PerfFormat.number(123456.0)).isEqualTo("123500");
    }
}

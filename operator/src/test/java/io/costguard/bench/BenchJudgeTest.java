package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.api.BenchComparison;
import io.costguard.baseline.PerfPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BenchJudgeTest {
    static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
    /** The design's example: 30 minutes, 5 of them warmup, 150,000 measured requests at 100/s. */
    static final K6Summary SUMMARY =
            new K6Summary(START, START.plus(Duration.ofMinutes(30)), 150_000, 120, 85.0, 210.0, 260.0, 0, List.of());

    static final PerfPlan.Values THRESHOLDS = new PerfPlan.Values(0.3, 0.002, null, 0.12);

    @Test
    void measuresTheWindowAfterWarmup() {
        BenchJudge.Measured m = BenchJudge.measure(SUMMARY, Duration.ofMinutes(5), null, 9.3);
        assertThat(m.values().throughput()).isEqualTo(100.0);
        assertThat(m.values().latencyP95()).isEqualTo(0.21);
        assertThat(m.values().errorRatio()).isEqualTo(0.0008);
        assertThat(m.values().costPer1k()).isCloseTo(0.062, within(1e-12));
        assertThat(m.p50()).isEqualTo(0.085);
        assertThat(m.p99()).isEqualTo(0.26);
    }

    @Test
    void throughputIsOverThePlannedWindowWhenTeardownMadeTheRunLonger() {
        K6Summary slowTeardown = new K6Summary(
                START,
                START.plus(Duration.ofMinutes(30)).plusSeconds(45),
                150_000,
                120,
                85.0,
                210.0,
                260.0,
                0,
                List.of());
        assertThat(BenchJudge.measure(slowTeardown, Duration.ofMinutes(5), Duration.ofMinutes(25), 9.3)
                        .values()
                        .throughput())
                .isEqualTo(100.0);
        assertThat(BenchJudge.measure(slowTeardown, Duration.ofMinutes(5), null, 9.3)
                        .values()
                        .throughput())
                .isLessThan(100.0);
        K6Summary abortedEarly =
                new K6Summary(START, START.plus(Duration.ofMinutes(15)), 60_000, 0, 85.0, 210.0, 260.0, 0, List.of());
        assertThat(BenchJudge.measure(abortedEarly, Duration.ofMinutes(5), Duration.ofMinutes(25), null)
                        .values()
                        .throughput())
                .as("a run that stopped early is measured over what it ran")
                .isEqualTo(100.0);
    }

    @Test
    void costPerThousandIsAbsentWithoutRequestsOrCost() {
        K6Summary none = new K6Summary(START, START.plusSeconds(60), 0, 0, null, null, null, 0, List.of());
        assertThat(BenchJudge.measure(none, Duration.ZERO, null, 1.0).values().costPer1k())
                .isNull();
        assertThat(BenchJudge.measure(SUMMARY, Duration.ZERO, null, null)
                        .values()
                        .costPer1k())
                .isNull();
    }

    @Property
    void costPerThousandIsCostOverThousands(
            @ForAll @LongRange(min = 1, max = 10_000_000) long requests,
            @ForAll @DoubleRange(min = 0, max = 10_000) double cost) {
        K6Summary s = new K6Summary(START, START.plusSeconds(600), requests, 0, 1.0, 2.0, 3.0, 0, List.of());
        assertThat(BenchJudge.measure(s, Duration.ZERO, null, cost).values().costPer1k())
                .isCloseTo(cost / (requests / 1000.0), within(1e-9));
    }

    @Property
    void costPerThousandDoublesWithThePrice(@ForAll @DoubleRange(min = 0.01, max = 100) double cost) {
        // the seed's calibration: rates 0.085, 0.17 and 0.34 $/h give means in ratio 1:2:4
        double[] perK = new double[3];
        double[] rates = {0.085, 0.17, 0.34};
        for (int i = 0; i < 3; i++) {
            perK[i] = BenchJudge.measure(SUMMARY, Duration.ofMinutes(5), null, cost * rates[i])
                    .values()
                    .costPer1k();
        }
        assertThat(perK[1] / perK[0]).isCloseTo(2.0, within(1e-9));
        assertThat(perK[2] / perK[0]).isCloseTo(4.0, within(1e-9));
    }

    private static BenchJudge.Judgement judge(K6Summary s, Double cost, PerfPlan.Values baseline, int max) {
        return BenchJudge.judge(
                BenchJudge.measure(s, Duration.ofMinutes(5), null, cost), THRESHOLDS, baseline, max, List.of());
    }

    @Test
    void theDesignExamplePasses() {
        BenchJudge.Judgement j = judge(SUMMARY, 9.3, new PerfPlan.Values(0.2, 0.0008, 100.0, 0.062), 5);
        assertThat(j.passed()).as(j.verdict().reasons.toString()).isTrue();
        assertThat(j.verdict().reasons).isEmpty();
        assertThat(j.results().requests).isEqualTo(150_000);
        assertThat(j.results().throughput).isEqualTo("100");
        assertThat(j.results().latencyP50).isEqualTo("85ms");
        assertThat(j.results().latencyP95).isEqualTo("210ms");
        assertThat(j.results().latencyP99).isEqualTo("260ms");
        assertThat(j.results().errorRatio).isEqualTo("0.0008");
        assertThat(j.results().costUSD).isEqualTo("9.3");
        assertThat(j.results().costPer1kRequests).isEqualTo("0.062");
        BenchComparison latency = j.comparison().get(0);
        assertThat(latency.metric).isEqualTo("latencyP95");
        assertThat(latency.baseline).isEqualTo("200ms");
        assertThat(latency.current).isEqualTo("210ms");
        assertThat(latency.changePercent).isEqualTo(5.0);
        assertThat(latency.verdict).isEqualTo("Pass");
        assertThat(j.comparison())
                .extracting(c -> c.metric)
                .containsExactly("latencyP95", "errorRatio", "throughput", "costPer1kRequests");
    }

    @Test
    void droppedIterationsAreReportedOnlyWhenThereAreAny() {
        assertThat(judge(SUMMARY, 9.3, PerfPlan.Values.NONE, 5).results().droppedIterations)
                .isNull();
        K6Summary dropped =
                new K6Summary(START, START.plus(Duration.ofMinutes(30)), 150_000, 0, 85.0, 210.0, 260.0, 42, List.of());
        assertThat(judge(dropped, 9.3, PerfPlan.Values.NONE, 5).results().droppedIterations)
                .isEqualTo(42);
    }

    @Test
    void justAboveTheRegressionLimitFails() {
        BenchJudge.Judgement j = judge(SUMMARY, 9.3, new PerfPlan.Values(0.1995, null, null, null), 5);
        assertThat(j.passed()).isFalse();
        assertThat(j.verdict().reasons)
                .containsExactly(
                        "latencyP95 210ms regressed against the baseline 200ms (+5.3 %), more than spec.maxRegressionPercent 5 %");
        assertThat(j.comparison().get(0).verdict).isEqualTo("Fail");
    }

    @Test
    void everyBrokenThresholdIsAReason() {
        K6Summary slow = new K6Summary(
                START, START.plus(Duration.ofMinutes(30)), 150_000, 600, 85.0, 350.0, 500.0, 0, List.of());
        BenchJudge.Judgement j = judge(slow, 30.0, PerfPlan.Values.NONE, 5);
        assertThat(j.verdict().result).isEqualTo("Fail");
        assertThat(j.verdict().reasons)
                .containsExactly(
                        "latencyP95 350ms is above spec.thresholds.latencyP95 300ms",
                        "errorRatio 0.004 is above spec.thresholds.errorRatio 0.002",
                        "costPer1kRequests 0.2 is above spec.thresholds.maxCostPer1kRequests 0.12");
        assertThat(j.comparison()).isEmpty();
    }

    @Test
    void aThresholdThatCannotBeCheckedFails() {
        BenchJudge.Judgement j = judge(SUMMARY, null, PerfPlan.Values.NONE, 5);
        assertThat(j.verdict().reasons)
                .containsExactly(
                        "costPer1kRequests could not be measured, so spec.thresholds.maxCostPer1kRequests 0.12 cannot be checked");
    }

    @Test
    void noRequestsFails() {
        K6Summary none = new K6Summary(START, START.plus(Duration.ofMinutes(30)), 0, 0, null, null, null, 0, List.of());
        BenchJudge.Judgement j = BenchJudge.judge(
                BenchJudge.measure(none, Duration.ofMinutes(5), null, 1.0),
                PerfPlan.Values.NONE,
                PerfPlan.Values.NONE,
                5,
                List.of());
        assertThat(j.verdict().reasons)
                .containsExactly(
                        "no requests completed in the measured part of the run; check spec.target.url and the script");
    }

    @Test
    void notesComeFirst() {
        BenchJudge.Judgement j = BenchJudge.judge(
                BenchJudge.measure(SUMMARY, Duration.ofMinutes(5), null, 9.3),
                THRESHOLDS,
                PerfPlan.Values.NONE,
                5,
                List.of("k6's own thresholds failed: checks rate>0.99"));
        assertThat(j.verdict().reasons).containsExactly("k6's own thresholds failed: checks rate>0.99");
    }

    @Test
    void lowerThroughputIsWorseHigherIsNot() {
        assertThat(judge(SUMMARY, 9.3, new PerfPlan.Values(null, null, 110.0, null), 5)
                        .verdict()
                        .reasons)
                .containsExactly(
                        "throughput 100 regressed against the baseline 110 (-9.1 %), more than spec.maxRegressionPercent 5 %");
        assertThat(judge(SUMMARY, 9.3, new PerfPlan.Values(null, null, 80.0, null), 5)
                        .passed())
                .isTrue();
        assertThat(judge(SUMMARY, 9.3, new PerfPlan.Values(0.5, null, null, 0.2), 5)
                        .passed())
                .as("improvements pass")
                .isTrue();
    }

    @Test
    void errorRatiosWithinTheFloorAreTheSame() {
        // 0.0008 vs 0.00075 is +6.7 %, but half a request in ten thousand: noise
        assertThat(judge(SUMMARY, 9.3, new PerfPlan.Values(null, 0.00075, null, null), 5)
                        .passed())
                .isTrue();
        assertThat(judge(SUMMARY, 9.3, new PerfPlan.Values(null, 0.0, null, null), 5)
                        .passed())
                .as("0 to 0.0008 is beyond the floor")
                .isFalse();
        BenchJudge.Judgement worse = judge(SUMMARY, 9.3, new PerfPlan.Values(null, 0.0006, null, null), 5);
        assertThat(worse.passed()).isFalse();
        K6Summary zero =
                new K6Summary(START, START.plus(Duration.ofMinutes(30)), 150_000, 0, 85.0, 210.0, 260.0, 0, List.of());
        BenchJudge.Judgement fromZero = judge(zero, 9.3, new PerfPlan.Values(null, 0.0, null, null), 5);
        assertThat(fromZero.comparison().get(0).changePercent).isNull();
        assertThat(fromZero.passed()).isTrue();
    }

    @Property
    void regressionFailsExactlyBeyondTheLimit(
            @ForAll @IntRange(min = 0, max = 200) int max,
            @ForAll @DoubleRange(min = 50, max = 5000) double base,
            @ForAll @DoubleRange(min = -50, max = 300) double changePercent) {
        double current = base * (1 + changePercent / 100);
        K6Summary s = new K6Summary(
                START, START.plus(Duration.ofMinutes(30)), 150_000, 0, 1.0, current, current, 0, List.of());
        BenchJudge.Judgement j = BenchJudge.judge(
                BenchJudge.measure(s, Duration.ofMinutes(5), null, null),
                PerfPlan.Values.NONE,
                new PerfPlan.Values(base / 1000, null, null, null),
                max,
                List.of());
        boolean expectedFail = changePercent > max + 1e-6;
        boolean clearlyPass = changePercent < max - 1e-6;
        if (expectedFail) {
            assertThat(j.passed()).isFalse();
        } else if (clearlyPass) {
            assertThat(j.passed()).isTrue();
        }
    }
}

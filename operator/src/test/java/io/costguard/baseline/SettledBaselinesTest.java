package io.costguard.baseline;

import static io.costguard.baseline.PerfFixtures.measured;
import static io.costguard.baseline.PerfFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.PerfMeasurement;
import io.costguard.api.PerfState;
import io.costguard.kube.StatusUpdate;
import io.costguard.rightsizing.Usage;
import io.costguard.status.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

class SettledBaselinesTest {
    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    static final Heartbeat HEARTBEAT = Heartbeat.forInterval(Duration.ofMinutes(1));
    final PerfEvaluator evaluator = new PerfEvaluator();

    /**
     * The cycle leaves a settled PerfBaseline alone exactly when a reconcile on the new signals would decide Healthy
     * with nothing pending, announce nothing and write nothing (the heartbeat not due): never when it would act or
     * write, and not needlessly either.
     */
    @Property(tries = 3000)
    void leftAloneExactlyWhenAReconcileWouldChangeNothing(
            @ForAll @DoubleRange(min = 0, max = 0.08) @Scale(4) double latencyHeadroom,
            @ForAll @DoubleRange(min = 0, max = 0.08) @Scale(4) double throughputHeadroom,
            @ForAll @IntRange(min = 1, max = 20) int latencyPercent,
            @ForAll @IntRange(min = 1, max = 20) int throughputPercent,
            @ForAll boolean pinned,
            @ForAll @DoubleRange(min = 0, max = 0.08) @Scale(4) double regressionHeadroom,
            @ForAll @DoubleRange(min = 0.12, max = 0.26) @Scale(4) double latency0,
            @ForAll @DoubleRange(min = 0, max = 0.006) @Scale(5) double errors0,
            @ForAll @DoubleRange(min = 85, max = 130) double rps0,
            @ForAll @DoubleRange(min = 0.9, max = 1.1) @Scale(4) double latencyMove,
            @ForAll @DoubleRange(min = 0, max = 2) double errorsMove,
            @ForAll @DoubleRange(min = 0.9, max = 1.1) @Scale(4) double rpsMove,
            @ForAll @DoubleRange(min = 0.9, max = 1.1) @Scale(4) double costMove,
            @ForAll @IntRange(min = 1, max = 120) int minutesLater) {
        // objectives just above the first figures, so that moves within the status band cross them
        long sloMs = Math.round(latency0 * (1 + latencyHeadroom) * 1000);
        double sloRps = Math.floor(rps0 * (1 - throughputHeadroom));
        // and a pinned baseline whose regression limits sit about as close
        long baselineMs = Math.round(latency0 * (1 + regressionHeadroom) / (1 + latencyPercent / 100.0) * 1000);
        double baselineRps = Math.round(rps0 * (1 - regressionHeadroom) / (1 - throughputPercent / 100.0));
        PerfPlan plan = plan("workload: {name: api}\nrightsizing: {mode: \"Off\"}\nslo: {latencyP95: " + sloMs
                + "ms, minThroughput: \"" + sloRps + "\"}\n"
                + (pinned
                        ? "baseline: {latencyP95: " + baselineMs + "ms, throughput: \"" + baselineRps
                                + "\", costPer1kRequests: \"0.05\"}\n"
                        : "")
                + "regression: {latencyPercent: " + latencyPercent + ", throughputPercent: " + throughputPercent
                + ", latencyFor: 0s}");
        Signals first = measured(T0, latency0, errors0, rps0, 0.05 * rps0 * 3.6);
        PerfEvaluator.Decision settledBy = evaluator.evaluate(plan, first, null, 1, T0);
        Assume.that(settledBy.state() == PerfState.Healthy
                && settledBy.notices().isEmpty()
                && settledBy.status().pendingRegressions == null
                && settledBy.status().regressions == null);
        PerfBaselineStatus held = settledBy.status();
        SettledBaselines.Memo memo = new SettledBaselines.Memo(
                "1", "uid-1", plan, PerfEvaluator.baseline(plan, null), held.current, T0, null);

        Instant t1 = T0.plus(Duration.ofMinutes(minutesLater));
        Signals next = measured(
                t1, latency0 * latencyMove, errors0 * errorsMove, rps0 * rpsMove, 0.05 * rps0 * 3.6 * costMove);
        PerfEvaluator.Decision decision = evaluator.evaluate(plan, next, held, 1, t1);
        PerfBaselineStatus after = decision.status();
        boolean stampDue = HEARTBEAT.due(T0, t1, "uid-1");
        after.lastEvaluated = held.lastEvaluated;
        after.current = StatusFigures.carried(held.current, after.current);
        boolean reconcileChangesNothing = decision.state() == PerfState.Healthy
                && decision.notices().isEmpty()
                && after.pendingRegressions == null
                && after.regressions == null
                && !stampDue
                && StatusUpdate.unchanged(held, after, Set.of());

        Statistics.label("left alone").collect(reconcileChangesNothing);
        assertThat(SettledBaselines.stillSettled(memo, next, null, HEARTBEAT)).isEqualTo(reconcileChangesNothing);
    }

    @Property(tries = 2000)
    void anyBreachIsWhatTheDeviationsFlag(
            @ForAll @IntRange(min = 1, max = 50) int latencyPercent,
            @ForAll @IntRange(min = 1, max = 50) int throughputPercent,
            @ForAll @IntRange(min = 1, max = 50) int costPercent,
            @ForAll @DoubleRange(min = 0.05, max = 0.5) double latency,
            @ForAll @DoubleRange(min = 0, max = 0.01) @Scale(5) double errors,
            @ForAll @DoubleRange(min = 50, max = 150) double rps,
            @ForAll @DoubleRange(min = 0.03, max = 0.08) @Scale(4) double per1k,
            @ForAll boolean withLatency,
            @ForAll boolean withThroughput,
            @ForAll boolean withCost) {
        PerfPlan plan = plan("workload: {name: api}\nbaseline: {"
                + (withLatency ? "latencyP95: 200ms, " : "")
                + (withThroughput ? "throughput: \"100\", " : "")
                + (withCost ? "costPer1kRequests: \"0.05\", " : "")
                + "errorRatio: \"0.001\"}\nregression: {latencyPercent: " + latencyPercent + ", throughputPercent: "
                + throughputPercent + ", costPerUnitPercent: " + costPercent + "}");
        PerfPlan.Values now = new PerfPlan.Values(latency, errors, rps, per1k);
        assertThat(PerfEvaluator.anyBreach(plan.regression(), plan.pinnedBaseline(), now))
                .isEqualTo(PerfEvaluator.deviations(plan.regression(), plan.pinnedBaseline(), now).stream()
                        .anyMatch(PerfEvaluator.Deviation::breach));
    }

    @Test
    void doubtIsNeverSettled() {
        PerfPlan off = plan("workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        Signals s = measured(T0.plusSeconds(60), 0.2, 0, 100, 1.0);
        PerfMeasurement held = PerfEvaluator.measurement(s);
        SettledBaselines.Memo memo = new SettledBaselines.Memo("1", "u", off, PerfPlan.Values.NONE, held, T0, null);
        assertThat(SettledBaselines.stillSettled(memo, s, null, HEARTBEAT)).isTrue();
        // no signals yet, Prometheus down, or a template Prometheus rejects
        assertThat(SettledBaselines.stillSettled(memo, null, null, HEARTBEAT)).isFalse();
        assertThat(SettledBaselines.stillSettled(
                        memo,
                        Signals.unavailable(T0, io.costguard.api.ConditionReason.Unreachable, "down"),
                        null,
                        HEARTBEAT))
                .isFalse();
        // no requests: not Healthy any more
        assertThat(SettledBaselines.stillSettled(memo, measured(T0.plusSeconds(60), 0.2, 0, 0, 1.0), null, HEARTBEAT))
                .isFalse();
        // a cost series that disappeared changes the figures status shows
        assertThat(SettledBaselines.stillSettled(
                        memo, measured(T0.plusSeconds(60), 0.2, 0, 100, null), null, HEARTBEAT))
                .isFalse();
        // with rightsizing on, a new usage read is a reason to reconcile; with it off it is not
        PerfPlan recommend = plan("workload: {name: api}\nrightsizing: {mode: Recommend}");
        Usage read = new Usage(T0, Map.of(), null);
        assertThat(SettledBaselines.stillSettled(
                        new SettledBaselines.Memo("1", "u", recommend, PerfPlan.Values.NONE, held, T0, null),
                        s,
                        read,
                        HEARTBEAT))
                .isFalse();
        assertThat(SettledBaselines.stillSettled(
                        new SettledBaselines.Memo("1", "u", recommend, PerfPlan.Values.NONE, held, T0, read),
                        s,
                        read,
                        HEARTBEAT))
                .isTrue();
        assertThat(SettledBaselines.stillSettled(memo, s, read, HEARTBEAT)).isTrue();
    }
}

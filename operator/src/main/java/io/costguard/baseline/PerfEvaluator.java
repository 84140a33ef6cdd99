package io.costguard.baseline;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.PerfMeasurement;
import io.costguard.api.PerfRegression;
import io.costguard.api.PerfState;
import io.costguard.api.RecordedBaseline;
import io.costguard.api.SpecProblem;
import io.costguard.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Judges a PerfBaseline, pure: SLOs on every evaluation; regressions against the pinned (spec) or recorded
 * (status) baseline, each counted only after {@code consecutiveEvaluations} evaluations agree and cleared the same
 * way, so a blip neither raises nor lifts a freeze. Latency with a {@code latencyFor} is judged on the data
 * instead: it counts once every step of the last latencyFor in Prometheus is above the limit, however long this
 * process has watched. State precedence: Invalid > Unknown > SLOViolated > Regressed > Healthy; before the first
 * measurement of this process a judged state of the same generation is kept, not turned Unknown.
 */
public final class PerfEvaluator {
    public static final String LATENCY = "latencyP95";
    public static final String ERRORS = "errorRatio";
    public static final String THROUGHPUT = "throughput";
    public static final String COST = "costPer1kRequests";
    /** Event reason of a confirmed regression. */
    public static final String REGRESSION_EVENT = "PerformanceRegression";

    /** Judged states a new process keeps until it has measured (same generation only: a changed spec is judged anew). */
    private static final java.util.Set<String> KEPT_UNTIL_MEASURED =
            java.util.Set.of(PerfState.Healthy.name(), PerfState.Regressed.name(), PerfState.SLOViolated.name());

    /** Percent comparisons tolerate floating-point noise: 0.055 vs 0.05 is +10 %, not +9.999999 %. */
    static final double EPSILON = 1e-9;

    /** Something to tell people about, once: its event key, reason and message, and the metric it is about (or null). */
    public record Notice(boolean warning, String key, String reason, String message, String metric) {}

    public record Decision(PerfBaselineStatus status, PerfState state, List<Notice> notices) {}

    /** One metric's deviation now: the baseline, the current value and the change in percent. */
    record Deviation(
            String metric, boolean breach, String baseline, String current, Double changePercent, String why) {}

    public Decision evaluate(
            PerfPlan plan, Signals signals, PerfBaselineStatus previous, long generation, Instant now) {
        PerfBaselineStatus prev = previous == null ? new PerfBaselineStatus() : previous;
        PerfBaselineStatus next = carry(prev, generation);
        List<Notice> notices = new ArrayList<>();
        if (signals == null
                && prev.state != null
                && KEPT_UNTIL_MEASURED.contains(prev.state)
                && prev.observedGeneration != null
                && prev.observedGeneration == generation) {
            // a restart (or a takeover) has nothing new to say yet: the last verdict, its freeze and its counters stand
            PerfBaselineStatus kept = carry(prev, generation);
            kept.state = prev.state;
            kept.current = prev.current;
            kept.regressions = prev.regressions;
            kept.pendingRegressions = prev.pendingRegressions;
            kept.deploysFrozen = prev.deploysFrozen;
            kept.freezeSelector = prev.freezeSelector;
            kept.conditions = prev.conditions;
            return new Decision(kept, PerfState.valueOf(prev.state), notices);
        }
        if (signals == null || !signals.usable()) {
            ConditionReason reason = signals == null ? ConditionReason.NotYetMeasured : signals.unavailableReason();
            String message = signals == null ? "waiting for the first measurement" : signals.unavailable();
            next.current = signals == null ? prev.current : measurement(signals);
            next.regressions = prev.regressions;
            next.pendingRegressions = prev.pendingRegressions;
            next.deploysFrozen = prev.deploysFrozen;
            next.state = PerfState.Unknown.name();
            next.conditions = Conditions.with(
                    prev.conditions, ConditionType.DataAvailable, false, reason, message, generation, now);
            next.conditions = Conditions.unknown(
                    next.conditions,
                    ConditionType.SLOMet,
                    reason,
                    "cannot judge the objectives: " + message,
                    generation,
                    now);
            next.conditions = Conditions.notReadyWithoutData(
                    next.conditions,
                    message
                            + (Boolean.TRUE.equals(prev.deploysFrozen)
                                    ? "; the freeze stays until data shows the regression cleared"
                                    : ""),
                    generation,
                    now);
            return new Decision(next, PerfState.Unknown, notices);
        }
        Instant at = signals.at();
        PerfPlan.Values current = signals.values();
        next.current = measurement(signals);
        next.conditions = Conditions.with(
                prev.conditions,
                ConditionType.DataAvailable,
                true,
                ConditionReason.Measured,
                current.costPer1k() == null
                        ? "measured; no cost series for the workload's pods, so no cost per 1k"
                        : "measured",
                generation,
                now);

        List<String> missed = missedObjectives(plan.slo(), current);
        boolean sloMet = missed.isEmpty();
        if (plan.slo().isEmpty()) {
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.SLOMet,
                    true,
                    ConditionReason.NoObjectives,
                    "spec.slo sets no objectives",
                    generation,
                    now);
        } else if (sloMet) {
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.SLOMet,
                    true,
                    ConditionReason.ObjectivesMet,
                    "every objective in spec.slo is met",
                    generation,
                    now);
        } else {
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.SLOMet,
                    false,
                    ConditionReason.ObjectivesMissed,
                    String.join("; ", missed),
                    generation,
                    now);
            var c = Conditions.find(next.conditions, ConditionType.SLOMet);
            if (plan.notifies()) {
                notices.add(new Notice(
                        true,
                        "slo-" + Instant.parse(c.getLastTransitionTime()).getEpochSecond(),
                        "SLOViolated",
                        "objectives missed: " + String.join("; ", missed),
                        null));
            }
        }

        PerfPlan.Values baseline = baseline(plan, prev.recordedBaseline);
        boolean newSample = prev.lastEvaluated == null || at.isAfter(Instant.parse(prev.lastEvaluated));
        next.lastEvaluated = newSample || prev.lastEvaluated == null ? at.toString() : prev.lastEvaluated;
        List<PerfRegression> confirmed = new ArrayList<>();
        List<PerfRegression> pending = new ArrayList<>();
        if (baseline.isEmpty()) {
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.Regressed,
                    false,
                    ConditionReason.NoBaseline,
                    "no baseline: pin spec.baseline or record one with a passing BenchRun (recordBaseline: true); objectives are still judged",
                    generation,
                    now);
        } else {
            // when the latency has been above its limit without a break, on the data (null when it is not above now)
            Instant latencyAboveSince = baseline.latencyP95() == null || signals.latencyHistory() == null
                    ? null
                    : signals.latencyHistory()
                            .aboveSince(v -> latencyBreach(plan.regression(), baseline.latencyP95(), v), at);
            for (Deviation d : deviations(plan.regression(), baseline, current)) {
                track(plan, d, prev, newSample, at, latencyAboveSince, confirmed, pending, notices);
            }
            next.conditions = confirmed.isEmpty()
                    ? Conditions.with(
                            next.conditions,
                            ConditionType.Regressed,
                            false,
                            ConditionReason.NoRegression,
                            pending.isEmpty()
                                    ? "within the regression thresholds of the baseline"
                                    : "watching "
                                            + pending.stream()
                                                    .map(r -> r.metric)
                                                    .collect(Collectors.joining(", ")) + " (not confirmed yet)",
                            generation,
                            now)
                    : Conditions.with(
                            next.conditions,
                            ConditionType.Regressed,
                            true,
                            ConditionReason.Regressed,
                            confirmed.stream().map(PerfEvaluator::describe).collect(Collectors.joining("; ")),
                            generation,
                            now);
        }
        next.regressions = confirmed.isEmpty() ? null : confirmed;
        next.pendingRegressions = pending.isEmpty() ? null : pending;

        boolean freeze = plan.freeze() && !confirmed.isEmpty();
        next.deploysFrozen = freeze ? Boolean.TRUE : null;
        String scope =
                plan.freezeNamespace() ? "every workload in this namespace" : plan.kind() + " " + plan.workload();
        next.conditions = freeze
                ? Conditions.with(
                        next.conditions,
                        ConditionType.DeploysFrozen,
                        true,
                        ConditionReason.Regressed,
                        "rollouts of " + scope + " are denied while "
                                + confirmed.stream().map(r -> r.metric).collect(Collectors.joining(", "))
                                + " regressed",
                        generation,
                        now)
                : Conditions.with(
                        next.conditions,
                        ConditionType.DeploysFrozen,
                        false,
                        plan.freeze() ? ConditionReason.NoRegression : ConditionReason.FreezeNotRequested,
                        plan.freeze() ? "no confirmed regression" : "spec.onRegression does not list Freeze",
                        generation,
                        now);

        PerfState state;
        if (current.throughput() == null || current.throughput() <= 0) {
            state = PerfState.Unknown;
        } else if (!sloMet) {
            state = PerfState.SLOViolated;
        } else if (!confirmed.isEmpty()) {
            state = PerfState.Regressed;
        } else {
            state = PerfState.Healthy;
        }
        next.state = state.name();
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Ready,
                true,
                ConditionReason.Evaluated,
                "state " + state,
                generation,
                now);
        return new Decision(next, state, notices);
    }

    public PerfBaselineStatus invalid(
            List<SpecProblem> problems, PerfBaselineStatus previous, long generation, Instant now) {
        PerfBaselineStatus prev = previous == null ? new PerfBaselineStatus() : previous;
        PerfBaselineStatus next = carry(prev, generation);
        next.state = PerfState.Invalid.name();
        next.current = prev.current;
        String message = problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
        next.conditions = Conditions.with(
                prev.conditions, ConditionType.Ready, false, ConditionReason.InvalidSpec, message, generation, now);
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.DeploysFrozen,
                false,
                ConditionReason.InvalidSpec,
                "an invalid spec freezes nothing",
                generation,
                now);
        return next;
    }

    /** What carries over whatever the outcome: the recorded baseline and rightsizing's record. */
    private static PerfBaselineStatus carry(PerfBaselineStatus prev, long generation) {
        PerfBaselineStatus next = new PerfBaselineStatus();
        next.observedGeneration = generation;
        next.recordedBaseline = prev.recordedBaseline;
        next.lastApplied = prev.lastApplied;
        next.recommendations = prev.recommendations;
        next.recommendedPatch = prev.recommendedPatch;
        next.lastEvaluated = prev.lastEvaluated;
        return next;
    }

    /** The pinned baseline wins; else the recorded one; else none. */
    /**
     * What a BenchRun compares with: the PerfBaseline's pinned baseline, else its recorded one; empty when its spec is
     * invalid (a pinned value cannot be trusted then) and NONE when it has neither.
     */
    public static java.util.Optional<PerfPlan.Values> baselineOf(io.costguard.api.PerfBaseline pb) {
        PerfSpecValidator.Result r = new PerfSpecValidator().validate(pb.getSpec());
        if (!r.valid()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                baseline(r.plan(), pb.getStatus() == null ? null : pb.getStatus().recordedBaseline));
    }

    static PerfPlan.Values baseline(PerfPlan plan, RecordedBaseline recorded) {
        if (!plan.pinnedBaseline().isEmpty()) {
            return plan.pinnedBaseline();
        }
        if (recorded == null) {
            return PerfPlan.Values.NONE;
        }
        return new PerfPlan.Values(
                seconds(recorded.latencyP95),
                decimal(recorded.errorRatio),
                decimal(recorded.throughput),
                decimal(recorded.costPer1kRequests));
    }

    static List<String> missedObjectives(PerfPlan.Values slo, PerfPlan.Values c) {
        List<String> out = new ArrayList<>();
        if (slo.latencyP95() != null && c.latencyP95() != null && c.latencyP95() > slo.latencyP95()) {
            out.add("latencyP95 " + PerfFormat.latency(c.latencyP95()) + " above "
                    + PerfFormat.latency(slo.latencyP95()));
        }
        if (slo.errorRatio() != null && c.errorRatio() != null && c.errorRatio() > slo.errorRatio()) {
            out.add("errorRatio " + PerfFormat.number(c.errorRatio()) + " above "
                    + PerfFormat.number(slo.errorRatio()));
        }
        if (slo.throughput() != null && c.throughput() != null && c.throughput() < slo.throughput()) {
            out.add("throughput " + PerfFormat.number(c.throughput()) + "/s below "
                    + PerfFormat.number(slo.throughput()) + "/s");
        }
        if (slo.costPer1k() != null && c.costPer1k() != null && c.costPer1k() > slo.costPer1k()) {
            out.add("costPer1kRequests " + PerfFormat.number(c.costPer1k()) + " above "
                    + PerfFormat.number(slo.costPer1k()));
        }
        return out;
    }

    /** Each regression rule against the baseline, for the metrics both sides have. */
    static List<Deviation> deviations(PerfPlan.Regression r, PerfPlan.Values b, PerfPlan.Values c) {
        List<Deviation> out = new ArrayList<>();
        if (b.latencyP95() != null && c.latencyP95() != null && b.latencyP95() > 0) {
            out.add(new Deviation(
                    LATENCY,
                    latencyBreach(r, b.latencyP95(), c.latencyP95()),
                    PerfFormat.latency(b.latencyP95()),
                    PerfFormat.latency(c.latencyP95()),
                    PerfFormat.change(c.latencyP95(), b.latencyP95()),
                    "more than " + r.latencyPercent() + " % above the baseline"));
        }
        if (c.errorRatio() != null) {
            out.add(new Deviation(
                    ERRORS,
                    errorBreach(r, c.errorRatio()),
                    PerfFormat.number(b.errorRatio()),
                    PerfFormat.number(c.errorRatio()),
                    b.errorRatio() == null || b.errorRatio() == 0
                            ? null
                            : PerfFormat.change(c.errorRatio(), b.errorRatio()),
                    "above the limit " + PerfFormat.number(r.errorRatio())));
        }
        Double volumeChange = volumeChange(b, c);
        if (volumeChange != null) {
            out.add(new Deviation(
                    THROUGHPUT,
                    throughputBreach(r, volumeChange),
                    PerfFormat.number(b.throughput()),
                    PerfFormat.number(c.throughput()),
                    PerfFormat.change(c.throughput(), b.throughput()),
                    "deviating " + r.throughputPercent() + " % or more from the baseline"));
        }
        if (b.costPer1k() != null && c.costPer1k() != null && b.costPer1k() > 0) {
            out.add(new Deviation(
                    COST,
                    costBreach(r, b.costPer1k(), c.costPer1k(), volumeChange),
                    PerfFormat.number(b.costPer1k()),
                    PerfFormat.number(c.costPer1k()),
                    PerfFormat.change(c.costPer1k(), b.costPer1k()),
                    r.costPerUnitPercent() + " % or more above the baseline while volume moved less"));
        }
        return out;
    }

    /**
     * Whether any regression rule is breached by {@code c} against the baseline {@code b}: what {@link #deviations}
     * flags, without formatting anything (a cycle asks this of every settled PerfBaseline).
     */
    static boolean anyBreach(PerfPlan.Regression r, PerfPlan.Values b, PerfPlan.Values c) {
        if (b.isEmpty()) {
            return false;
        }
        if (b.latencyP95() != null
                && c.latencyP95() != null
                && b.latencyP95() > 0
                && latencyBreach(r, b.latencyP95(), c.latencyP95())) {
            return true;
        }
        if (c.errorRatio() != null && errorBreach(r, c.errorRatio())) {
            return true;
        }
        Double volumeChange = volumeChange(b, c);
        if (volumeChange != null && throughputBreach(r, volumeChange)) {
            return true;
        }
        return b.costPer1k() != null
                && c.costPer1k() != null
                && b.costPer1k() > 0
                && costBreach(r, b.costPer1k(), c.costPer1k(), volumeChange);
    }

    static boolean latencyBreach(PerfPlan.Regression r, double baseline, double latency) {
        return (latency - baseline) / baseline * 100 > r.latencyPercent() + EPSILON;
    }

    private static boolean errorBreach(PerfPlan.Regression r, double errorRatio) {
        return errorRatio > r.errorRatio();
    }

    /** Throughput's change from the baseline in percent; null when either side lacks it. */
    private static Double volumeChange(PerfPlan.Values b, PerfPlan.Values c) {
        return b.throughput() != null && c.throughput() != null && b.throughput() > 0
                ? (c.throughput() - b.throughput()) / b.throughput() * 100
                : null;
    }

    private static boolean throughputBreach(PerfPlan.Regression r, double volumeChange) {
        return Math.abs(volumeChange) >= r.throughputPercent() - EPSILON;
    }

    private static boolean costBreach(PerfPlan.Regression r, double baseline, double cost, Double volumeChange) {
        double change = (cost - baseline) / baseline * 100;
        // a cost per unit that rose because volume fell (or rose) as much is explained by volume, not a regression
        boolean volumeSteady = volumeChange == null || Math.abs(volumeChange) < r.costPerUnitPercent() - EPSILON;
        return change >= r.costPerUnitPercent() - EPSILON && volumeSteady;
    }

    private static void track(
            PerfPlan plan,
            Deviation d,
            PerfBaselineStatus prev,
            boolean newSample,
            Instant at,
            Instant latencyAboveSince,
            List<PerfRegression> confirmed,
            List<PerfRegression> pending,
            List<Notice> notices) {
        PerfRegression wasConfirmed = find(prev.regressions, d.metric());
        PerfRegression wasPending = find(prev.pendingRegressions, d.metric());
        int needed = plan.regression().consecutive();
        if (d.breach()) {
            if (wasConfirmed != null) {
                confirmed.add(regression(d, wasConfirmed.since, null, 0));
                return;
            }
            int evaluations = wasPending == null
                    ? 1
                    : wasPending.evaluations == null ? 1 : wasPending.evaluations + (newSample ? 1 : 0);
            String since;
            boolean held;
            if (LATENCY.equals(d.metric()) && !plan.regression().latencyFor().isZero()) {
                // every step of the last latencyFor above the limit stands for the evaluations: the data is the
                // evidence
                Instant from = latencyAboveSince == null ? at : latencyAboveSince;
                since = from.toString();
                held = !at.isBefore(from.plus(plan.regression().latencyFor()));
            } else {
                since = wasPending != null ? wasPending.since : at.toString();
                held = evaluations >= needed;
            }
            if (held) {
                PerfRegression r = regression(d, since, null, 0);
                confirmed.add(r);
                if (plan.notifies()) {
                    notices.add(new Notice(
                            true,
                            "regression-" + d.metric() + "-"
                                    + Instant.parse(since).getEpochSecond(),
                            REGRESSION_EVENT,
                            describe(r) + " (" + d.why() + ")" + (plan.freeze() ? "; rollouts are frozen" : ""),
                            d.metric()));
                }
            } else {
                pending.add(regression(d, since, evaluations, null));
            }
            return;
        }
        if (wasConfirmed != null) {
            int clean =
                    (wasConfirmed.cleanEvaluations == null ? 0 : wasConfirmed.cleanEvaluations) + (newSample ? 1 : 0);
            if (clean >= needed) {
                if (plan.notifies()) {
                    notices.add(new Notice(
                            false,
                            "cleared-" + d.metric() + "-"
                                    + Instant.parse(wasConfirmed.since).getEpochSecond(),
                            "RegressionCleared",
                            d.metric() + " is back within its threshold (" + d.current() + " vs baseline "
                                    + d.baseline() + ")" + (plan.freeze() ? "; the freeze is lifted" : ""),
                            d.metric()));
                }
                return;
            }
            confirmed.add(regression(d, wasConfirmed.since, null, clean));
        }
    }

    private static PerfRegression regression(Deviation d, String since, Integer evaluations, Integer clean) {
        PerfRegression r = new PerfRegression();
        r.metric = d.metric();
        r.baseline = d.baseline();
        r.current = d.current();
        r.changePercent = d.changePercent();
        r.since = since;
        r.evaluations = evaluations;
        r.cleanEvaluations = clean;
        return r;
    }

    static String describe(PerfRegression r) {
        return r.metric + " " + r.current + " vs baseline " + r.baseline
                + (r.changePercent == null ? "" : " (" + (r.changePercent >= 0 ? "+" : "") + r.changePercent + " %)")
                + " since " + r.since;
    }

    private static PerfRegression find(List<PerfRegression> list, String metric) {
        return list == null
                ? null
                : list.stream()
                        .filter(r -> Objects.equals(r.metric, metric))
                        .findFirst()
                        .orElse(null);
    }

    static PerfMeasurement measurement(Signals s) {
        PerfMeasurement m = new PerfMeasurement();
        m.latencyP95 = PerfFormat.latency(s.latencyP95());
        m.errorRatio = PerfFormat.number(s.errorRatio());
        m.throughput = PerfFormat.number(s.throughput());
        m.costPer1kRequests = PerfFormat.number(s.costPer1k());
        return m.latencyP95 == null && m.errorRatio == null && m.throughput == null && m.costPer1kRequests == null
                ? null
                : m;
    }

    /** A duration written to status or spec, in seconds; null when absent or not a duration. */
    static Double seconds(String text) {
        if (text == null) {
            return null;
        }
        try {
            return io.costguard.config.Durations.parse(text).toNanos() / 1e9;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A decimal written to status or spec; null when absent or not a number. */
    static Double decimal(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

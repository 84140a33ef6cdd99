package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.RecordedBaseline;
import io.costguard.baseline.PerfPlan;
import io.costguard.config.Durations;
import io.costguard.config.OperatorConfig;
import io.costguard.kube.EventRecorder;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Collecting run: k6 has finished; the run's cost is read once Prometheus has scraped past its end, it is judged
 * by {@link BenchJudge} against its thresholds and baseline, and a passing run may be recorded as the baseline.
 */
final class RunCollection {
    private static final Logger LOG = LoggerFactory.getLogger(RunCollection.class);
    private static final Duration COST_RETRY = Duration.ofSeconds(15);

    private final RunCost cost;
    private final BaselineStore baselines;
    private final RunTransitions transitions;
    private final TargetQueue queue;
    private final EventRecorder events;
    private final BenchMetrics benchMetrics;
    private final OperatorConfig.Bench settings;

    RunCollection(
            RunCost cost,
            BaselineStore baselines,
            RunTransitions transitions,
            TargetQueue queue,
            EventRecorder events,
            BenchMetrics benchMetrics,
            OperatorConfig.Bench settings) {
        this.cost = cost;
        this.baselines = baselines;
        this.transitions = transitions;
        this.queue = queue;
        this.events = events;
        this.benchMetrics = benchMetrics;
        this.settings = settings;
    }

    UpdateControl<BenchRun> step(RunStep s, Context<BenchRun> context) {
        K6Summary.Parsed parsed = K6Summary.parse(s.previous().k6Summary);
        if (!parsed.ok()) {
            return transitions.broken(
                    s, context, parsed.problem().reason(), "status.k6Summary cannot be read: " + parsed.detail());
        }
        K6Summary summary = parsed.summary();
        BenchPlan plan = s.plan();
        BenchRunStatus next = s.next();
        List<String> notes = new ArrayList<>();
        PerfPlan.Values baseline = baseline(s, next, notes);
        Double usd = null;
        Instant from = summary.start().plus(plan.warmup());
        Instant to = summary.end();
        if (plan.hasWorkload() && !from.isBefore(to)) {
            notes.add("k6 stopped before the warm-up ended (" + summary.end()
                    + "), so nothing was measured and the run has no cost");
        } else if (plan.hasWorkload()) {
            Instant readyAt = to.plus(settings.settle());
            if (s.now().isBefore(readyAt)) {
                next.conditions = Conditions.unknown(
                        next.conditions,
                        ConditionType.CostAvailable,
                        ConditionReason.Settling,
                        "waiting until " + readyAt + " so Prometheus has scraped past the end of the run",
                        s.generation(),
                        s.now());
                return transitions.write(
                        s, next, Duration.between(s.now(), readyAt).plusSeconds(1));
            }
            RunCost.Outcome outcome = cost.cost(
                    s.namespace(),
                    plan.workloadKind(),
                    plan.workloadName(),
                    from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(from.getNano() > 0 ? 1 : 0),
                    to.truncatedTo(ChronoUnit.SECONDS));
            if (outcome instanceof RunCost.Unavailable u) {
                next.conditions = Conditions.with(
                        next.conditions,
                        ConditionType.CostAvailable,
                        false,
                        u.reason(),
                        u.message(),
                        s.generation(),
                        s.now());
                if (s.now().isBefore(readyAt.plus(settings.costWait()))) {
                    return transitions.write(s, next, COST_RETRY);
                }
                if (plan.thresholds().costPer1k() != null || baseline.costPer1k() != null) {
                    return transitions.broken(
                            s,
                            next,
                            context,
                            ConditionReason.CostUnavailable,
                            "the run's cost could not be read within "
                                    + Durations.format(settings.costWait()) + " (" + u.message()
                                    + "), and the verdict needs it "
                                    + "(spec.thresholds.maxCostPer1kRequests or the baseline's costPer1kRequests)");
                }
            } else {
                RunCost.Priced p = (RunCost.Priced) outcome;
                usd = p.cost();
                next.conditions = Conditions.with(
                        next.conditions,
                        ConditionType.CostAvailable,
                        true,
                        ConditionReason.Priced,
                        String.format(
                                Locale.ROOT,
                                "cost of %s %s over %s to %s, samples covering %.0f %% of it",
                                plan.workloadKind(),
                                plan.workloadName(),
                                from,
                                to,
                                p.coverage() * 100),
                        s.generation(),
                        s.now());
            }
        }
        if (!summary.failedK6Thresholds().isEmpty()) {
            notes.add("k6's own thresholds failed: " + String.join(", ", summary.failedK6Thresholds()));
        }
        BenchJudge.Judgement j = BenchJudge.judge(
                BenchJudge.measure(summary, plan.warmup(), plan.measured(), usd),
                plan.thresholds(),
                baseline,
                plan.maxRegressionPercent(),
                notes);
        return judged(s, next, j, baseline, usd, summary.dropped());
    }

    /** The baseline the run is compared with (none when it names none), with its condition. */
    private PerfPlan.Values baseline(RunStep s, BenchRunStatus next, List<String> notes) {
        BenchPlan plan = s.plan();
        Optional<BaselineChoice> choice = BaselineChoice.of(
                plan,
                s.namespace(),
                plan.baselineRef() == null ? Optional.empty() : baselines.get(s.namespace(), plan.baselineRef()));
        if (choice.isEmpty()) {
            return PerfPlan.Values.NONE;
        }
        BaselineChoice c = choice.get();
        if (c.failure() != null) {
            notes.add(c.failure());
        }
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.BaselineCompared,
                c.compared(),
                c.reason(),
                c.message(),
                s.generation(),
                s.now());
        return c.values();
    }

    private UpdateControl<BenchRun> judged(
            RunStep s,
            BenchRunStatus next,
            BenchJudge.Judgement j,
            PerfPlan.Values baseline,
            Double usd,
            long dropped) {
        BenchPlan plan = s.plan();
        next.results = j.results();
        next.comparison = j.comparison().isEmpty() ? null : j.comparison();
        next.verdict = j.verdict();
        next.phase = (j.passed() ? BenchPhase.Passed : BenchPhase.Failed).name();
        String lessLoad = dropped == 0
                ? ""
                : " (k6 dropped " + dropped + " iterations for lack of VUs: the target saw "
                        + "less load than spec.load asks; raise spec.load.vus)";
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Complete,
                true,
                j.passed() ? ConditionReason.Passed : ConditionReason.Failed,
                (j.passed() ? "the run passed" : "the run failed: " + String.join("; ", j.verdict().reasons))
                        + lessLoad,
                s.generation(),
                s.now());
        if (j.passed() && plan.recordBaseline()) {
            record(s, next, j);
        }
        benchMetrics.judged(s.namespace(), s.name(), j.values(), plan.thresholds(), baseline, usd);
        benchMetrics.finished(s.namespace(), j.verdict().result);
        String message = j.passed() ? "passed: " + describe(j) : "failed: " + String.join("; ", j.verdict().reasons);
        events.once(
                s.run(),
                "verdict",
                j.passed() ? EventRecorder.Type.Normal : EventRecorder.Type.Warning,
                j.passed() ? "BenchRunPassed" : "BenchRunFailed",
                message,
                s.now());
        LOG.info("benchrun {} {}", s.id(), message);
        queue.releaseAll(s.id());
        return transitions.write(s, next, null);
    }

    /** Writes a passing run's results as the baseline its PerfBaseline compares with. */
    private void record(RunStep s, BenchRunStatus next, BenchJudge.Judgement j) {
        String ref = s.plan().baselineRef();
        RecordedBaseline recorded = new RecordedBaseline();
        recorded.latencyP95 = j.results().latencyP95;
        recorded.errorRatio = j.results().errorRatio;
        recorded.throughput = j.results().throughput;
        recorded.costPer1kRequests = j.results().costPer1kRequests;
        recorded.recordedAt = s.previous().completionTime;
        recorded.source = "BenchRun/" + s.name();
        try {
            baselines.record(s.namespace(), ref, recorded);
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.BaselineRecorded,
                    true,
                    ConditionReason.Recorded,
                    "results written to PerfBaseline " + ref + " status.recordedBaseline",
                    s.generation(),
                    s.now());
            LOG.info("benchrun {}: recorded as the baseline of PerfBaseline {}", s.id(), ref);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.BaselineRecorded,
                    false,
                    ConditionReason.BaselineNotFound,
                    "PerfBaseline " + ref + " was deleted before the results could be recorded",
                    s.generation(),
                    s.now());
        }
    }

    private static String describe(BenchJudge.Judgement j) {
        var r = j.results();
        return r.requests + " requests, p95 " + r.latencyP95 + ", error ratio " + r.errorRatio
                + (r.costPer1kRequests == null ? "" : ", " + r.costPer1kRequests + " per 1k requests");
    }
}

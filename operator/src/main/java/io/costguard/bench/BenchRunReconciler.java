package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.RecordedBaseline;
import io.costguard.api.SpecProblem;
import io.costguard.baseline.PerfPlan;
import io.costguard.baseline.WorkloadAccess;
import io.costguard.config.Durations;
import io.costguard.config.OperatorConfig;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.StatusUpdate;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a BenchRun through its phases: Pending (queued per target) → Running (a k6 Job) → Collecting (summary
 * from the pod, cost from Prometheus) → Passed or Failed, or Error when the run could not give results. Decisions are
 * made by {@link RunObserver} and {@link BenchJudge}; this class acts and reports.
 */
public final class BenchRunReconciler implements Reconciler<BenchRun>, Cleaner<BenchRun> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchRunReconciler.class);
    /** Reasons a run ends while its k6 may not have exited: the Job is deleted with the run's end. */
    private static final Set<ConditionReason> STOP_JOB = Set.of(
            ConditionReason.ImagePullFailed,
            ConditionReason.ContainerNotStarted,
            ConditionReason.PodNotCreated,
            ConditionReason.PodDeleted,
            ConditionReason.SpecChanged);

    private static final Duration PENDING_RETRY = Duration.ofSeconds(5);
    private static final Duration STARTING_RETRY = Duration.ofSeconds(10);
    private static final Duration RUNNING_RETRY = Duration.ofSeconds(30);
    private static final Duration COST_RETRY = Duration.ofSeconds(15);

    private final KubernetesClient client;
    private final BenchSpecValidator validator;
    private final RunObserver observer;
    private final RunCost cost;
    private final RunLauncher launcher;
    private final BaselineStore baselines;
    private final TargetQueue queue = new TargetQueue();
    private final EventRecorder events;
    private final io.costguard.kube.UnreadableObjects unreadable;
    private final BenchMetrics benchMetrics;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final io.costguard.kube.ReconcileErrors errors;
    private final OperatorConfig.Bench settings;
    private final WorkloadAccess workloads;
    private final ScriptConfigMaps scripts = new ScriptConfigMaps();
    private static final String BY_WORKLOAD = "costguard-workload";

    public BenchRunReconciler(
            KubernetesClient client,
            RunCost cost,
            K6Job jobs,
            WorkloadAccess workloads,
            EventRecorder events,
            BenchMetrics benchMetrics,
            OperatorMetrics metrics,
            Clock clock,
            OperatorConfig.Bench settings) {
        this.client = client;
        this.validator = new BenchSpecValidator(settings.allowedImages());
        this.observer = new RunObserver(settings.startTimeout());
        this.cost = cost;
        this.workloads = workloads;
        this.launcher = new RunLauncher(client, validator, jobs, workloads, scripts, queue);
        this.baselines = new BaselineStore(client);
        this.events = events;
        this.benchMetrics = benchMetrics;
        this.metrics = metrics;
        this.clock = clock;
        this.errors = new io.costguard.kube.ReconcileErrors(events, clock);
        this.unreadable = new io.costguard.kube.UnreadableObjects(events, metrics, clock);
        this.settings = settings;
    }

    @Override
    public List<EventSource<?, BenchRun>> prepareEventSources(EventSourceContext<BenchRun> context) {
        String selector = K6Job.COMPONENT_LABEL + "=" + K6Job.COMPONENT_VALUE;
        var jobSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Job.class, BenchRun.class)
                        .withName("benchrun-jobs")
                        .withLabelSelector(selector)
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(BenchRun.class))
                        .build(),
                context);
        var podSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, BenchRun.class)
                        .withName("benchrun-pods")
                        .withLabelSelector(selector)
                        .withSecondaryToPrimaryMapper(pod -> {
                            String run = pod.getMetadata().getAnnotations() == null
                                    ? null
                                    : pod.getMetadata().getAnnotations().get(K6Job.RUN_ANNOTATION);
                            return run == null
                                    ? Set.of()
                                    : Set.of(new ResourceID(
                                            run, pod.getMetadata().getNamespace()));
                        })
                        .build(),
                context);
        var released = new io.costguard.kube.CycleEventSource<BenchRun>(
                "benchrun-queue", queue::onRelease, context.getPrimaryCache());
        // a run waiting for its workload starts when the PerfBaseline controller's cache sees it (one cache of
        // workloads)
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(
                BY_WORKLOAD, r -> waitingForWorkload(r).map(List::of).orElse(List.of()));
        var workloadSeen = new io.costguard.kube.RelayEventSource<BenchRun>("benchrun-workloads");
        workloads.follow(k -> workloadSeen.fire(primaries.byIndex(BY_WORKLOAD, k.index()).stream()
                .map(ResourceID::fromResource)
                .collect(java.util.stream.Collectors.toSet())));
        List<EventSource<?, BenchRun>> sources = new ArrayList<>(List.of(jobSource, podSource, released, workloadSeen));
        sources.addAll(scripts.eventSources(context));
        return sources;
    }

    /** The workload (its {@link WorkloadAccess.Key#index()}) a run that has not started yet names, if any. */
    static Optional<String> waitingForWorkload(BenchRun run) {
        var spec = run.getSpec();
        var w = spec == null || spec.target == null ? null : spec.target.workload;
        String phase = run.getStatus() == null ? null : run.getStatus().phase;
        if (w == null || w.name == null || phase != null && !BenchPhase.Pending.is(phase)) {
            return Optional.empty();
        }
        return Optional.of(
                new WorkloadAccess.Key(run.getMetadata().getNamespace(), w.kind == null ? "Deployment" : w.kind, w.name)
                        .index());
    }

    @Override
    public UpdateControl<BenchRun> reconcile(BenchRun run, Context<BenchRun> context) {
        long t0 = System.nanoTime();
        try {
            return step(run, context);
        } finally {
            metrics.reconciled("BenchRun", Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private UpdateControl<BenchRun> step(BenchRun run, Context<BenchRun> context) {
        if (unreadable.check(run) == io.costguard.kube.UnreadableObjects.Verdict.STATUS) {
            return UpdateControl.noUpdate();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        long generation = Objects.requireNonNullElse(run.getMetadata().getGeneration(), 0L);
        BenchRunStatus previous = run.getStatus();
        String phase = previous == null ? null : previous.phase;
        if (BenchPhase.finished(phase)) {
            benchMetrics.phase(ns, name, phase);
            return UpdateControl.noUpdate();
        }
        BenchSpecValidator.Result validation = validator.validate(run.getSpec());
        boolean started = BenchPhase.going(phase);
        if (!validation.valid()) {
            if (started) {
                return broken(
                        run,
                        previous,
                        generation,
                        now,
                        ConditionReason.SpecChanged,
                        "the spec became invalid while the run was going ("
                                + validation.problems().get(0)
                                + "); a started run's spec cannot change, create a new BenchRun");
            }
            return invalid(run, previous, validation.problems(), generation, now);
        }
        if (started && previous.startedGeneration != null && previous.startedGeneration != generation) {
            return broken(
                    run,
                    previous,
                    generation,
                    now,
                    ConditionReason.SpecChanged,
                    "the spec changed (generation " + previous.startedGeneration + " to " + generation
                            + ") after the run started; results of a run cannot follow a new spec, create a new BenchRun");
        }
        BenchPlan plan = validation.plan();
        String id = ns + "/" + name;
        if (started) {
            queue.hold(plan.targetKey(ns), id);
        }
        if (BenchPhase.Collecting.is(phase)) {
            return collect(run, plan, previous, generation, now);
        }
        if (BenchPhase.Running.is(phase)) {
            return running(run, plan, previous, context, generation, now);
        }
        return start(run, plan, previous, context, generation, now);
    }

    private UpdateControl<BenchRun> start(
            BenchRun run,
            BenchPlan plan,
            BenchRunStatus previous,
            Context<BenchRun> context,
            long generation,
            Instant now) {
        String ns = run.getMetadata().getNamespace();
        RunLauncher.Launch launch = launcher.launch(
                run,
                plan,
                context.getPrimaryCache()
                        .list(r -> ns.equals(r.getMetadata().getNamespace()))
                        .toList());
        if (launch instanceof RunLauncher.Waiting w) {
            return pending(run, previous, generation, now, w.reason(), w.message());
        }
        if (launch instanceof RunLauncher.Refused r) {
            return broken(run, previous, generation, now, ConditionReason.JobNotCreated, r.message());
        }
        String jobName = ((RunLauncher.Launched) launch).jobName();
        events.once(
                run,
                "started",
                EventRecorder.Type.Normal,
                "BenchRunStarted",
                "Job " + jobName + " loads " + plan.targetDescription() + " (" + load(plan) + ")",
                now);
        LOG.info(
                "benchrun {}/{}: started Job {} against {}",
                ns,
                run.getMetadata().getName(),
                jobName,
                plan.targetDescription());
        BenchRunStatus next = base(previous, generation);
        next.phase = BenchPhase.Running.name();
        next.jobName = jobName;
        next.startedGeneration = generation;
        next.conditions = specValid(next.conditions, generation, now);
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Complete,
                false,
                ConditionReason.Starting,
                "Job " + jobName + " created; waiting for the k6 pod",
                generation,
                now);
        return withStatus(run, previous, next, BenchPhase.Running.name(), STARTING_RETRY);
    }

    private UpdateControl<BenchRun> running(
            BenchRun run,
            BenchPlan plan,
            BenchRunStatus previous,
            Context<BenchRun> context,
            long generation,
            Instant now) {
        String ns = run.getMetadata().getNamespace();
        Optional<Job> job = context.getSecondaryResource(Job.class);
        if (job.isEmpty()) {
            // the informer may not have seen a Job created a moment ago: ask the API before calling it deleted
            job = Optional.ofNullable(client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .withName(previous.jobName)
                    .get());
        }
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream().toList();
        RunObserver.Observation seen = observer.observe(job, pods, previous.podName, now);
        BenchRunStatus next = base(previous, generation);
        if (seen instanceof RunObserver.Starting s) {
            next.podName = s.podName() != null ? s.podName() : previous.podName;
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.Complete,
                    false,
                    ConditionReason.Starting,
                    s.detail(),
                    generation,
                    now);
            return withStatus(run, previous, next, BenchPhase.Running.name(), STARTING_RETRY);
        }
        if (seen instanceof RunObserver.Running r) {
            next.podName = r.podName();
            next.startTime = r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString();
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.Complete,
                    false,
                    ConditionReason.Running,
                    "k6 is loading " + plan.targetDescription() + " (" + load(plan) + ")",
                    generation,
                    now);
            return withStatus(run, previous, next, BenchPhase.Running.name(), RUNNING_RETRY);
        }
        if (seen instanceof RunObserver.Finished f) {
            K6Summary s = f.summary();
            next.podName = f.podName();
            next.phase = BenchPhase.Collecting.name();
            next.startTime = s.start().truncatedTo(ChronoUnit.SECONDS).toString();
            next.completionTime = s.end().truncatedTo(ChronoUnit.SECONDS).toString();
            next.k6Summary = f.line();
            next.conditions = Conditions.with(
                    next.conditions,
                    ConditionType.Complete,
                    false,
                    ConditionReason.Collecting,
                    "k6 finished" + (f.k6ThresholdsFailed() ? " (its own thresholds failed)" : "")
                            + "; reading the cost of the run",
                    generation,
                    now);
            LOG.info(
                    "benchrun {}/{}: k6 finished with {} requests{}",
                    ns,
                    run.getMetadata().getName(),
                    s.requests(),
                    f.k6ThresholdsFailed() ? ", k6 thresholds failed" : "");
            return withStatus(run, previous, next, BenchPhase.Collecting.name(), Duration.ofMillis(1));
        }
        RunObserver.Broken b = (RunObserver.Broken) seen;
        return broken(run, previous, generation, now, b.reason(), b.message());
    }

    private UpdateControl<BenchRun> collect(
            BenchRun run, BenchPlan plan, BenchRunStatus previous, long generation, Instant now) {
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        K6Summary.Parsed parsed = K6Summary.parse(previous.k6Summary);
        if (!parsed.ok()) {
            return broken(
                    run,
                    previous,
                    generation,
                    now,
                    parsed.problem().reason(),
                    "status.k6Summary cannot be read: " + parsed.detail());
        }
        K6Summary summary = parsed.summary();
        Instant from = summary.start().plus(plan.warmup());
        Instant to = summary.end();
        BenchRunStatus next = base(previous, generation);
        Double usd = null;
        List<String> notes = new ArrayList<>();
        Optional<BaselineChoice> choice = BaselineChoice.of(
                plan, ns, plan.baselineRef() == null ? Optional.empty() : baselines.get(ns, plan.baselineRef()));
        PerfPlan.Values baseline = choice.map(BaselineChoice::values).orElse(PerfPlan.Values.NONE);
        if (choice.isPresent()) {
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
                    generation,
                    now);
        }
        if (plan.hasWorkload() && !from.isBefore(to)) {
            notes.add("k6 stopped before the warm-up ended (" + summary.end()
                    + "), so nothing was measured and the run has no cost");
        } else if (plan.hasWorkload()) {
            Instant readyAt = to.plus(settings.settle());
            if (now.isBefore(readyAt)) {
                next.conditions = Conditions.unknown(
                        next.conditions,
                        ConditionType.CostAvailable,
                        ConditionReason.Settling,
                        "waiting until " + readyAt + " so Prometheus has scraped past the end of the run",
                        generation,
                        now);
                return withStatus(
                        run,
                        previous,
                        next,
                        BenchPhase.Collecting.name(),
                        Duration.between(now, readyAt).plusSeconds(1));
            }
            RunCost.Outcome outcome = cost.cost(
                    ns,
                    plan.workloadKind(),
                    plan.workloadName(),
                    from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(from.getNano() > 0 ? 1 : 0),
                    to.truncatedTo(ChronoUnit.SECONDS));
            if (outcome instanceof RunCost.Unavailable u) {
                boolean giveUp = !now.isBefore(readyAt.plus(settings.costWait()));
                next.conditions = Conditions.with(
                        next.conditions, ConditionType.CostAvailable, false, u.reason(), u.message(), generation, now);
                if (!giveUp) {
                    return withStatus(run, previous, next, BenchPhase.Collecting.name(), COST_RETRY);
                }
                if (plan.thresholds().costPer1k() != null || baseline.costPer1k() != null) {
                    return broken(
                            run,
                            previous,
                            next,
                            generation,
                            now,
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
                                java.util.Locale.ROOT,
                                "cost of %s %s over %s to %s, samples covering %.0f %% of it",
                                plan.workloadKind(),
                                plan.workloadName(),
                                from,
                                to,
                                p.coverage() * 100),
                        generation,
                        now);
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
        next.results = j.results();
        next.comparison = j.comparison().isEmpty() ? null : j.comparison();
        next.verdict = j.verdict();
        next.phase = (j.passed() ? BenchPhase.Passed : BenchPhase.Failed).name();
        String dropped = summary.dropped() == 0
                ? ""
                : " (k6 dropped " + summary.dropped() + " iterations for lack of VUs: the target saw "
                        + "less load than spec.load asks; raise spec.load.vus)";
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Complete,
                true,
                j.passed() ? ConditionReason.Passed : ConditionReason.Failed,
                (j.passed() ? "the run passed" : "the run failed: " + String.join("; ", j.verdict().reasons)) + dropped,
                generation,
                now);
        if (j.passed() && plan.recordBaseline()) {
            RecordedBaseline recorded = new RecordedBaseline();
            recorded.latencyP95 = j.results().latencyP95;
            recorded.errorRatio = j.results().errorRatio;
            recorded.throughput = j.results().throughput;
            recorded.costPer1kRequests = j.results().costPer1kRequests;
            recorded.recordedAt = previous.completionTime;
            recorded.source = "BenchRun/" + name;
            try {
                baselines.record(ns, plan.baselineRef(), recorded);
                next.conditions = Conditions.with(
                        next.conditions,
                        ConditionType.BaselineRecorded,
                        true,
                        ConditionReason.Recorded,
                        "results written to PerfBaseline " + plan.baselineRef() + " status.recordedBaseline",
                        generation,
                        now);
                LOG.info("benchrun {}/{}: recorded as the baseline of PerfBaseline {}", ns, name, plan.baselineRef());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                next.conditions = Conditions.with(
                        next.conditions,
                        ConditionType.BaselineRecorded,
                        false,
                        ConditionReason.BaselineNotFound,
                        "PerfBaseline " + plan.baselineRef() + " was deleted before the results could be recorded",
                        generation,
                        now);
            }
        }
        benchMetrics.judged(ns, name, j.values(), plan.thresholds(), baseline, usd);
        benchMetrics.finished(ns, j.verdict().result);
        String message = j.passed() ? "passed: " + describe(j) : "failed: " + String.join("; ", j.verdict().reasons);
        events.once(
                run,
                "verdict",
                j.passed() ? EventRecorder.Type.Normal : EventRecorder.Type.Warning,
                j.passed() ? "BenchRunPassed" : "BenchRunFailed",
                message,
                now);
        LOG.info("benchrun {}/{} {}", ns, name, message);
        queue.releaseAll(ns + "/" + name);
        return withStatus(run, previous, next, next.phase, null);
    }

    private static String describe(BenchJudge.Judgement j) {
        var r = j.results();
        return r.requests + " requests, p95 " + r.latencyP95 + ", error ratio " + r.errorRatio
                + (r.costPer1kRequests == null ? "" : ", " + r.costPer1kRequests + " per 1k requests");
    }

    private static String load(BenchPlan plan) {
        String shape =
                plan.executor() == BenchPlan.Executor.CONSTANT_VUS ? plan.vus() + " VUs" : plan.rate() + " requests/s";
        return plan.executor().k6Name() + ", " + shape + " for " + Durations.format(plan.duration())
                + (plan.warmup().isZero() ? "" : ", first " + Durations.format(plan.warmup()) + " discarded");
    }

    private UpdateControl<BenchRun> pending(
            BenchRun run,
            BenchRunStatus previous,
            long generation,
            Instant now,
            ConditionReason reason,
            String message) {
        BenchRunStatus next = base(previous, generation);
        next.phase = BenchPhase.Pending.name();
        next.conditions = specValid(next.conditions, generation, now);
        next.conditions =
                Conditions.with(next.conditions, ConditionType.Complete, false, reason, message, generation, now);
        var before = Conditions.find(previous == null ? null : previous.conditions, ConditionType.Complete);
        if (before == null || !reason.name().equals(before.getReason())) {
            LOG.info(
                    "benchrun {}/{} is Pending: {}",
                    run.getMetadata().getNamespace(),
                    run.getMetadata().getName(),
                    message);
        }
        // a missing workload or script is watched for; the queue and leftovers of an earlier run are looked at again
        return withStatus(
                run,
                previous,
                next,
                BenchPhase.Pending.name(),
                RunLauncher.WOKEN_BY_CHANGE.contains(reason) ? null : PENDING_RETRY);
    }

    private UpdateControl<BenchRun> invalid(
            BenchRun run, BenchRunStatus previous, List<SpecProblem> problems, long generation, Instant now) {
        BenchRunStatus next = base(previous, generation);
        next.phase = BenchPhase.Invalid.name();
        StringBuilder message = new StringBuilder();
        for (SpecProblem p : problems) {
            message.append(message.length() == 0 ? "" : "; ").append(p);
        }
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Ready,
                false,
                ConditionReason.InvalidSpec,
                message.toString(),
                generation,
                now);
        if (previous == null || !BenchPhase.Invalid.is(previous.phase)) {
            LOG.info(
                    "benchrun {}/{} is Invalid: {}",
                    run.getMetadata().getNamespace(),
                    run.getMetadata().getName(),
                    message);
        }
        queue.releaseAll(
                run.getMetadata().getNamespace() + "/" + run.getMetadata().getName());
        return withStatus(run, previous, next, BenchPhase.Invalid.name(), null);
    }

    private UpdateControl<BenchRun> broken(
            BenchRun run,
            BenchRunStatus previous,
            long generation,
            Instant now,
            ConditionReason reason,
            String message) {
        return broken(run, previous, base(previous, generation), generation, now, reason, message);
    }

    /** Ends the run in Error, from {@code next} as decided so far (its conditions kept). */
    private UpdateControl<BenchRun> broken(
            BenchRun run,
            BenchRunStatus previous,
            BenchRunStatus next,
            long generation,
            Instant now,
            ConditionReason reason,
            String message) {
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        if (previous != null
                && BenchPhase.Running.is(previous.phase)
                && previous.jobName != null
                && STOP_JOB.contains(reason)) {
            // k6 may still be loading the target (or start late) while the next run starts; a Job whose k6 has exited
            // stays,
            // with its pod's log, until its TTL
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .withName(previous.jobName)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                    .delete();
        }
        next.phase = BenchPhase.Error.name();
        next.completionTime =
                previous != null && previous.completionTime != null ? previous.completionTime : now.toString();
        next.verdict = new io.costguard.api.BenchVerdict("Fail", List.of(reason + ": " + message));
        next.conditions =
                Conditions.with(next.conditions, ConditionType.Ready, false, reason, message, generation, now);
        next.conditions = Conditions.with(
                next.conditions, ConditionType.Complete, true, ConditionReason.Error, message, generation, now);
        events.once(run, "verdict", EventRecorder.Type.Warning, "BenchRunFailed", reason + ": " + message, now);
        benchMetrics.finished(ns, BenchPhase.Error.name());
        LOG.info("benchrun {}/{} Error {}: {}", ns, name, reason, message);
        queue.releaseAll(ns + "/" + name);
        return withStatus(run, previous, next, BenchPhase.Error.name(), null);
    }

    private static List<Condition> specValid(List<Condition> conditions, Long generation, Instant now) {
        return Conditions.with(
                conditions, ConditionType.Ready, true, ConditionReason.Valid, "the spec is valid", generation, now);
    }

    /** What every step carries over. */
    private static BenchRunStatus base(BenchRunStatus previous, long generation) {
        BenchRunStatus next = new BenchRunStatus();
        next.observedGeneration = generation;
        if (previous != null) {
            next.phase = previous.phase;
            next.jobName = previous.jobName;
            next.startedGeneration = previous.startedGeneration;
            next.podName = previous.podName;
            next.startTime = previous.startTime;
            next.completionTime = previous.completionTime;
            next.k6Summary = previous.k6Summary;
            next.conditions = new ArrayList<>(previous.conditions == null ? List.of() : previous.conditions);
        }
        return next;
    }

    /** A reconcile that threw: Ready=False/ReconcileError in status, a Warning Event; JOSDK retries with backoff. */
    @Override
    public io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl<BenchRun> updateErrorStatus(
            BenchRun run, Context<BenchRun> context, Exception e) {
        return errors.report(
                run,
                context.getRetryInfo(),
                e,
                new io.costguard.kube.ReconcileErrors.StatusShape<>(
                        io.costguard.api.BenchRunStatus::new, s -> s.conditions, (s, c) -> s.conditions = c),
                BenchRun::new);
    }

    @Override
    public DeleteControl cleanup(BenchRun run, Context<BenchRun> context) {
        unreadable.forget(run);
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        queue.releaseAll(ns + "/" + name);
        benchMetrics.forget(ns, name);
        LOG.info("benchrun {}/{} deleted", ns, name);
        return DeleteControl.defaultDelete();
    }

    private UpdateControl<BenchRun> withStatus(
            BenchRun run, BenchRunStatus previous, BenchRunStatus next, String phase, Duration requeue) {
        benchMetrics.phase(run.getMetadata().getNamespace(), run.getMetadata().getName(), phase);
        var ready = io.costguard.status.Conditions.find(next.conditions, ConditionType.Ready);
        if (ready != null && ConditionReason.ReconcileError.name().equals(ready.getReason())) {
            // this reconcile got through: the failure the condition reported is over
            next.conditions = specValid(
                    next.conditions, next.observedGeneration, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        }
        return StatusUpdate.of(run, previous, next, BenchRun::new, requeue);
    }
}

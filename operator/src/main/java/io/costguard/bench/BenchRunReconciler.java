package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.ConditionReason;
import io.costguard.baseline.WorkloadAccess;
import io.costguard.kube.CycleEventSource;
import io.costguard.kube.ListPages;
import io.costguard.kube.ReconcileErrors;
import io.costguard.kube.RelayEventSource;
import io.costguard.kube.UnreadableObjects;
import io.costguard.kube.WithoutFinalizer;
import io.costguard.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a BenchRun through its phases: Pending (queued per target, {@link RunStart}) → Running (a k6 Job,
 * {@link RunWatch}) → Collecting (summary from the pod, cost from Prometheus, {@link RunCollection}) → Passed or
 * Failed, or Error when the run could not give results ({@link RunTransitions}). The script ConfigMap and the Job are
 * dependent resources ({@link RunObject}). {@link BenchWiring} builds it.
 */
@ControllerConfiguration(triggerReconcilerOnAllEvents = true)
public final class BenchRunReconciler implements Reconciler<BenchRun> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchRunReconciler.class);
    /** The finalizer earlier versions added (as a JOSDK Cleaner); removed wherever it is still found. */
    static final String FORMER_FINALIZER = "benchruns.costguard.io/finalizer";

    private static final String BY_WORKLOAD = "costguard-workload";

    private final BenchSpecValidator validator;
    private final RunObject<ConfigMap> script;
    private final RunObject<Job> job;
    private final ScriptConfigMaps scripts;
    private final WorkloadAccess workloads;
    private final TargetQueue queue;
    private final RunStart start;
    private final RunWatch watch;
    private final RunCollection collection;
    private final RunTransitions transitions;
    private final BenchMetrics benchMetrics;
    private final OperatorMetrics metrics;
    private final ReconcileErrors errors;
    private final UnreadableObjects unreadable;
    private final Clock clock;

    BenchRunReconciler(
            BenchSpecValidator validator,
            RunObject<ConfigMap> script,
            RunObject<Job> job,
            ScriptConfigMaps scripts,
            WorkloadAccess workloads,
            TargetQueue queue,
            RunStart start,
            RunWatch watch,
            RunCollection collection,
            RunTransitions transitions,
            BenchMetrics benchMetrics,
            OperatorMetrics metrics,
            ReconcileErrors errors,
            UnreadableObjects unreadable,
            Clock clock) {
        this.validator = validator;
        this.script = script;
        this.job = job;
        this.scripts = scripts;
        this.workloads = workloads;
        this.queue = queue;
        this.start = start;
        this.watch = watch;
        this.collection = collection;
        this.transitions = transitions;
        this.benchMetrics = benchMetrics;
        this.metrics = metrics;
        this.errors = errors;
        this.unreadable = unreadable;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, BenchRun>> prepareEventSources(EventSourceContext<BenchRun> context) {
        String selector = K6Job.COMPONENT_LABEL + "=" + K6Job.COMPONENT_VALUE;
        var podSource = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, BenchRun.class)
                        .withName("benchrun-pods")
                        .withLabelSelector(selector)
                        .withInformerListLimit(ListPages.SIZE)
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
        var released =
                new CycleEventSource<BenchRun>("benchrun-queue", queue::onRelease, context.getPrimaryCache()::list);
        // a run waiting for its workload starts when the PerfBaseline controller's cache sees it (one cache of
        // workloads)
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(
                BY_WORKLOAD, r -> waitingForWorkload(r).map(List::of).orElse(List.of()));
        var workloadSeen = new RelayEventSource<BenchRun>("benchrun-workloads");
        workloads.follow(k -> workloadSeen.fire(primaries.byIndex(BY_WORKLOAD, k.index()).stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet())));
        List<EventSource<?, BenchRun>> sources = new ArrayList<>(List.of(podSource, released, workloadSeen));
        sources.addAll(EventSourceUtils.dependentEventSources(context, script, job));
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
        BenchRun live = WithoutFinalizer.live(run, context, FORMER_FINALIZER);
        if (live == null) {
            forget(run);
            return UpdateControl.noUpdate();
        }
        long t0 = System.nanoTime();
        try {
            return step(live, context);
        } finally {
            metrics.reconciled("BenchRun", Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private UpdateControl<BenchRun> step(BenchRun run, Context<BenchRun> context) {
        if (unreadable.check(run) == UnreadableObjects.Verdict.STATUS) {
            return UpdateControl.noUpdate();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long generation = Objects.requireNonNullElse(run.getMetadata().getGeneration(), 0L);
        BenchRunStatus previous = run.getStatus();
        String phase = previous == null ? null : previous.phase;
        if (BenchPhase.finished(phase)) {
            benchMetrics.phase(
                    run.getMetadata().getNamespace(), run.getMetadata().getName(), phase);
            return UpdateControl.noUpdate();
        }
        BenchSpecValidator.Result validation = validator.validate(run.getSpec());
        boolean started = BenchPhase.going(phase);
        if (!validation.valid() && !started) {
            return transitions.invalid(run, context, previous, validation.problems(), generation, now);
        }
        RunStep s = new RunStep(run, validation.valid() ? validation.plan() : null, previous, generation, now, context);
        if (!validation.valid()) {
            return transitions.broken(
                    s,
                    context,
                    ConditionReason.SpecChanged,
                    "the spec became invalid while the run was going ("
                            + validation.problems().get(0)
                            + "); a started run's spec cannot change, create a new BenchRun");
        }
        if (started && previous.startedGeneration != null && previous.startedGeneration != generation) {
            return transitions.broken(
                    s,
                    context,
                    ConditionReason.SpecChanged,
                    "the spec changed (generation " + previous.startedGeneration + " to " + generation
                            + ") after the run started; results of a run cannot follow a new spec, create a new BenchRun");
        }
        if (started) {
            queue.hold(s.plan().targetKey(s.namespace()), s.id());
        }
        if (BenchPhase.Collecting.is(phase)) {
            return collection.step(s, context);
        }
        if (BenchPhase.Running.is(phase)) {
            return watch.step(s, context);
        }
        return start.step(s, context);
    }

    /** A reconcile that threw: Ready=False/ReconcileError in status, a Warning Event; JOSDK retries with backoff. */
    @Override
    public ErrorStatusUpdateControl<BenchRun> updateErrorStatus(BenchRun run, Context<BenchRun> context, Exception e) {
        return errors.report(
                run,
                context.getRetryInfo(),
                e,
                new ReconcileErrors.StatusShape<>(BenchRunStatus::new, s -> s.conditions, (s, c) -> s.conditions = c),
                BenchRun::new);
    }

    /** The Job and script ConfigMap go with the BenchRun (owner references); what is left is in memory. */
    private void forget(BenchRun run) {
        unreadable.forget(run);
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        queue.releaseAll(ns + "/" + name);
        benchMetrics.forget(ns, name);
        LOG.info("benchrun {}/{} deleted", ns, name);
    }
}

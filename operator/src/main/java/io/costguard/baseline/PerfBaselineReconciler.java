package io.costguard.baseline;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.PerfMeasurement;
import io.costguard.api.PerfState;
import io.costguard.api.Readable;
import io.costguard.api.SpecProblem;
import io.costguard.kube.CycleEventSource;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.ObjectKeys;
import io.costguard.kube.PackedItemStore;
import io.costguard.kube.ReconcileErrors;
import io.costguard.kube.StatusUpdate;
import io.costguard.kube.UnreadableObjects;
import io.costguard.kube.WithoutFinalizer;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.status.Conditions;
import io.costguard.status.Heartbeat;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a PerfBaseline: observe (spec, workload, the collector's signals and usage) → decide
 * ({@link PerfEvaluator}, {@link RightsizingPlan}) → act (events, a freeze published through status, rightsizing
 * patches) → report (status when changed, metrics). {@link BaselineWiring} builds it.
 *
 * <p>No finalizer: what a PerfBaseline leaves behind is this process's memory (signals, metrics, memos), dropped when
 * the delete event arrives (every event reaches {@link #reconcile}), so creating one costs no metadata patch and
 * deleting one never waits for the operator.
 */
@ControllerConfiguration(triggerReconcilerOnAllEvents = true)
public final class PerfBaselineReconciler implements Reconciler<PerfBaseline> {
    private static final Logger LOG = LoggerFactory.getLogger(PerfBaselineReconciler.class);
    /** The finalizer earlier versions added (as a JOSDK Cleaner); removed wherever it is still found. */
    static final String FORMER_FINALIZER = "perfbaselines.costguard.io/finalizer";
    /** Failures that mean Prometheus cannot be read at all (as opposed to a workload without series). */
    private static final Set<ConditionReason> PROMETHEUS_DOWN =
            Set.of(ConditionReason.Unreachable, ConditionReason.Timeout, ConditionReason.HttpError);
    /** status.recordedBaseline is written by the BenchRun reconciler (recordBaseline: true), never here. */
    private static final Set<String> RECORDED_BY_BENCHRUNS = Set.of("recordedBaseline");
    /** Rightsizing reasons that only new usage, a new spec or a changed workload move (not the clock: no Cooldown). */
    private static final Set<String> RIGHTSIZING_AT_REST = Set.of(
            ConditionReason.Off.name(),
            ConditionReason.RecommendOnly.name(),
            ConditionReason.UpToDate.name(),
            ConditionReason.LowConfidence.name(),
            ConditionReason.UsageNotRead.name(),
            ConditionReason.UsageUnavailable.name());

    private final PerfCollector collector;
    private final PerfSpecValidator validator;
    private final PerfEvaluator evaluator;
    private final WorkloadAccess workloads;
    private final RightsizingActuator rightsizing;
    private final EventRecorder events;
    private final PerfMetrics perfMetrics;
    private final OperatorMetrics metrics;
    private final ReconcileErrors errors;
    private final UnreadableObjects unreadable;
    private final Clock clock;
    private final Duration interval;
    private final Heartbeat heartbeat;
    private final PackedItemStore<PerfBaseline> cached;
    private final SettledBaselines settled;

    PerfBaselineReconciler(
            PerfCollector collector,
            PerfSpecValidator validator,
            PerfEvaluator evaluator,
            WorkloadAccess workloads,
            RightsizingActuator rightsizing,
            EventRecorder events,
            PerfMetrics perfMetrics,
            OperatorMetrics metrics,
            ReconcileErrors errors,
            UnreadableObjects unreadable,
            Clock clock,
            Duration interval,
            PackedItemStore<PerfBaseline> cached,
            SettledBaselines settled) {
        this.collector = collector;
        this.validator = validator;
        this.evaluator = evaluator;
        this.workloads = workloads;
        this.rightsizing = rightsizing;
        this.events = events;
        this.perfMetrics = perfMetrics;
        this.metrics = metrics;
        this.errors = errors;
        this.unreadable = unreadable;
        this.clock = clock;
        this.interval = interval;
        this.heartbeat = Heartbeat.forInterval(interval);
        this.cached = cached;
        this.settled = settled;
    }

    /** The controller's informer store: the cycle reads identities from it without parsing every PerfBaseline. */
    public io.fabric8.kubernetes.client.informers.cache.ItemStore<PerfBaseline> itemStore() {
        return cached.store();
    }

    @Override
    public List<EventSource<?, PerfBaseline>> prepareEventSources(EventSourceContext<PerfBaseline> context) {
        List<EventSource<?, PerfBaseline>> sources = new ArrayList<>(workloads.eventSources(context));
        sources.add(new CycleEventSource<>(
                "perf-cycle",
                run -> collector.onCycle(stats -> run.run()),
                cached::identities,
                settled::due,
                settled::leftAlone,
                n -> metrics.unchanged("PerfBaseline", n)));
        return sources;
    }

    @Override
    public UpdateControl<PerfBaseline> reconcile(PerfBaseline pb, Context<PerfBaseline> context) {
        PerfBaseline live = WithoutFinalizer.live(pb, context, FORMER_FINALIZER);
        if (live == null) {
            forget(pb);
            return UpdateControl.noUpdate();
        }
        long t0 = System.nanoTime();
        try {
            return evaluate(live, context);
        } finally {
            metrics.reconciled("PerfBaseline", Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private UpdateControl<PerfBaseline> evaluate(PerfBaseline pb, Context<PerfBaseline> context) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String ns = pb.getMetadata().getNamespace();
        String name = pb.getMetadata().getName();
        String id = ObjectKeys.of(ns, name);
        long generation = Objects.requireNonNullElse(pb.getMetadata().getGeneration(), 0L);
        PerfBaselineStatus previous = pb.getStatus();
        settled.unsettle(pb);
        if (unreadable.check(pb) == UnreadableObjects.Verdict.STATUS) {
            return UpdateControl.noUpdate();
        }

        PerfSpecValidator.Result validation = validator.validate(pb.getSpec());
        if (!validation.valid()) {
            return invalid(pb, context, validation.problems(), previous, generation, now);
        }
        PerfPlan plan = validation.plan();
        var workload = workloads.get(ns, plan.kind(), plan.workload());
        if (workload.isEmpty()) {
            return invalid(
                    pb,
                    context,
                    List.of(new SpecProblem(
                            "spec.workload.name",
                            plan.kind() + " " + plan.workload() + " does not exist in namespace " + ns
                                    + "; create it, or name an existing Deployment or StatefulSet here")),
                    previous,
                    generation,
                    now);
        }
        PerfPlan.Values baseline = PerfEvaluator.baseline(plan, previous == null ? null : previous.recordedBaseline);
        collector.demand(target(ns, name, plan, baseline));
        Signals signals = collector.signals(id);
        if (signals == null && !collector.hasRead() && (previous == null || previous.state == null)) {
            // a new PerfBaseline has nothing to say before this process's first performance read ends, and its end
            // reconciles every PerfBaseline: a "waiting" status now would be overwritten within the read (CostBudgets
            // wait for their history the same way); one with a verdict keeps it and its metrics, as before
            LOG.debug("perfbaseline {} waits for the first performance read", id);
            return UpdateControl.<PerfBaseline>noUpdate().rescheduleAfter(interval);
        }
        if (signals != null && signals.invalidField() != null) {
            return invalid(
                    pb,
                    context,
                    List.of(new SpecProblem(
                            signals.invalidField(),
                            signals.unavailable() + "; fix the PromQL (placeholders: "
                                    + "$namespace, $workload, $pods, $window)")),
                    previous,
                    generation,
                    now);
        }
        PerfEvaluator.Decision decision = evaluator.evaluate(plan, signals, previous, generation, now);
        PerfBaselineStatus next = decision.status();
        scopeFreeze(next, plan, workload.get().selector(), generation, now);
        announce(pb, decision, now);
        boolean prometheusUp =
                signals != null && (signals.usable() || !PROMETHEUS_DOWN.contains(signals.unavailableReason()));
        RightsizingActuator.Next after =
                rightsizing.step(pb, plan, workload.get(), collector.usage(id), prometheusUp, next, generation, now);

        String previousState = previous == null ? null : previous.state;
        if (!decision.state().name().equals(previousState)) {
            LOG.info(
                    "perfbaseline {}/{}: {} -> {}{}",
                    ns,
                    name,
                    previousState,
                    decision.state(),
                    signals != null && !signals.usable() ? " (" + signals.unavailable() + ")" : "");
        }
        perfMetrics.evaluated(
                ns,
                name,
                plan,
                signals == null || !signals.usable() ? null : signals.values(),
                baseline,
                decision.state().name(),
                Boolean.TRUE.equals(next.deploysFrozen));
        boolean atRest = after == RightsizingActuator.Next.Wait && atRest(decision, signals, next);
        UpdateControl<PerfBaseline> control = withStatus(pb, context, previous, next, (held, resourceVersion) -> {
            Instant stamp = stamp(held);
            if (!atRest || stamp == null) {
                return false;
            }
            settled.settle(
                    pb,
                    new SettledBaselines.Memo(
                            resourceVersion,
                            pb.getMetadata().getUid(),
                            plan,
                            baseline,
                            held.current,
                            stamp,
                            collector.usage(id)));
            return true;
        });
        return after == RightsizingActuator.Next.Soon ? control.rescheduleAfter(Duration.ofMillis(1)) : control;
    }

    private static Instant stamp(PerfBaselineStatus status) {
        try {
            return status == null || status.lastEvaluated == null ? null : Instant.parse(status.lastEvaluated);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Healthy on usable signals with nothing in flight: no regression pending or confirmed, no freeze, nothing to
     * announce, rightsizing in a state only new usage, a new spec or a changed workload moves.
     */
    private static boolean atRest(PerfEvaluator.Decision decision, Signals signals, PerfBaselineStatus next) {
        if (decision.state() != PerfState.Healthy
                || !decision.notices().isEmpty()
                || signals == null
                || !signals.usable()
                || next.regressions != null
                || next.pendingRegressions != null
                || Boolean.TRUE.equals(next.deploysFrozen)) {
            return false;
        }
        var rightsizing = Conditions.find(next.conditions, RightsizingActuator.CONDITION);
        return rightsizing != null && RIGHTSIZING_AT_REST.contains(rightsizing.getReason());
    }

    /**
     * A freeze the decision asks for covers the workload's pods (its matchLabels) or, with spec.freezeScope Namespace,
     * the namespace; a workload that selects with matchExpressions only is not frozen, since an empty selector would
     * freeze the whole namespace, which nobody asked for.
     */
    static void scopeFreeze(
            PerfBaselineStatus next, PerfPlan plan, Map<String, String> selector, long generation, Instant now) {
        if (!Boolean.TRUE.equals(next.deploysFrozen)) {
            return;
        }
        if (plan.freezeNamespace() || !selector.isEmpty()) {
            next.freezeSelector = plan.freezeNamespace() ? Map.of() : selector;
            return;
        }
        next.deploysFrozen = null;
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.DeploysFrozen,
                false,
                ConditionReason.NoSelectorLabels,
                plan.kind() + " " + plan.workload()
                        + " selects its pods with matchExpressions only; a workload freeze needs "
                        + "spec.selector.matchLabels (or set spec.freezeScope: Namespace)",
                generation,
                now);
    }

    /** The Events the decision announces (each once), and the confirmed regressions' metric. */
    private void announce(PerfBaseline pb, PerfEvaluator.Decision decision, Instant now) {
        String ns = pb.getMetadata().getNamespace();
        String name = pb.getMetadata().getName();
        for (PerfEvaluator.Notice n : decision.notices()) {
            boolean created = events.once(
                    pb,
                    n.key(),
                    n.warning() ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
                    n.reason(),
                    n.message(),
                    now);
            if (created) {
                LOG.info("perfbaseline {}/{}: {} {}", ns, name, n.reason(), n.message());
                if (PerfEvaluator.REGRESSION_EVENT.equals(n.reason())) {
                    perfMetrics.regressionConfirmed(ns, name, n.metric());
                }
            }
        }
    }

    private UpdateControl<PerfBaseline> invalid(
            PerfBaseline pb,
            Context<PerfBaseline> context,
            List<SpecProblem> problems,
            PerfBaselineStatus previous,
            long generation,
            Instant now) {
        String ns = pb.getMetadata().getNamespace();
        String name = pb.getMetadata().getName();
        collector.forget(ns + "/" + name);
        if (previous == null || !PerfState.Invalid.name().equals(previous.state)) {
            LOG.info("perfbaseline {}/{} is Invalid: {}", ns, name, problems);
        }
        perfMetrics.evaluated(ns, name, null, null, PerfPlan.Values.NONE, PerfState.Invalid.name(), false);
        return withStatus(pb, context, previous, evaluator.invalid(problems, previous, generation, now));
    }

    /** A reconcile that threw: Ready=False/ReconcileError in status, a Warning Event; JOSDK retries with backoff. */
    @Override
    public ErrorStatusUpdateControl<PerfBaseline> updateErrorStatus(
            PerfBaseline pb, Context<PerfBaseline> context, Exception e) {
        return errors.report(
                pb,
                context.getRetryInfo(),
                e,
                new ReconcileErrors.StatusShape<>(
                        PerfBaselineStatus::new, s -> s.conditions, (s, c) -> s.conditions = c),
                PerfBaseline::new);
    }

    private static PerfCollector.Target target(String ns, String name, PerfPlan plan, PerfPlan.Values baseline) {
        return new PerfCollector.Target(ns, name, plan, baseline.latencyP95() != null);
    }

    /**
     * Asks the collector for the signals of every cached PerfBaseline that is readable, valid and names a cached
     * workload, as its reconcile would: the first read after a start then measures all of them, not only those whose
     * first reconcile came before it (20,000 first reconciles can take longer than the cost read that precedes it).
     */
    public void demandCached() {
        cached.store().keySet().toList().forEach(key -> {
            try {
                PerfBaseline pb = cached.store().get(key);
                if (pb != null) {
                    demandCached(pb);
                }
            } catch (RuntimeException e) {
                // its own reconcile reports what is wrong with it; the read goes on with the others
                LOG.debug("perfbaseline {} is left to its reconcile: {}", key, e.toString());
            }
        });
    }

    private void demandCached(PerfBaseline pb) {
        boolean readable = Readable.wasRead(pb.getSpec()) && Readable.wasRead(pb.getStatus());
        PerfSpecValidator.Result validation = readable ? validator.validate(pb.getSpec()) : null;
        if (validation == null || !validation.valid()) {
            return;
        }
        PerfPlan plan = validation.plan();
        String ns = pb.getMetadata().getNamespace();
        if (workloads.get(ns, plan.kind(), plan.workload()).isPresent()) {
            PerfBaselineStatus status = pb.getStatus();
            PerfPlan.Values baseline = PerfEvaluator.baseline(plan, status == null ? null : status.recordedBaseline);
            collector.demand(target(ns, pb.getMetadata().getName(), plan, baseline));
        }
    }

    private void forget(PerfBaseline pb) {
        unreadable.forget(pb);
        String ns = pb.getMetadata().getNamespace();
        String name = pb.getMetadata().getName();
        settled.unsettle(pb);
        collector.forget(ns + "/" + name);
        rightsizing.forget(ns + "/" + name);
        perfMetrics.forget(ns, name);
        LOG.info("perfbaseline {}/{} deleted", ns, name);
    }

    private UpdateControl<PerfBaseline> withStatus(
            PerfBaseline resource,
            Context<PerfBaseline> context,
            PerfBaselineStatus previous,
            PerfBaselineStatus next) {
        return withStatus(resource, context, previous, next, (held, resourceVersion) -> false);
    }

    /**
     * {@code settles} runs with the status the server holds after this reconcile and that object's resourceVersion
     * (what was read when nothing is written, the answer of the write otherwise) and says whether the PerfBaseline
     * settled: then only the performance cycle, when its signals could change the verdict, or a change to it or its
     * workload reconciles it again, not a timer. Settling on its own write spares the reconcile that would only find
     * the status it wrote.
     */
    private UpdateControl<PerfBaseline> withStatus(
            PerfBaseline resource,
            Context<PerfBaseline> context,
            PerfBaselineStatus previous,
            PerfBaselineStatus next,
            java.util.function.BiPredicate<PerfBaselineStatus, String> settles) {
        // keepStampUnlessDue has compared: the same status but for a stamp that is not due
        if (keepStampUnlessDue(resource, previous, next)
                || StatusUpdate.unchanged(previous, next, RECORDED_BY_BENCHRUNS)) {
            return StatusUpdate.noWrite(
                    settles.test(previous, resource.getMetadata().getResourceVersion()) ? null : interval);
        }
        StatusUpdate.Written<PerfBaseline> write =
                StatusUpdate.write(context, resource, next, PerfBaseline::new, interval, RECORDED_BY_BENCHRUNS);
        PerfBaseline written = write.answer();
        boolean settledNow = written != null
                && written.getStatus() != null
                && settles.test(written.getStatus(), written.getMetadata().getResourceVersion());
        return settledNow ? StatusUpdate.noWrite(null) : write.control();
    }

    /**
     * A newer lastEvaluated alone is no reason to write, nor are figures of {@code current} that moved less than
     * {@link StatusFigures} allows: they keep what status holds until the heartbeat is due, and are written fresh at
     * once with any other change. True when it compared and found nothing else changed (no write due).
     */
    private boolean keepStampUnlessDue(PerfBaseline pb, PerfBaselineStatus previous, PerfBaselineStatus next) {
        Instant last = stamp(previous);
        Instant fresher = stamp(next);
        // a missing stamp, or one that is not a time, is replaced
        if (last == null
                || fresher == null
                || next.lastEvaluated.equals(previous.lastEvaluated)
                || heartbeat.due(last, fresher, pb.getMetadata().getUid())) {
            return false;
        }
        String fresh = next.lastEvaluated;
        PerfMeasurement freshFigures = next.current;
        next.lastEvaluated = previous.lastEvaluated;
        next.current = StatusFigures.carried(previous.current, next.current);
        if (StatusUpdate.unchanged(previous, next, RECORDED_BY_BENCHRUNS)) {
            return true;
        }
        next.lastEvaluated = fresh;
        next.current = freshFigures;
        return false;
    }
}

package io.costguard.budget;

import io.costguard.api.BudgetState;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetStatus;
import io.costguard.cost.CostCollector;
import io.costguard.kube.CycleEventSource;
import io.costguard.kube.NamespaceTrust;
import io.costguard.kube.ObjectKeys;
import io.costguard.kube.PackedItemStore;
import io.costguard.kube.ReconcileErrors;
import io.costguard.kube.StatusUpdate;
import io.costguard.kube.UnreadableObjects;
import io.costguard.metrics.OperatorMetrics;
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
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a CostBudget: observe (spec, namespace trust, {@link BudgetObserver}) → decide
 * ({@link BudgetEvaluator}) → act ({@link BudgetNotices}, recorded in status first; {@link BudgetActuator}) → report
 * (status when changed, {@link BudgetReport}). {@link BudgetWiring} builds it.
 *
 * <p>The finalizer is held only while status lists feature flags the budget throttled: those are the one thing
 * outside this process that deleting a budget must undo (a freeze lives in memory and in status). It is added before
 * status first records a flag, so before any flag is flipped, and removed once every flag is restored. A budget that
 * never throttled is created and deleted without a metadata write or a wait for the operator. Registered with
 * {@code triggerReconcilerOnAllEvents}, so delete events and objects being deleted reach {@code reconcile}.
 */
@ControllerConfiguration(triggerReconcilerOnAllEvents = true)
public final class CostBudgetReconciler implements Reconciler<CostBudget> {
    private static final Logger LOG = LoggerFactory.getLogger(CostBudgetReconciler.class);
    /** JOSDK's default name, as earlier versions (JOSDK Cleaners) added it to every budget. */
    static final String FINALIZER = "costbudgets.costguard.io/finalizer";

    public static final String THRESHOLD_EVENT = "BudgetThresholdCrossed";
    public static final String FORECAST_EVENT = "BudgetForecastExceeded";
    public static final String ANOMALY_EVENT = "CostAnomalyDetected";
    /** Event reason of a drop in spend (spec.anomaly.direction Decrease or Both); reported, never acted on. */
    public static final String DROP_EVENT = "CostDropDetected";

    private final CostCollector collector;
    private final NamespaceTrust trust;
    private final BudgetSpecValidator validator;
    private final BudgetObserver observer;
    private final BudgetEvaluator evaluator;
    private final BudgetNotices notices;
    private final BudgetActuator actuator;
    private final BudgetReport report;
    private final BudgetInsights insights;
    private final OperatorMetrics metrics;
    private final ReconcileErrors errors;
    private final UnreadableObjects unreadable;
    private final SettledBudgets settled;
    private final PackedItemStore<CostBudget> cached;
    private final Clock clock;
    private final Duration interval;
    private final String currency;

    CostBudgetReconciler(
            CostCollector collector,
            NamespaceTrust trust,
            BudgetSpecValidator validator,
            BudgetObserver observer,
            BudgetEvaluator evaluator,
            BudgetNotices notices,
            BudgetActuator actuator,
            BudgetReport report,
            BudgetInsights insights,
            OperatorMetrics metrics,
            ReconcileErrors errors,
            UnreadableObjects unreadable,
            SettledBudgets settled,
            PackedItemStore<CostBudget> cached,
            Clock clock,
            Duration interval,
            String currency) {
        this.collector = collector;
        this.trust = trust;
        this.validator = validator;
        this.observer = observer;
        this.evaluator = evaluator;
        this.notices = notices;
        this.actuator = actuator;
        this.report = report;
        this.insights = insights;
        this.metrics = metrics;
        this.errors = errors;
        this.unreadable = unreadable;
        this.settled = settled;
        this.cached = cached;
        this.clock = clock;
        this.interval = interval;
        this.currency = currency;
    }

    /** The controller's informer store: the cycle reads identities from it without parsing every budget. */
    public io.fabric8.kubernetes.client.informers.cache.ItemStore<CostBudget> itemStore() {
        return cached.store();
    }

    @Override
    public List<EventSource<?, CostBudget>> prepareEventSources(EventSourceContext<CostBudget> context) {
        return List.of(new CycleEventSource<>(
                "cost-cycle",
                run -> collector.onCycle(status -> run.run()),
                cached::identities,
                settled::due,
                n -> metrics.unchanged("CostBudget", n)));
    }

    @Override
    public UpdateControl<CostBudget> reconcile(CostBudget budget, Context<CostBudget> context) {
        boolean gone = context.isPrimaryResourceDeleted() || context.isPrimaryResourceFinalStateUnknown();
        if (gone || (budget.isMarkedForDeletion() && !budget.hasFinalizer(FINALIZER))) {
            // nothing outside the operator to undo: what it held for the budget is dropped
            actuator.thaw(budget);
            forget(budget);
            LOG.info(
                    "budget {}/{} deleted",
                    budget.getMetadata().getNamespace(),
                    budget.getMetadata().getName());
            return UpdateControl.noUpdate();
        }
        if (budget.isMarkedForDeletion()) {
            return deleting(budget, context);
        }
        long t0 = System.nanoTime();
        try {
            return evaluate(budget, context);
        } finally {
            metrics.reconciled("CostBudget", Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private UpdateControl<CostBudget> evaluate(CostBudget budget, Context<CostBudget> context) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        String id = ObjectKeys.of(ns, name);
        long generation = Objects.requireNonNullElse(budget.getMetadata().getGeneration(), 0L);
        CostBudgetStatus previous = budget.getStatus();
        SettledBudgets.Inputs inputs = settled.now(budget);
        settled.unsettle(budget);
        if (unreadable.check(budget) == UnreadableObjects.Verdict.STATUS) {
            return UpdateControl.noUpdate();
        }
        // observe
        boolean selectsOthers = budget.getSpec() != null
                && budget.getSpec().scope != null
                && budget.getSpec().scope.namespaces != null
                && budget.getSpec().scope.namespaces.stream().anyMatch(n -> !ns.equals(n));
        BudgetSpecValidator.Result validation =
                validator.validate(budget.getSpec(), ns, !selectsOthers || trust.trusted(ns));
        if (!validation.valid()) {
            return invalid(budget, context, validation, previous, generation, now);
        }
        BudgetPlan plan = validation.plan();
        BudgetObserver.Seen seen = observer.observe(budget, id, plan, now);
        if (!seen.historyLoaded()) {
            LOG.debug(
                    "budget {} waits for cost history from {}",
                    id,
                    seen.window().start());
            if (!plan.dryRun()) {
                actuator.hold(budget, plan, seen.window(), previous);
            }
            return UpdateControl.<CostBudget>noUpdate().rescheduleAfter(interval);
        }
        // decide
        BudgetEvaluator.Decision decision = evaluator.evaluate(plan, seen.observation(), previous, generation, now);
        CostBudgetStatus next = decision.status();
        next.spentDirect = seen.split() == null
                ? previousOr(previous, s -> s.spentDirect)
                : Money.text(seen.split().direct());
        next.spentShared = seen.split() == null
                ? previousOr(previous, s -> s.spentShared)
                : Money.text(seen.split().shared());
        // act: announce (a notification is recorded in status before its Event), then throttle and freeze, which
        // act only on fresh data and never in DryRun
        boolean recordedOnly = notices.announce(budget, plan, decision, previous, next, now);
        boolean acting = false;
        if (seen.data().available() && !plan.dryRun()) {
            // flags recorded in status are flipped by this apply: the finalizer must be there first
            boolean held = holdFinalizer(budget, context, budget.hasFinalizer(FINALIZER), next);
            acting = actuator.apply(budget, plan, next, now);
            holdFinalizer(budget, context, held, next);
        } else if (!plan.dryRun()) {
            actuator.hold(budget, plan, seen.window(), previous);
        }
        next.awaitingApproval = ActionPlanner.awaitingApproval(next);
        // report
        report.report(budget, plan, decision, seen, previous, next);
        if (recordedOnly || acting) {
            return withStatus(budget, context, previous, next).rescheduleAfter(Duration.ofMillis(1));
        }
        if (BudgetActuator.failedActions(next)) {
            return withStatus(budget, context, previous, next).rescheduleAfter(actuator.backoff(budget));
        }
        if (BudgetActuator.holdsActions(next)) {
            return withStatus(budget, context, previous, next);
        }
        // nothing in flight: the cost cycle evaluates it again when its inputs change, or at the next quarter hour
        settled.settle(budget, inputs);
        return StatusUpdate.of(context, budget, previous, next, CostBudget::new, null);
    }

    private UpdateControl<CostBudget> invalid(
            CostBudget budget,
            Context<CostBudget> context,
            BudgetSpecValidator.Result validation,
            CostBudgetStatus previous,
            long generation,
            Instant now) {
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        collector.forget(ns + "/" + name);
        CostBudgetStatus next = evaluator.invalid(validation.problems(), previous, generation, now);
        if (previous == null || !BudgetState.Invalid.name().equals(previous.state)) {
            LOG.info("budget {}/{} is Invalid: {}", ns, name, validation.problems());
        }
        metrics.budget(ns, name, currency, null, 0, BudgetState.Invalid.name(), null);
        return withStatus(budget, context, previous, next);
    }

    private static String previousOr(CostBudgetStatus previous, Function<CostBudgetStatus, String> f) {
        return previous == null ? null : f.apply(previous);
    }

    /** A reconcile that threw: Ready=False/ReconcileError in status, a Warning Event; JOSDK retries with backoff. */
    @Override
    public ErrorStatusUpdateControl<CostBudget> updateErrorStatus(
            CostBudget budget, Context<CostBudget> context, Exception e) {
        return errors.report(
                budget,
                context.getRetryInfo(),
                e,
                new ReconcileErrors.StatusShape<>(CostBudgetStatus::new, s -> s.conditions, (s, c) -> s.conditions = c),
                CostBudget::new);
    }

    /**
     * Adds the finalizer when status lists throttled flags and it is not {@code held}, removes it when none are left;
     * returns whether it is held now.
     */
    private boolean holdFinalizer(CostBudget budget, Context<CostBudget> context, boolean held, CostBudgetStatus next) {
        boolean needed = next.throttledFlags != null && !next.throttledFlags.isEmpty();
        if (needed == held) {
            return held;
        }
        String id =
                budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
        if (needed) {
            if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
                context.resourceOperations().addFinalizerWithSSA(FINALIZER);
            } else {
                context.resourceOperations().addFinalizer(FINALIZER);
            }
            LOG.info("budget {} holds a finalizer while it throttles flags: deleting it restores them first", id);
        } else {
            context.resourceOperations().removeFinalizer(FINALIZER);
            LOG.info("budget {} throttles no flag: finalizer removed", id);
        }
        return needed;
    }

    /**
     * Being deleted while holding the finalizer: restore the flags and lift the freeze, then release the finalizer
     * (retried with backoff while a flag cannot be restored).
     */
    private UpdateControl<CostBudget> deleting(CostBudget budget, Context<CostBudget> context) {
        String id =
                budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
        if (!actuator.undoAll(budget)) {
            return UpdateControl.<CostBudget>noUpdate().rescheduleAfter(actuator.backoff(budget));
        }
        forget(budget);
        context.resourceOperations().removeFinalizer(FINALIZER);
        LOG.info("budget {} is being deleted: flags restored, freeze lifted, finalizer removed", id);
        return UpdateControl.noUpdate();
    }

    private void forget(CostBudget budget) {
        unreadable.forget(budget);
        settled.unsettle(budget);
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        collector.forget(ns + "/" + name);
        insights.forget(ns + "/" + name);
        metrics.forgetBudget(
                ns,
                name,
                budget.getSpec() == null || budget.getSpec().currency == null ? currency : budget.getSpec().currency);
    }

    private UpdateControl<CostBudget> withStatus(
            CostBudget resource, Context<CostBudget> context, CostBudgetStatus previous, CostBudgetStatus next) {
        return StatusUpdate.of(context, resource, previous, next, CostBudget::new, interval);
    }
}

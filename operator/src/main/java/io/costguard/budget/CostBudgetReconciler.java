package io.costguard.budget;

import io.costguard.api.ActionResult;
import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetState;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetStatus;
import io.costguard.cost.CostCollector;
import io.costguard.cost.DataStatus;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.flags.FlagSwitch;
import io.costguard.forecast.Forecaster;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.CycleEventSource;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.NamespaceTrust;
import io.costguard.kube.StatusUpdate;
import io.costguard.metrics.OperatorMetrics;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a CostBudget: observe (spec, namespace trust, ledger) → decide ({@link BudgetEvaluator}) →
 * act (Notify events, recorded in status first) → report (status when changed, metrics).
 */
public final class CostBudgetReconciler implements Reconciler<CostBudget>, Cleaner<CostBudget> {
    private static final Logger LOG = LoggerFactory.getLogger(CostBudgetReconciler.class);
    public static final String THRESHOLD_EVENT = "BudgetThresholdCrossed";
    public static final String FORECAST_EVENT = "BudgetForecastExceeded";
    public static final String ANOMALY_EVENT = "CostAnomalyDetected";
    /** Event reason of a drop in spend (spec.anomaly.direction Decrease or Both); reported, never acted on. */
    public static final String DROP_EVENT = "CostDropDetected";
    /** Days of daily spend the anomaly detector looks at: four weeks of baseline and the week it judges. */
    static final int ANOMALY_DAYS = 35;

    private final CostCollector collector;
    private final NamespaceTrust trust;
    private final BudgetSpecValidator validator;
    private final BudgetEvaluator evaluator = new BudgetEvaluator();
    private final EventRecorder events;
    private final io.costguard.kube.UnreadableObjects unreadable;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final io.costguard.kube.ReconcileErrors errors;
    private final Duration interval;
    private final String currency;
    private final BudgetInsights insights;
    private final BudgetActuator actuator;

    public CostBudgetReconciler(
            CostCollector collector,
            NamespaceTrust trust,
            BudgetSpecValidator validator,
            EventRecorder events,
            OperatorMetrics metrics,
            Clock clock,
            Duration interval,
            String currency,
            FlagSwitch flags,
            FreezeRegistry freezes) {
        this.insights = new BudgetInsights(collector, events, metrics);
        this.actuator = new BudgetActuator(flags, freezes, interval);
        this.collector = collector;
        this.trust = trust;
        this.validator = validator;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.errors = new io.costguard.kube.ReconcileErrors(events, clock);
        this.unreadable = new io.costguard.kube.UnreadableObjects(events, metrics, clock);
        this.interval = interval;
        this.currency = currency;
    }

    @Override
    public List<EventSource<?, CostBudget>> prepareEventSources(EventSourceContext<CostBudget> context) {
        return List.of(new CycleEventSource<>(
                "cost-cycle", run -> collector.onCycle(status -> run.run()), context.getPrimaryCache()));
    }

    @Override
    public UpdateControl<CostBudget> reconcile(CostBudget budget, Context<CostBudget> context) {
        long t0 = System.nanoTime();
        try {
            return evaluate(budget);
        } finally {
            metrics.reconciled("CostBudget", Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private UpdateControl<CostBudget> evaluate(CostBudget budget) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        long generation = Objects.requireNonNullElse(budget.getMetadata().getGeneration(), 0L);
        CostBudgetStatus previous = budget.getStatus();
        String previousState = previous == null ? null : previous.state;
        if (unreadable.check(budget) == io.costguard.kube.UnreadableObjects.Verdict.STATUS) {
            return UpdateControl.noUpdate();
        }

        boolean selectsOthers = budget.getSpec() != null
                && budget.getSpec().scope != null
                && budget.getSpec().scope.namespaces != null
                && budget.getSpec().scope.namespaces.stream().anyMatch(n -> !ns.equals(n));
        BudgetSpecValidator.Result validation =
                validator.validate(budget.getSpec(), ns, !selectsOthers || trust.trusted(ns));
        if (!validation.valid()) {
            collector.forget(ns + "/" + name);
            CostBudgetStatus next = evaluator.invalid(validation.problems(), previous, generation, now);
            if (!BudgetState.Invalid.name().equals(previousState)) {
                LOG.info("budget {}/{} is Invalid: {}", ns, name, validation.problems());
            }
            metrics.budget(ns, name, currency, null, 0, BudgetState.Invalid.name(), null);
            return withStatus(budget, previous, next);
        }

        BudgetPlan plan = validation.plan();
        Period.Window window = plan.period().windowAt(now, plan.zone());
        DataStatus data = collector.status();
        Instant historyFrom = data.dataThrough().orElse(now).minus(Duration.ofDays(ANOMALY_DAYS + 1));
        collector.demand(ns + "/" + name, historyFrom.isBefore(window.start()) ? historyFrom : window.start());
        HourlyCostLedger ledger = collector.ledger();
        if (!data.collected()
                || ledger.coveredFrom(io.costguard.cost.CostQueries.COMPUTE).orElse(Long.MAX_VALUE) * 3600
                        > window.start().getEpochSecond()) {
            // the next cost cycle reads back to the period start and triggers us again
            LOG.debug("budget {}/{} waits for cost history from {}", ns, name, window.start());
            if (!plan.dryRun()) {
                actuator.hold(budget, plan, window, previous);
            }
            return UpdateControl.<CostBudget>noUpdate().rescheduleAfter(interval);
        }
        double spent = 0;
        io.costguard.cost.CostAllocation.Spend split = null;
        HourlyCostLedger.DataHours dataHours = null;
        if (data.dataThrough().isPresent()) {
            Instant until = data.dataThrough().get().isBefore(window.end())
                    ? data.dataThrough().get()
                    : window.end();
            split = collector.allocation().spend(ledger, plan.scope(), window.start(), until);
            spent = split.direct() + (plan.withShared() ? split.shared() : 0);
            dataHours = ledger.dataHours(
                    io.costguard.cost.CostQueries.COMPUTE,
                    window.start().getEpochSecond() / 3600,
                    Math.max(window.start().getEpochSecond(), until.getEpochSecond()) / 3600);
        }
        Forecaster.Result forecast = data.available() && data.dataThrough().isPresent()
                ? insights.forecast(
                        ns + "/" + name, plan, window, data.dataThrough().get(), spent)
                : null;
        BudgetEvaluator.AnomalyFindings anomalies =
                data.available() && data.dataThrough().isPresent()
                        ? insights.anomalies(budget, plan, data.dataThrough().get(), now)
                        : null;
        BudgetEvaluator.Decision decision = evaluator.evaluate(
                plan,
                new BudgetEvaluator.Observation(window, data, spent, forecast, anomalies, dataHours),
                previous,
                generation,
                now);
        CostBudgetStatus next = decision.status();
        next.spentDirect = split == null ? previousOr(previous, s -> s.spentDirect) : money(split.direct());
        next.spentShared = split == null ? previousOr(previous, s -> s.spentShared) : money(split.shared());
        BudgetEvaluator.ForecastWarning warning = decision.forecastWarning();
        if (warning != null) {
            // the event's fixed name is its own record: a repeat after a restart is a no-op
            events.once(
                    budget,
                    "forecast-" + warning.periodStart().getEpochSecond(),
                    EventRecorder.Type.Warning,
                    FORECAST_EVENT,
                    (plan.dryRun() ? "[DryRun] " : "") + warning.message(plan.currency()),
                    now);
            next.forecastExceededAt = now.toString();
            LOG.info(
                    "budget {}/{} forecast {} {} ({}%) crosses its {}% warning",
                    ns,
                    name,
                    warning.forecast(),
                    plan.currency(),
                    warning.forecastPercent(),
                    warning.warnAbovePercent());
        }

        // Record before acting: a notification is delivered only once a previous reconcile has written it to
        // status as Pending; a restart in between finds it there, and the event's fixed name makes a repeat a no-op.
        boolean recordedOnly = false;
        for (BudgetEvaluator.Notification n : decision.notifications()) {
            if (!wasRecorded(previous, n.percent())) {
                recordedOnly = true;
                continue;
            }
            boolean created = events.once(
                    budget,
                    "threshold-" + n.percent() + "-" + n.periodStart().getEpochSecond(),
                    EventRecorder.Type.Warning,
                    THRESHOLD_EVENT,
                    (n.dryRun() ? "[DryRun] " : "") + "spent " + n.spent() + " of " + n.amount() + " " + plan.currency()
                            + " (" + n.usedPercent() + "%), crossing the " + n.percent()
                            + "% threshold of the period starting " + n.periodStart(),
                    now);
            if (created) {
                metrics.thresholdCrossed(ns, name, n.percent());
                LOG.info(
                        "budget {}/{} crossed {}%: spent {} of {} {}",
                        ns, name, n.percent(), n.spent(), n.amount(), plan.currency());
            }
            BudgetEvaluator.markNotified(next, n.percent(), now);
        }
        // Throttle and Freeze act only on fresh data, and never in DryRun
        boolean acting = false;
        if (data.available() && !plan.dryRun()) {
            acting = actuator.apply(budget, plan, next, now);
        } else if (!plan.dryRun()) {
            actuator.hold(budget, plan, window, previous);
        }
        next.awaitingApproval = ActionPlanner.awaitingApproval(next);
        if (!decision.state().name().equals(previousState)) {
            LOG.info(
                    "budget {}/{}: {} -> {} (spent {} of {} {})",
                    ns,
                    name,
                    previousState,
                    decision.state(),
                    next.spent,
                    plan.amount().toPlainString(),
                    plan.currency());
        }
        metrics.budgetOwner(ns, name, plan.scope().selector());
        metrics.budgetDataCoverage(
                ns,
                name,
                !data.available() || dataHours == null || dataHours.hours() == 0
                        ? null
                        : (double) dataHours.withData() / dataHours.hours());
        if (dataHours != null
                && dataHours.missing() > 0
                && !Objects.equals(next.dataCoverage, previous == null ? null : previous.dataCoverage)) {
            LOG.info(
                    "budget {}/{}: {} of {} hours of the period have cost data ({})",
                    ns,
                    name,
                    dataHours.withData(),
                    dataHours.hours(),
                    next.dataCoverage);
        }
        metrics.budget(
                ns,
                name,
                plan.currency(),
                next.spent == null ? null : Double.parseDouble(next.spent),
                plan.amount().doubleValue(),
                decision.state().name(),
                next.forecast == null ? null : Double.parseDouble(next.forecast));
        metrics.budgetForecastInterval(
                ns,
                name,
                plan.currency(),
                next.forecastLow == null ? null : Double.parseDouble(next.forecastLow),
                next.forecastHigh == null ? null : Double.parseDouble(next.forecastHigh));
        UpdateControl<CostBudget> control = withStatus(budget, previous, next);
        if (recordedOnly || acting) {
            return control.rescheduleAfter(Duration.ofMillis(1));
        }
        if (BudgetActuator.failedActions(next)) {
            return control.rescheduleAfter(actuator.backoff(budget));
        }
        return control;
    }

    private static String previousOr(
            CostBudgetStatus previous, java.util.function.Function<CostBudgetStatus, String> f) {
        return previous == null ? null : f.apply(previous);
    }

    private static String money(double v) {
        return java.math.BigDecimal.valueOf(v)
                .setScale(2, java.math.RoundingMode.HALF_UP)
                .toPlainString();
    }

    private static boolean wasRecorded(CostBudgetStatus previous, int percent) {
        return previous != null
                && previous.crossedThresholds != null
                && previous.crossedThresholds.stream()
                        .anyMatch(c -> Objects.equals(c.percent, percent)
                                && c.actions.stream()
                                        .anyMatch(a ->
                                                BudgetAction.Notify.is(a.type) && ActionResult.Pending.is(a.result)));
    }

    /** A reconcile that threw: Ready=False/ReconcileError in status, a Warning Event; JOSDK retries with backoff. */
    @Override
    public io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl<CostBudget> updateErrorStatus(
            CostBudget budget, Context<CostBudget> context, Exception e) {
        return errors.report(
                budget,
                context.getRetryInfo(),
                e,
                new io.costguard.kube.ReconcileErrors.StatusShape<>(
                        io.costguard.api.CostBudgetStatus::new, s -> s.conditions, (s, c) -> s.conditions = c),
                CostBudget::new);
    }

    @Override
    public DeleteControl cleanup(CostBudget budget, Context<CostBudget> context) {
        unreadable.forget(budget);
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        if (!actuator.undoAll(budget)) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(actuator.backoff(budget));
        }
        collector.forget(ns + "/" + name);
        insights.forget(ns + "/" + name);
        metrics.forgetBudget(
                ns,
                name,
                budget.getSpec() == null || budget.getSpec().currency == null ? currency : budget.getSpec().currency);
        LOG.info("budget {}/{} deleted", ns, name);
        return DeleteControl.defaultDelete();
    }

    private UpdateControl<CostBudget> withStatus(
            CostBudget resource, CostBudgetStatus previous, CostBudgetStatus next) {
        return StatusUpdate.of(resource, previous, next, CostBudget::new, interval);
    }
}

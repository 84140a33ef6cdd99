package io.costguard.budget;

import io.costguard.api.ActionResult;
import io.costguard.api.BudgetAction;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetStatus;
import io.costguard.kube.EventRecorder;
import io.costguard.metrics.OperatorMetrics;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Events a budget's decision announces: a forecast warning, and a Notify for each crossed threshold. */
final class BudgetNotices {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetNotices.class);

    private final EventRecorder events;
    private final OperatorMetrics metrics;

    BudgetNotices(EventRecorder events, OperatorMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Sends what the decision announces and marks it in {@code next}. Returns true when a notification was only
     * recorded (status first, the Event on the next reconcile): a restart in between finds it there, and the Event's
     * fixed name makes a repeat a no-op.
     */
    boolean announce(
            CostBudget budget,
            BudgetPlan plan,
            BudgetEvaluator.Decision decision,
            CostBudgetStatus previous,
            CostBudgetStatus next,
            Instant now) {
        String id =
                budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
        BudgetEvaluator.ForecastWarning warning = decision.forecastWarning();
        if (warning != null) {
            // the event's fixed name is its own record: a repeat after a restart is a no-op
            events.once(
                    budget,
                    "forecast-" + warning.periodStart().getEpochSecond(),
                    EventRecorder.Type.Warning,
                    CostBudgetReconciler.FORECAST_EVENT,
                    (plan.dryRun() ? "[DryRun] " : "") + warning.message(plan.currency()),
                    now);
            next.forecastExceededAt = now.toString();
            LOG.info(
                    "budget {} forecast {} {} ({}%) crosses its {}% warning",
                    id, warning.forecast(), plan.currency(), warning.forecastPercent(), warning.warnAbovePercent());
        }
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
                    CostBudgetReconciler.THRESHOLD_EVENT,
                    (n.dryRun() ? "[DryRun] " : "") + "spent " + n.spent() + " of " + n.amount() + " " + plan.currency()
                            + " (" + n.usedPercent() + "%), crossing the " + n.percent()
                            + "% threshold of the period starting " + n.periodStart(),
                    now);
            if (created) {
                metrics.thresholdCrossed(
                        budget.getMetadata().getNamespace(),
                        budget.getMetadata().getName(),
                        n.percent());
                LOG.info(
                        "budget {} crossed {}%: spent {} of {} {}",
                        id, n.percent(), n.spent(), n.amount(), plan.currency());
            }
            BudgetEvaluator.markNotified(next, n.percent(), now);
        }
        return recordedOnly;
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
}

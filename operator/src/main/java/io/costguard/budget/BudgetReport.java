package io.costguard.budget;

import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetStatus;
import io.costguard.metrics.OperatorMetrics;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a budget's evaluation reports beside its status: its metrics, and a log line when its state changes. */
final class BudgetReport {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetReport.class);

    private final OperatorMetrics metrics;

    BudgetReport(OperatorMetrics metrics) {
        this.metrics = metrics;
    }

    void report(
            CostBudget budget,
            BudgetPlan plan,
            BudgetEvaluator.Decision decision,
            BudgetObserver.Seen seen,
            CostBudgetStatus previous,
            CostBudgetStatus next) {
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        String previousState = previous == null ? null : previous.state;
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
        var dataHours = seen.dataHours();
        metrics.budgetOwner(ns, name, plan.scope().selector());
        metrics.budgetDataCoverage(
                ns,
                name,
                !seen.data().available() || dataHours == null || dataHours.hours() == 0
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
    }
}

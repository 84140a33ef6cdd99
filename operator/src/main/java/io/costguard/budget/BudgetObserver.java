package io.costguard.budget;

import io.costguard.api.CostBudget;
import io.costguard.cost.CostAllocation;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostQueries;
import io.costguard.cost.DataStatus;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.forecast.Forecaster;
import java.time.Duration;
import java.time.Instant;

/**
 * What a budget's reconcile reads: the state of the cost data, the period's spend split into direct and shared,
 * the hours that have data, and (on fresh data) the forecast and the anomalies.
 */
final class BudgetObserver {
    /** Days of daily spend the anomaly detector looks at: four weeks of baseline and the week it judges. */
    static final int ANOMALY_DAYS = 35;

    /**
     * The observation. While {@code historyLoaded} is false the ledger does not reach back to the period start yet
     * (the next cost cycle reads it and triggers the budget again) and nothing else is read. {@code split} and
     * {@code dataHours} are null when no hour has data yet.
     */
    record Seen(
            boolean historyLoaded,
            Period.Window window,
            DataStatus data,
            double spent,
            CostAllocation.Spend split,
            HourlyCostLedger.DataHours dataHours,
            Forecaster.Result forecast,
            BudgetEvaluator.AnomalyFindings anomalies) {
        BudgetEvaluator.Observation observation() {
            return new BudgetEvaluator.Observation(window, data, spent, forecast, anomalies, dataHours);
        }
    }

    private final CostCollector collector;
    private final BudgetInsights insights;

    BudgetObserver(CostCollector collector, BudgetInsights insights) {
        this.collector = collector;
        this.insights = insights;
    }

    /** Asks the collector for history back to the period start (and the anomaly baseline), and reads what it has. */
    Seen observe(CostBudget budget, String id, BudgetPlan plan, Instant now) {
        Period.Window window = plan.period().windowAt(now, plan.zone());
        DataStatus data = collector.status();
        Instant historyFrom = data.dataThrough().orElse(now).minus(Duration.ofDays(ANOMALY_DAYS + 1));
        collector.demand(id, historyFrom.isBefore(window.start()) ? historyFrom : window.start());
        HourlyCostLedger ledger = collector.ledger();
        if (!data.collected()
                || ledger.coveredFrom(CostQueries.COMPUTE).orElse(Long.MAX_VALUE) * 3600
                        > window.start().getEpochSecond()) {
            return new Seen(false, window, data, 0, null, null, null, null);
        }
        double spent = 0;
        CostAllocation.Spend split = null;
        HourlyCostLedger.DataHours dataHours = null;
        if (data.dataThrough().isPresent()) {
            Instant through = data.dataThrough().get();
            Instant until = through.isBefore(window.end()) ? through : window.end();
            split = collector.allocation().spend(ledger, plan.scope(), window.start(), until);
            spent = counted(split, plan.withShared());
            dataHours = ledger.dataHours(
                    CostQueries.COMPUTE,
                    window.start().getEpochSecond() / 3600,
                    Math.max(window.start().getEpochSecond(), until.getEpochSecond()) / 3600);
        }
        boolean fresh = data.available() && data.dataThrough().isPresent();
        return new Seen(
                true,
                window,
                data,
                spent,
                split,
                dataHours,
                fresh ? insights.forecast(id, plan, window, data.dataThrough().get(), spent) : null,
                fresh ? insights.anomalies(budget, plan, data.dataThrough().get(), now) : null);
    }

    /**
     * What a budget counts as spent: the direct spend, plus the shared spend when it counts it, each in cents as
     * status shows them, so spent is spentDirect plus spentShared to the cent (rounding their exact sum instead can
     * be a cent off when both end in half a cent).
     */
    static double counted(CostAllocation.Spend split, boolean withShared) {
        if (!withShared) {
            return split.direct();
        }
        return Money.cents(split.direct()).add(Money.cents(split.shared())).doubleValue();
    }
}

package io.costguard.budget;

import io.costguard.cost.Scope;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/** A validated CostBudget spec, in the types the decisions need. */
public record BudgetPlan(
        BigDecimal amount,
        String currency,
        Period period,
        ZoneId zone,
        List<Threshold> thresholds,
        Scope scope,
        boolean dryRun,
        int forecastWarnPercent,
        io.costguard.anomaly.AnomalyDetector.Limits anomalyLimits,
        String volumeQuery,
        WarnOn forecastWarnOn,
        boolean withShared) {

    public BudgetPlan {
        thresholds = List.copyOf(thresholds);
    }

    /** What spec.forecast.warnOn compares with warnAbovePercent: the point forecast or its interval's high end. */
    public enum WarnOn {
        Forecast,
        Upper
    }

    /** A threshold: percent and actions by name (Notify, Throttle, Freeze), and whether it waits for approval. */
    public record Threshold(int percent, List<String> actions, boolean manual) {
        public Threshold {
            actions = List.copyOf(actions);
        }
    }
}

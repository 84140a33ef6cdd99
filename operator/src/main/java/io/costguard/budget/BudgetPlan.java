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

    /** A plan counting direct cost only (spec.costs Direct). */
    public BudgetPlan(
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
            WarnOn forecastWarnOn) {
        this(
                amount,
                currency,
                period,
                zone,
                thresholds,
                scope,
                dryRun,
                forecastWarnPercent,
                anomalyLimits,
                volumeQuery,
                forecastWarnOn,
                false);
    }

    /** A plan warning on the point forecast. */
    public BudgetPlan(
            BigDecimal amount,
            String currency,
            Period period,
            ZoneId zone,
            List<Threshold> thresholds,
            Scope scope,
            boolean dryRun,
            int forecastWarnPercent,
            io.costguard.anomaly.AnomalyDetector.Limits anomalyLimits,
            String volumeQuery) {
        this(
                amount,
                currency,
                period,
                zone,
                thresholds,
                scope,
                dryRun,
                forecastWarnPercent,
                anomalyLimits,
                volumeQuery,
                WarnOn.Forecast);
    }

    /** A plan warning when the forecast reaches 100 %. */
    public BudgetPlan(
            BigDecimal amount,
            String currency,
            Period period,
            ZoneId zone,
            List<Threshold> thresholds,
            Scope scope,
            boolean dryRun) {
        this(
                amount,
                currency,
                period,
                zone,
                thresholds,
                scope,
                dryRun,
                100,
                io.costguard.anomaly.AnomalyDetector.Limits.DEFAULT,
                null);
    }

    public BudgetPlan(
            BigDecimal amount,
            String currency,
            Period period,
            ZoneId zone,
            List<Threshold> thresholds,
            Scope scope,
            boolean dryRun,
            int forecastWarnPercent) {
        this(
                amount,
                currency,
                period,
                zone,
                thresholds,
                scope,
                dryRun,
                forecastWarnPercent,
                io.costguard.anomaly.AnomalyDetector.Limits.DEFAULT,
                null);
    }

    /** A threshold: percent and actions by name (Notify, Throttle, Freeze), and whether it waits for approval. */
    public record Threshold(int percent, List<String> actions, boolean manual) {
        public Threshold {
            actions = List.copyOf(actions);
        }
    }
}

package io.costguard.budget;

import io.costguard.api.ActionRecord;
import io.costguard.api.ActionResult;
import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetState;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.CostAnomaly;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.CrossedThreshold;
import io.costguard.api.SpecProblem;
import io.costguard.cost.DataStatus;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.forecast.Forecaster;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.status.Conditions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides a CostBudget's status from plain values: the plan, the period, what the ledger says it spent and
 * whether that data is fresh. Pure; the reconciler observes and acts.
 */
public final class BudgetEvaluator {

    /**
     * What the reconciler observed for one budget; {@code forecast} is null when none was attempted;
     * {@code dataHours}, the period's hours through dataThrough with and without cost data, null when not known.
     */
    public record Observation(
            Period.Window window,
            DataStatus data,
            double spent,
            Forecaster.Result forecast,
            AnomalyFindings anomalies,
            HourlyCostLedger.DataHours dataHours) {
        public Observation(Period.Window window, DataStatus data, double spent) {
            this(window, data, spent, null, null, null);
        }

        public Observation(Period.Window window, DataStatus data, double spent, Forecaster.Result forecast) {
            this(window, data, spent, forecast, null, null);
        }

        public Observation(
                Period.Window window,
                DataStatus data,
                double spent,
                Forecaster.Result forecast,
                AnomalyFindings anomalies) {
            this(window, data, spent, forecast, anomalies, null);
        }
    }

    /** Below this share of the period's hours with data, DataComplete turns False (nothing else changes). */
    public static final int DATA_COMPLETE_PERCENT = 90;

    /**
     * What the anomaly detector found in the recent days: {@code recent} (most recent last); or, when
     * {@code unavailableReason} is set, why it could not judge (InsufficientHistory, VolumeUnavailable).
     */
    public record AnomalyFindings(List<CostAnomaly> recent, ConditionReason unavailableReason, String message) {}

    /** Anomalies kept in status. */
    public static final int ANOMALIES_KEPT = 10;

    /**
     * The forecast (or, with warnOn Upper, its interval's high end: {@code forecast} and {@code forecastPercent} are
     * then that bound's) reached the plan's warning level for the first time this period.
     */
    public record ForecastWarning(
            String forecast,
            String amount,
            int forecastPercent,
            int warnAbovePercent,
            Instant periodStart,
            BudgetPlan.WarnOn on,
            String pointForecast) {
        public ForecastWarning(
                String forecast, String amount, int forecastPercent, int warnAbovePercent, Instant periodStart) {
            this(
                    forecast,
                    amount,
                    forecastPercent,
                    warnAbovePercent,
                    periodStart,
                    BudgetPlan.WarnOn.Forecast,
                    forecast);
        }

        /** The BudgetForecastExceeded event's message: it says which figure crossed. */
        public String message(String currency) {
            String what =
                    on == BudgetPlan.WarnOn.Upper ? "the high end of the forecast's 80 % interval, " : "forecast ";
            return what + forecast + " of " + amount + " " + currency + " (" + forecastPercent
                    + "%) by the end of the period, at or above the "
                    + warnAbovePercent + "% warning"
                    + (on == BudgetPlan.WarnOn.Upper
                            ? " (spec.forecast.warnOn: Upper; point forecast " + pointForecast + ")"
                            : "");
        }
    }

    /** A Notify to deliver: the threshold, and the figures its event reports. */
    public record Notification(
            int percent, String spent, String amount, int usedPercent, Instant periodStart, boolean dryRun) {}

    /** The status to write, the notifications to deliver once it is recorded, and a forecast warning to send. */
    public record Decision(
            CostBudgetStatus status,
            List<Notification> notifications,
            BudgetState state,
            ForecastWarning forecastWarning) {
        public Decision(CostBudgetStatus status, List<Notification> notifications, BudgetState state) {
            this(status, notifications, state, null);
        }
    }

    public Decision evaluate(
            BudgetPlan plan, Observation obs, CostBudgetStatus previous, long generation, Instant now) {
        CostBudgetStatus prev = previous == null ? new CostBudgetStatus() : previous;
        CostBudgetStatus next = new CostBudgetStatus();
        next.observedGeneration = generation;
        next.periodStart = obs.window().start().toString();
        next.periodEnd = obs.window().end().toString();
        boolean samePeriod = next.periodStart.equals(prev.periodStart);
        next.crossedThresholds = samePeriod ? copy(prev.crossedThresholds) : new ArrayList<>();
        next.throttledFlags = prev.throttledFlags;
        next.deploysFrozen = prev.deploysFrozen;
        next.anomalies = prev.anomalies;
        next.forecast = samePeriod ? prev.forecast : null;
        next.forecastPercent = samePeriod ? prev.forecastPercent : null;
        next.forecastLow = samePeriod ? prev.forecastLow : null;
        next.forecastHigh = samePeriod ? prev.forecastHigh : null;
        next.forecastExceededAt = samePeriod ? prev.forecastExceededAt : null;
        List<Notification> notifications = new ArrayList<>();

        if (!obs.data().available()) {
            // keep the last known figures of this period, judge nothing
            next.spent = samePeriod ? prev.spent : null;
            next.usedPercent = samePeriod ? prev.usedPercent : null;
            next.used = samePeriod ? prev.used : null;
            next.dataThrough = samePeriod ? prev.dataThrough : null;
            next.dataCoveragePercent = samePeriod ? prev.dataCoveragePercent : null;
            next.dataCoverage = samePeriod ? prev.dataCoverage : null;
            next.state = BudgetState.Unknown.name();
            ConditionReason reason =
                    obs.data().reason().map(FailureKind::reason).orElse(ConditionReason.NotCollected);
            next.conditions = Conditions.with(
                    prev.conditions,
                    ConditionType.DataAvailable,
                    false,
                    reason,
                    obs.data().message(),
                    generation,
                    now);
            next.conditions = Conditions.notReadyWithoutData(
                    next.conditions,
                    "no action is taken without fresh cost data: " + obs.data().message(),
                    generation,
                    now);
            return new Decision(next, notifications, BudgetState.Unknown);
        }

        BigDecimal spent = Money.cents(obs.spent());
        // judged on the spend as shown, so that "8680.00" and its percent never disagree
        BigDecimal exactPercent =
                spent.multiply(BigDecimal.valueOf(100)).divide(plan.amount(), 6, RoundingMode.HALF_UP);
        int usedPercent = (int) Math.min(
                Integer.MAX_VALUE, exactPercent.setScale(0, RoundingMode.FLOOR).longValue());
        next.spent = spent.toPlainString();
        next.usedPercent = usedPercent;
        next.used = usedPercent + "%";
        next.dataThrough = obs.data().dataThrough().map(Instant::toString).orElse(null);

        List<Integer> percents =
                plan.thresholds().stream().map(BudgetPlan.Threshold::percent).toList();
        BudgetState state = BudgetState.forUsed(exactPercent.doubleValue(), percents);
        next.state = state.name();

        for (BudgetPlan.Threshold t : plan.thresholds()) {
            if (exactPercent.compareTo(BigDecimal.valueOf(t.percent())) < 0) {
                continue;
            }
            CrossedThreshold crossed = next.crossedThresholds.stream()
                    .filter(c -> Objects.equals(c.percent, t.percent()))
                    .findFirst()
                    .orElse(null);
            if (crossed == null) {
                List<ActionRecord> actions = new ArrayList<>();
                for (String action : t.actions()) {
                    ActionResult result;
                    String reason = null;
                    if (BudgetAction.Notify.is(action)) {
                        result = ActionResult.Pending;
                    } else if (plan.dryRun()) {
                        result = ActionResult.DryRun;
                        reason = "enforcement: DryRun evaluates and reports, and acts on nothing";
                    } else if (t.manual()) {
                        result = ActionResult.PendingApproval;
                        reason = "waiting for the annotation costguard.io/approve: \"" + t.percent() + "\"";
                    } else {
                        result = ActionResult.Pending;
                    }
                    actions.add(new ActionRecord(action, result.name(), now.toString(), reason));
                }
                crossed = new CrossedThreshold(t.percent(), now.toString(), actions);
                next.crossedThresholds.add(crossed);
            }
            for (ActionRecord a : crossed.actions) {
                if (BudgetAction.Notify.is(a.type) && ActionResult.Pending.is(a.result)) {
                    notifications.add(new Notification(
                            t.percent(),
                            next.spent,
                            plan.amount().toPlainString(),
                            usedPercent,
                            obs.window().start(),
                            plan.dryRun()));
                }
            }
        }

        ForecastWarning warning = null;
        List<io.fabric8.kubernetes.api.model.Condition> conditions = prev.conditions;
        if (obs.forecast() instanceof Forecaster.Forecast f) {
            BigDecimal forecast = Money.cents(f.endOfPeriod());
            BigDecimal high = Money.cents(f.high());
            int percent = percentOf(forecast, plan.amount());
            next.forecast = forecast.toPlainString();
            next.forecastPercent = percent;
            next.forecastLow = Money.cents(f.low()).toPlainString();
            next.forecastHigh = high.toPlainString();
            conditions = Conditions.with(
                    conditions,
                    ConditionType.ForecastAvailable,
                    true,
                    ConditionReason.Forecast,
                    "end-of-period spend " + next.forecast + " " + plan.currency() + " (" + percent
                            + "%), 80 % interval " + next.forecastLow + " to " + next.forecastHigh + "; " + f.model(),
                    generation,
                    now);
            boolean upper = plan.forecastWarnOn() == BudgetPlan.WarnOn.Upper;
            int compared = upper ? percentOf(high, plan.amount()) : percent;
            if (compared >= plan.forecastWarnPercent() && next.forecastExceededAt == null) {
                warning = new ForecastWarning(
                        upper ? next.forecastHigh : next.forecast,
                        plan.amount().toPlainString(),
                        compared,
                        plan.forecastWarnPercent(),
                        obs.window().start(),
                        plan.forecastWarnOn(),
                        next.forecast);
            }
        } else if (obs.forecast() instanceof Forecaster.InsufficientHistory h) {
            next.forecast = null;
            next.forecastPercent = null;
            next.forecastLow = null;
            next.forecastHigh = null;
            conditions = Conditions.with(
                    conditions,
                    ConditionType.ForecastAvailable,
                    false,
                    ConditionReason.InsufficientHistory,
                    "a forecast needs " + h.need() + "h of cost history for this scope; it has " + h.have() + "h",
                    generation,
                    now);
        }
        if (obs.anomalies() != null) {
            AnomalyFindings a = obs.anomalies();
            if (a.unavailableReason() != null) {
                conditions = Conditions.unknown(
                        conditions, ConditionType.AnomalyDetected, a.unavailableReason(), a.message(), generation, now);
            } else {
                List<CostAnomaly> kept = new ArrayList<>(prev.anomalies == null ? List.of() : prev.anomalies);
                // a running day's judgement lasts until the next one: the findings carry it again while it still holds
                kept.removeIf(k -> Boolean.TRUE.equals(k.partial));
                for (CostAnomaly found : a.recent()) {
                    kept.removeIf(k -> Objects.equals(k.day, found.day));
                    kept.add(found);
                }
                kept.sort(java.util.Comparator.comparing((CostAnomaly k) -> k.day));
                next.anomalies = kept.isEmpty()
                        ? null
                        : List.copyOf(kept.subList(Math.max(0, kept.size() - ANOMALIES_KEPT), kept.size()));
                String note = a.message() == null ? "" : "; " + a.message();
                if (a.recent().isEmpty()) {
                    conditions = Conditions.with(
                            conditions,
                            ConditionType.AnomalyDetected,
                            false,
                            ConditionReason.NoAnomaly,
                            "no day in the last week is out of line with its seasonal baseline" + note,
                            generation,
                            now);
                } else {
                    CostAnomaly last = a.recent().get(a.recent().size() - 1);
                    conditions = Conditions.with(
                            conditions,
                            ConditionType.AnomalyDetected,
                            true,
                            ConditionReason.SpendAnomaly,
                            "spend on " + last.day + (last.hours == null ? "" : " " + last.hours + " (day running)")
                                    + " was "
                                    + ("Decrease".equals(last.direction) ? "down: " : "up: ") + last.spend + " against "
                                    + last.expected
                                    + " expected (" + (last.zScore == null ? "" : "z " + last.zScore + ", ")
                                    + last.changePercent
                                    + "% day over day)" + note,
                            generation,
                            now);
                }
            }
        }
        conditions = dataCoverage(next, obs.dataHours(), conditions, generation, now);
        next.conditions = Conditions.with(
                conditions,
                ConditionType.DataAvailable,
                true,
                ConditionReason.CostDataFresh,
                obs.data().message(),
                generation,
                now);
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Ready,
                true,
                ConditionReason.Evaluated,
                "spent " + next.spent + " " + plan.currency() + " of "
                        + plan.amount().toPlainString() + " (" + next.used + ") this "
                        + plan.period().name().toLowerCase() + " period",
                generation,
                now);
        return new Decision(next, notifications, state, warning);
    }

    /**
     * Sets dataCoverage from the period's hours with and without data and the DataComplete condition: False under
     * {@link #DATA_COMPLETE_PERCENT}, naming the missing hours. Only said: actions still follow the spend read.
     */
    private static List<io.fabric8.kubernetes.api.model.Condition> dataCoverage(
            CostBudgetStatus next,
            HourlyCostLedger.DataHours d,
            List<io.fabric8.kubernetes.api.model.Condition> conditions,
            long generation,
            Instant now) {
        if (d == null) {
            return conditions;
        }
        if (d.hours() == 0) {
            return Conditions.with(
                    conditions,
                    ConditionType.DataComplete,
                    true,
                    ConditionReason.Complete,
                    "no complete hour of this period yet",
                    generation,
                    now);
        }
        int percent = (int) ((long) d.withData() * 100 / d.hours());
        next.dataCoveragePercent = percent;
        next.dataCoverage = percent + "%";
        if (d.missing() == 0) {
            return Conditions.with(
                    conditions,
                    ConditionType.DataComplete,
                    true,
                    ConditionReason.Complete,
                    "all " + d.hours() + " hours of this period have cost data",
                    generation,
                    now);
        }
        String missing = d.missing() + " of " + d.hours() + " hours of this period have no cost data ("
                + next.dataCoverage
                + " covered), between " + Instant.ofEpochSecond(d.firstMissing().getAsLong() * 3600) + " and "
                + Instant.ofEpochSecond((d.lastMissing().getAsLong() + 1) * 3600);
        if (percent >= DATA_COMPLETE_PERCENT) {
            return Conditions.with(
                    conditions,
                    ConditionType.DataComplete,
                    true,
                    ConditionReason.MostlyComplete,
                    missing,
                    generation,
                    now);
        }
        return Conditions.with(
                conditions,
                ConditionType.DataComplete,
                false,
                ConditionReason.MissingHours,
                missing + ", under "
                        + DATA_COMPLETE_PERCENT
                        + "%: missing hours count no spend, the forecast leaves them out of its history "
                        + "and days with under " + io.costguard.anomaly.DailySpend.MIN_COVERAGE_PERCENT
                        + "% of their hours are not judged for anomalies",
                generation,
                now);
    }

    private static int percentOf(BigDecimal value, BigDecimal amount) {
        return (int) Math.min(
                Integer.MAX_VALUE,
                value.multiply(BigDecimal.valueOf(100))
                        .divide(amount, 0, RoundingMode.FLOOR)
                        .longValue());
    }

    /** Status of a spec that cannot be evaluated; figures of the period are kept, nothing is acted on. */
    public CostBudgetStatus invalid(
            List<SpecProblem> problems, CostBudgetStatus previous, long generation, Instant now) {
        CostBudgetStatus prev = previous == null ? new CostBudgetStatus() : previous;
        CostBudgetStatus next = copyStatus(prev);
        next.observedGeneration = generation;
        next.state = BudgetState.Invalid.name();
        String message = problems.stream()
                .map(SpecProblem::toString)
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid spec");
        next.conditions = Conditions.with(
                prev.conditions, ConditionType.Ready, false, ConditionReason.InvalidSpec, message, generation, now);
        return next;
    }

    /** Marks the delivered notification's action Done. */
    public static void markNotified(CostBudgetStatus status, int percent, Instant now) {
        for (CrossedThreshold c : status.crossedThresholds) {
            if (Objects.equals(c.percent, percent)) {
                for (ActionRecord a : c.actions) {
                    if (BudgetAction.Notify.is(a.type) && ActionResult.Pending.is(a.result)) {
                        a.result = ActionResult.Done.name();
                        a.at = now.toString();
                    }
                }
            }
        }
    }

    /** Runs on every evaluation, so by hand; the records are small and their fields few. */
    private static List<CrossedThreshold> copy(List<CrossedThreshold> list) {
        List<CrossedThreshold> out = new ArrayList<>();
        if (list != null) {
            for (CrossedThreshold c : list) {
                List<ActionRecord> actions = new ArrayList<>();
                for (ActionRecord a : c.actions) {
                    actions.add(new ActionRecord(a.type, a.result, a.at, a.reason));
                }
                out.add(new CrossedThreshold(c.percent, c.crossedAt, actions));
            }
        }
        return out;
    }

    /** Deep copy through Jackson, so that a field added to the status is never forgotten here (an invalid spec keeps all). */
    private static CostBudgetStatus copyStatus(CostBudgetStatus s) {
        CostBudgetStatus n = COPIER.convertValue(s, CostBudgetStatus.class);
        n.crossedThresholds = copy(s.crossedThresholds);
        return n;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper COPIER =
            new com.fasterxml.jackson.databind.ObjectMapper();
}

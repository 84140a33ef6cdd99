package io.costguard.budget;

import io.costguard.api.ConditionReason;
import io.costguard.api.CostAnomaly;
import io.costguard.api.CostBudget;
import io.costguard.cost.CostCollector;
import io.costguard.forecast.Forecaster;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.ObjectKeys;
import io.costguard.metrics.OperatorMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a budget's history says beyond its spend: the end-of-period forecast (once per new hour of data),
 * anomalous days (once per new day) and the running day (once per new hour), each cached per budget.
 * New anomalies are reported as events named
 * after their day, so a repeat after a restart is a no-op.
 */
final class BudgetInsights {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetInsights.class);

    private final CostCollector collector;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Forecaster forecaster = new Forecaster();
    private final io.costguard.anomaly.AnomalyDetector detector = new io.costguard.anomaly.AnomalyDetector();
    private final io.costguard.anomaly.RunningDayJudge runningDay = new io.costguard.anomaly.RunningDayJudge();
    private final Map<String, CachedForecast> forecasts = new ConcurrentHashMap<>();
    private final Map<String, CachedFindings> findings = new ConcurrentHashMap<>();

    BudgetInsights(CostCollector collector, EventRecorder events, OperatorMetrics metrics) {
        this.collector = collector;
        this.events = events;
        this.metrics = metrics;
    }

    void forget(String id) {
        forecasts.remove(id);
        findings.remove(id);
    }

    /** Forecast once per new hour of data (or change of scope or period), not every cycle. */
    Forecaster.Result forecast(String id, BudgetPlan plan, Period.Window window, Instant through, double spent) {
        ForecastKey key = new ForecastKey(through, plan.scope(), window);
        CachedForecast cached = forecasts.get(id);
        if (cached != null && cached.key().equals(key)) {
            return cached.result();
        }
        long throughHour = through.getEpochSecond() / 3600;
        long fromHour = Math.max(
                throughHour - Forecaster.MAX_HOURS,
                collector
                        .ledger()
                        .coveredFrom(io.costguard.cost.CostQueries.COMPUTE)
                        .orElse(throughHour));
        // hours without data are NaN, for the forecaster to fill: a Prometheus outage is not a drop in spend
        double[] hourly = collector.ledger().hourlyWithGaps(plan.scope(), fromHour, throughHour);
        int firstCost = 0;
        while (firstCost < hourly.length && !(hourly[firstCost] > 0)) {
            firstCost++;
        }
        // hours before the scope's first cost (or the first data) are not history, they are before it existed
        double[] history = java.util.Arrays.copyOfRange(hourly, firstCost, hourly.length);
        // the forecaster remembers the day's replay of this history: the other hours, and other budgets over the same
        // scope and period, cost microseconds; a deleted budget's replay goes with its day's
        Forecaster.Result result = forecaster.forecast(
                history,
                fromHour + firstCost,
                spent,
                window.start().getEpochSecond(),
                through.getEpochSecond(),
                window.end().getEpochSecond());
        forecasts.put(id, new CachedForecast(key, result));
        return result;
    }

    /**
     * Judges the recent complete days once per new day of data, and the running day once per new hour of it; a new
     * anomaly is reported by an event named after its day and direction, so a repeat after a restart, or the daily
     * record confirming what the running day already showed, is a no-op.
     */
    BudgetEvaluator.AnomalyFindings anomalies(CostBudget budget, BudgetPlan plan, Instant through, Instant now) {
        String id = ObjectKeys.of(
                budget.getMetadata().getNamespace(), budget.getMetadata().getName());
        java.time.LocalDate today = through.atZone(plan.zone()).toLocalDate();
        long throughHour = through.getEpochSecond() / 3600;
        FindingsKey key = new FindingsKey(today, plan.scope(), plan.zone(), plan.anomalyLimits(), plan.volumeQuery());
        CachedFindings cached = findings.get(id);
        if (cached != null && cached.key().equals(key) && cached.throughHour() == throughHour) {
            return cached.findings();
        }
        // the local days before the one holding `through`, and that one
        List<java.time.LocalDate> days = new java.util.ArrayList<>();
        java.time.LocalDate first = today.minusDays(BudgetObserver.ANOMALY_DAYS);
        for (java.time.LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            days.add(d);
        }
        long fromHour = days.get(0).atStartOfDay(plan.zone()).toEpochSecond() / 3600;
        double[][] hours =
                dayHours(plan, days, observedHours(plan, fromHour, Math.max(fromHour, throughHour)), fromHour);
        int whole = days.size() - 1;
        BudgetEvaluator.AnomalyFindings daily = cached != null && cached.key().equals(key)
                ? cached.daily()
                : judgeDays(budget, plan, days.subList(0, whole), java.util.Arrays.copyOf(hours, whole), now);
        BudgetEvaluator.AnomalyFindings result = daily;
        if (daily.unavailableReason() == null && plan.volumeQuery() == null) {
            int complete = (int) (throughHour - fromHour - hoursBefore(hours));
            CostAnomaly running = judgeRunningDay(budget, plan, today, hours, complete, now);
            if (running != null) {
                List<CostAnomaly> recent = new java.util.ArrayList<>(daily.recent());
                recent.add(running);
                result = new BudgetEvaluator.AnomalyFindings(recent, null, null);
            }
        }
        findings.put(id, new CachedFindings(key, throughHour, daily, result));
        return result;
    }

    /** The scope's hourly cost over [fromHour, toHour), NaN for an hour the ledger has no cost data for. */
    private double[] observedHours(BudgetPlan plan, long fromHour, long toHour) {
        return collector.ledger().hourlyWithGaps(plan.scope(), fromHour, toHour);
    }

    /**
     * Each day's hours (NaN without data, and for the running day's hours still to come). Days before the scope's
     * first cost are all NaN: they are before it existed, not days without spend.
     */
    private static double[][] dayHours(
            BudgetPlan plan, List<java.time.LocalDate> days, double[] hourly, long fromHour) {
        double[][] out = new double[days.size()][];
        boolean started = false;
        for (int i = 0; i < days.size(); i++) {
            long start = days.get(i).atStartOfDay(plan.zone()).toEpochSecond() / 3600;
            long end = days.get(i).plusDays(1).atStartOfDay(plan.zone()).toEpochSecond() / 3600;
            out[i] = new double[(int) (end - start)];
            for (long h = start; h < end; h++) {
                int k = (int) (h - fromHour);
                out[i][(int) (h - start)] = k < hourly.length ? hourly[k] : Double.NaN;
                started |= k < hourly.length && hourly[k] > 0;
            }
            if (!started) {
                java.util.Arrays.fill(out[i], Double.NaN);
            }
        }
        return out;
    }

    private static int hoursBefore(double[][] hours) {
        int n = 0;
        for (int i = 0; i < hours.length - 1; i++) {
            n += hours[i].length;
        }
        return n;
    }

    /** A day's spend, or NaN when fewer than 75 % of its hours (18 of 24) have data: such a day is not judged. */
    static double daySpend(double[] hours) {
        return io.costguard.anomaly.DailySpend.total(hours, 0, hours.length);
    }

    private BudgetEvaluator.AnomalyFindings judgeDays(
            CostBudget budget, BudgetPlan plan, List<java.time.LocalDate> days, double[][] hours, Instant now) {
        double[] daily = new double[days.size()];
        int have = 0;
        for (int i = 0; i < days.size(); i++) {
            daily[i] = daySpend(hours[i]);
            have += Double.isNaN(daily[i]) ? 0 : 1;
        }
        if (have <= io.costguard.anomaly.AnomalyDetector.MIN_DAYS) {
            int need = io.costguard.anomaly.AnomalyDetector.MIN_DAYS + 1;
            return new BudgetEvaluator.AnomalyFindings(
                    List.of(),
                    ConditionReason.InsufficientHistory,
                    "anomaly detection needs " + need + " days with cost data for this scope; it has " + have);
        }
        double[] volume = null;
        if (plan.volumeQuery() != null) {
            volume = volume(plan, days);
            if (volume == null) {
                return new BudgetEvaluator.AnomalyFindings(
                        List.of(),
                        ConditionReason.VolumeUnavailable,
                        "spec.anomaly.volumeQuery gave no usable answer; cost per unit of volume cannot be judged");
            }
        }
        List<CostAnomaly> found = new java.util.ArrayList<>();
        AnomalyDrivers drivers = null;
        for (io.costguard.anomaly.AnomalyDetector.Anomaly a : detector.detect(daily, volume, plan.anomalyLimits(), 7)) {
            // per-key spend is read only when a day is flagged, once for all of them
            drivers = drivers != null
                    ? drivers
                    : AnomalyDrivers.read(collector.ledger(), plan.scope(), plan.zone(), days, daily, volume);
            CostAnomaly c = status(days.get(a.day()).toString(), a);
            c.drivers = drivers.on(
                    a.day(),
                    a.drop() ? io.costguard.anomaly.Direction.Decrease : io.costguard.anomaly.Direction.Increase);
            found.add(c);
            report(budget, plan, c, "spend on " + c.day + " was ", now);
        }
        int first = 0;
        while (first < days.size() && java.util.Arrays.stream(hours[first]).allMatch(Double::isNaN)) {
            first++; // before the scope's first cost
        }
        List<String> unjudged = new java.util.ArrayList<>();
        for (int i = Math.max(first, days.size() - 7); i < days.size(); i++) {
            if (Double.isNaN(daily[i])) {
                unjudged.add(days.get(i).toString());
            }
        }
        String note = unjudged.isEmpty()
                ? null
                : "not judged for lack of cost data (under " + io.costguard.anomaly.DailySpend.MIN_COVERAGE_PERCENT
                        + "% of their hours): " + String.join(", ", unjudged);
        return new BudgetEvaluator.AnomalyFindings(found, null, note);
    }

    /** The running day's hours so far against the same hours of the earlier days; null when nothing stands out. */
    private CostAnomaly judgeRunningDay(
            CostBudget budget,
            BudgetPlan plan,
            java.time.LocalDate today,
            double[][] hours,
            int complete,
            Instant now) {
        io.costguard.anomaly.RunningDayJudge.Finding f = runningDay.judge(hours, complete, plan.anomalyLimits());
        if (f == null) {
            return null;
        }
        CostAnomaly c = status(today.toString(), f.anomaly());
        c.partial = true;
        c.hours = String.format(java.util.Locale.ROOT, "%02d:00-%02d:00", f.fromHour(), f.toHour());
        report(budget, plan, c, "spend on " + c.day + " " + c.hours + " (day running) was ", now);
        return c;
    }

    private static CostAnomaly status(String day, io.costguard.anomaly.AnomalyDetector.Anomaly a) {
        CostAnomaly c = new CostAnomaly();
        c.day = day;
        c.direction = a.drop() ? "Decrease" : "Increase";
        c.spend = Money.text(a.spend());
        c.expected = Money.text(a.expected());
        c.zScore = Double.isNaN(a.zScore()) ? null : Math.round(a.zScore() * 10) / 10.0;
        c.changePercent = (int) Math.round(a.changePercent());
        return c;
    }

    /** One event per day and direction: the daily record of a day the running day already reported adds none. */
    private void report(CostBudget budget, BudgetPlan plan, CostAnomaly c, String what, Instant now) {
        boolean drop = "Decrease".equals(c.direction);
        String id =
                budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
        boolean created = events.once(
                budget,
                (drop ? "drop-" : "anomaly-") + c.day,
                EventRecorder.Type.Warning,
                drop ? CostBudgetReconciler.DROP_EVENT : CostBudgetReconciler.ANOMALY_EVENT,
                what + c.spend + " " + plan.currency() + " against " + c.expected + " expected: "
                        + (c.zScore == null ? "" : "z-score " + c.zScore + ", ") + c.changePercent + "% day over day"
                        + (plan.volumeQuery() == null ? "" : ", per unit of volume")
                        + AnomalyDrivers.sentence(c.drivers, plan.currency()),
                now);
        if (created) {
            metrics.anomalyDetected(
                    budget.getMetadata().getNamespace(), budget.getMetadata().getName());
            LOG.info(
                    "budget {} spend {} on {}{}: {} against {} expected",
                    id,
                    drop ? "drop" : "anomaly",
                    c.day,
                    c.hours == null ? "" : " " + c.hours,
                    c.spend,
                    c.expected);
        }
    }

    /** Daily volume from the budget's volumeQuery, summed over hours; null when the query fails. */
    private double[] volume(BudgetPlan plan, List<java.time.LocalDate> days) {
        Instant from = days.get(0).atStartOfDay(plan.zone()).toInstant();
        Instant to =
                days.get(days.size() - 1).plusDays(1).atStartOfDay(plan.zone()).toInstant();
        io.costguard.prometheus.QueryOutcome outcome = collector
                .prometheus()
                .queryRange("volume", plan.volumeQuery(), from.plusSeconds(3600), to, Duration.ofHours(1));
        if (!(outcome instanceof io.costguard.prometheus.QueryOutcome.Success ok)
                || ok.series().isEmpty()) {
            return null;
        }
        double[] daily = new double[days.size()];
        for (io.costguard.prometheus.Series s : ok.series()) {
            for (int i = 0; i < s.size(); i++) {
                Instant hourStart = Instant.ofEpochSecond(s.timestamps()[i] - 3600);
                int d = (int) java.time.temporal.ChronoUnit.DAYS.between(
                        days.get(0), hourStart.atZone(plan.zone()).toLocalDate());
                if (d >= 0 && d < daily.length) {
                    daily[d] += s.values()[i];
                }
            }
        }
        return daily;
    }

    private record FindingsKey(
            java.time.LocalDate day,
            io.costguard.cost.Scope scope,
            java.time.ZoneId zone,
            io.costguard.anomaly.AnomalyDetector.Limits limits,
            String volumeQuery) {}

    /** {@code daily}: the complete days' judgement (once per day); {@code findings}: with the running day's. */
    private record CachedFindings(
            FindingsKey key,
            long throughHour,
            BudgetEvaluator.AnomalyFindings daily,
            BudgetEvaluator.AnomalyFindings findings) {}

    private record ForecastKey(Instant through, io.costguard.cost.Scope scope, Period.Window window) {}

    private record CachedForecast(ForecastKey key, Forecaster.Result result) {}
}

package io.costguard.budget;

import io.costguard.api.CostAnomaly;
import io.costguard.api.CostBudget;
import io.costguard.cost.CostCollector;
import io.costguard.forecast.Forecaster;
import io.costguard.kube.EventRecorder;
import io.costguard.metrics.OperatorMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a budget's history says beyond its spend: the end-of-period forecast (once per new hour of data) and
 * anomalous days (once per new day), each cached per budget. New anomalies are reported as events named
 * after their day, so a repeat after a restart is a no-op.
 */
final class BudgetInsights {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetInsights.class);

  private final CostCollector collector;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Forecaster forecaster = new Forecaster();
  private final io.costguard.anomaly.AnomalyDetector detector = new io.costguard.anomaly.AnomalyDetector();
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
    long fromHour = Math.max(throughHour - Forecaster.MAX_HOURS,
        collector.ledger().coveredFrom(io.costguard.cost.CostQueries.COMPUTE).orElse(throughHour));
    double[] hourly = collector.ledger().hourly(plan.scope(), fromHour, throughHour);
    int firstCost = 0;
    while (firstCost < hourly.length && hourly[firstCost] == 0) {
      firstCost++;
    }
    // hours before the scope's first cost are not history, they are before it existed
    double[] history = java.util.Arrays.copyOfRange(hourly, firstCost, hourly.length);
    Forecaster.Result result = forecaster.forecast(history, fromHour + firstCost, spent, window.start().getEpochSecond(),
        through.getEpochSecond(), window.end().getEpochSecond());
    forecasts.put(id, new CachedForecast(key, result));
    return result;
  }

  /** Judges the recent days once per new day of data; a new anomaly is reported by an event named after its day. */
  BudgetEvaluator.AnomalyFindings anomalies(CostBudget budget, BudgetPlan plan, Instant through, Instant now) {
    String id = budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
    java.time.LocalDate today = through.atZone(plan.zone()).toLocalDate();
    FindingsKey key = new FindingsKey(today, plan.scope(), plan.zone(), plan.anomalyLimits(), plan.volumeQuery());
    CachedFindings cached = findings.get(id);
    if (cached != null && cached.key().equals(key)) {
      return cached.findings();
    }
    // whole local days before the one holding `through`
    List<java.time.LocalDate> days = new java.util.ArrayList<>();
    for (java.time.LocalDate d = today.minusDays(CostBudgetReconciler.ANOMALY_DAYS); d.isBefore(today); d = d.plusDays(1)) {
      days.add(d);
    }
    long fromHour = days.get(0).atStartOfDay(plan.zone()).toEpochSecond() / 3600;
    long toHour = today.atStartOfDay(plan.zone()).toEpochSecond() / 3600;
    long covered = collector.ledger().coveredFrom(io.costguard.cost.CostQueries.COMPUTE).orElse(toHour);
    double[] hourly = collector.ledger().hourly(plan.scope(), fromHour, toHour);
    double[] daily = new double[days.size()];
    int firstKnown = -1;
    for (int i = 0; i < days.size(); i++) {
      long start = days.get(i).atStartOfDay(plan.zone()).toEpochSecond() / 3600;
      long end = days.get(i).plusDays(1).atStartOfDay(plan.zone()).toEpochSecond() / 3600;
      for (long h = start; h < end; h++) {
        daily[i] += hourly[(int) (h - fromHour)];
      }
      if (firstKnown < 0 && start >= covered && daily[i] > 0) {
        firstKnown = i;
      }
    }
    BudgetEvaluator.AnomalyFindings result;
    int have = firstKnown < 0 ? 0 : days.size() - firstKnown;
    if (have <= io.costguard.anomaly.AnomalyDetector.MIN_DAYS) {
      result = new BudgetEvaluator.AnomalyFindings(List.of(), "InsufficientHistory",
          "anomaly detection needs " + (io.costguard.anomaly.AnomalyDetector.MIN_DAYS + 1) + " days of cost for this scope; it has " + have);
    } else {
      double[] known = java.util.Arrays.copyOfRange(daily, firstKnown, daily.length);
      double[] volume = null;
      String volumeProblem = null;
      if (plan.volumeQuery() != null) {
        volume = volume(plan, days.subList(firstKnown, days.size()));
        if (volume == null) {
          volumeProblem = "spec.anomaly.volumeQuery gave no usable answer; cost per unit of volume cannot be judged";
        }
      }
      if (volumeProblem != null) {
        result = new BudgetEvaluator.AnomalyFindings(List.of(), "VolumeUnavailable", volumeProblem);
      } else {
        List<CostAnomaly> found = new java.util.ArrayList<>();
        for (io.costguard.anomaly.AnomalyDetector.Anomaly a : detector.detect(known, volume, plan.anomalyLimits(), 7)) {
          CostAnomaly c = new CostAnomaly();
          c.day = days.get(firstKnown + a.day()).toString();
          c.spend = money(a.spend());
          c.expected = money(a.expected());
          c.zScore = Math.round(a.zScore() * 10) / 10.0;
          c.changePercent = (int) Math.round(a.changePercent());
          found.add(c);
          boolean created = events.once(budget, "anomaly-" + c.day, EventRecorder.Type.Warning, CostBudgetReconciler.ANOMALY_EVENT,
              "spend on " + c.day + " was " + c.spend + " " + plan.currency() + " against " + c.expected + " expected: z-score "
                  + c.zScore + ", " + c.changePercent + "% day over day" + (plan.volumeQuery() == null ? "" : ", per unit of volume"),
              now);
          if (created) {
            metrics.anomalyDetected(budget.getMetadata().getNamespace(), budget.getMetadata().getName());
            LOG.info("budget {} spend anomaly on {}: {} against {} expected", id, c.day, c.spend, c.expected);
          }
        }
        result = new BudgetEvaluator.AnomalyFindings(found, null, null);
      }
    }
    findings.put(id, new CachedFindings(key, result));
    return result;
  }

  /** Daily volume from the budget's volumeQuery, summed over hours; null when the query fails. */
  private double[] volume(BudgetPlan plan, List<java.time.LocalDate> days) {
    Instant from = days.get(0).atStartOfDay(plan.zone()).toInstant();
    Instant to = days.get(days.size() - 1).plusDays(1).atStartOfDay(plan.zone()).toInstant();
    io.costguard.prometheus.QueryOutcome outcome = collector.prometheus().queryRange("volume", plan.volumeQuery(),
        from.plusSeconds(3600), to, Duration.ofHours(1));
    if (!(outcome instanceof io.costguard.prometheus.QueryOutcome.Success ok) || ok.series().isEmpty()) {
      return null;
    }
    double[] daily = new double[days.size()];
    for (io.costguard.prometheus.Series s : ok.series()) {
      for (int i = 0; i < s.size(); i++) {
        Instant hourStart = Instant.ofEpochSecond(s.timestamps()[i] - 3600);
        int d = (int) java.time.temporal.ChronoUnit.DAYS.between(days.get(0), hourStart.atZone(plan.zone()).toLocalDate());
        if (d >= 0 && d < daily.length) {
          daily[d] += s.values()[i];
        }
      }
    }
    return daily;
  }

  private static String money(double v) {
    return java.math.BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private record FindingsKey(java.time.LocalDate day, io.costguard.cost.Scope scope, java.time.ZoneId zone,
      io.costguard.anomaly.AnomalyDetector.Limits limits, String volumeQuery) {}

  private record CachedFindings(FindingsKey key, BudgetEvaluator.AnomalyFindings findings) {}

  private record ForecastKey(Instant through, io.costguard.cost.Scope scope, Period.Window window) {}

  private record CachedForecast(ForecastKey key, Forecaster.Result result) {}
}

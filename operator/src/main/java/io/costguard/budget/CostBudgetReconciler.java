package io.costguard.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.CostBudget;
import io.costguard.api.CostAnomaly;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.FeatureFlagRef;
import io.costguard.api.ThrottledFlag;
import io.costguard.flags.FlagException;
import io.costguard.flags.FlagSwitch;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.status.Conditions;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostCycleEventSource;
import io.costguard.cost.DataStatus;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.forecast.Forecaster;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.NamespaceTrust;
import io.costguard.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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
  /** Days of daily spend the anomaly detector looks at: four weeks of baseline and the week it judges. */
  static final int ANOMALY_DAYS = 35;
  /** History the forecaster looks at, kept in the ledger for every budget. */
  static final Duration FORECAST_HISTORY = Duration.ofHours(Forecaster.MAX_HOURS);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CostCollector collector;
  private final NamespaceTrust trust;
  private final BudgetSpecValidator validator;
  private final BudgetEvaluator evaluator = new BudgetEvaluator();
  private final Forecaster forecaster = new Forecaster();
  private final Map<String, CachedForecast> forecasts = new ConcurrentHashMap<>();
  private final Map<String, CachedFindings> findings = new ConcurrentHashMap<>();
  private final io.costguard.anomaly.AnomalyDetector detector = new io.costguard.anomaly.AnomalyDetector();
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final Duration interval;
  private final String currency;
  private final FlagSwitch flags;
  private final FreezeRegistry freezes;
  private final ActionPlanner planner = new ActionPlanner();

  public CostBudgetReconciler(CostCollector collector, NamespaceTrust trust,
      BudgetSpecValidator validator, EventRecorder events, OperatorMetrics metrics, Clock clock, Duration interval, String currency,
      FlagSwitch flags, FreezeRegistry freezes) {
    this.flags = flags;
    this.freezes = freezes;
    this.collector = collector;
    this.trust = trust;
    this.validator = validator;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.interval = interval;
    this.currency = currency;
  }

  @Override
  public List<EventSource<?, CostBudget>> prepareEventSources(EventSourceContext<CostBudget> context) {
    return List.of(new CostCycleEventSource<>(collector, context.getPrimaryCache()));
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

    boolean selectsOthers = budget.getSpec() != null && budget.getSpec().scope != null && budget.getSpec().scope.namespaces != null
        && budget.getSpec().scope.namespaces.stream().anyMatch(n -> !ns.equals(n));
    BudgetSpecValidator.Result validation = validator.validate(budget.getSpec(), ns, !selectsOthers || trust.trusted(ns));
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
    if (!data.collected() || ledger.coveredFrom(io.costguard.cost.CostQueries.COMPUTE)
        .orElse(Long.MAX_VALUE) * 3600 > window.start().getEpochSecond()) {
      // the next cost cycle reads back to the period start and triggers us again
      LOG.debug("budget {}/{} waits for cost history from {}", ns, name, window.start());
      return UpdateControl.<CostBudget>noUpdate().rescheduleAfter(interval);
    }
    double spent = 0;
    if (data.dataThrough().isPresent()) {
      Instant until = data.dataThrough().get().isBefore(window.end()) ? data.dataThrough().get() : window.end();
      spent = ledger.spend(plan.scope(), window.start(), until);
    }
    Forecaster.Result forecast = data.available() && data.dataThrough().isPresent()
        ? forecast(ns + "/" + name, plan, window, data.dataThrough().get(), spent) : null;
    BudgetEvaluator.AnomalyFindings anomalies = data.available() && data.dataThrough().isPresent()
        ? anomalies(budget, plan, data.dataThrough().get(), now) : null;
    BudgetEvaluator.Decision decision = evaluator.evaluate(plan,
        new BudgetEvaluator.Observation(window, data, spent, forecast, anomalies), previous, generation, now);
    CostBudgetStatus next = decision.status();
    BudgetEvaluator.ForecastWarning warning = decision.forecastWarning();
    if (warning != null) {
      // the event's fixed name is its own record: a repeat after a restart is a no-op
      events.once(budget, "forecast-" + warning.periodStart().getEpochSecond(), EventRecorder.Type.Warning, FORECAST_EVENT,
          (plan.dryRun() ? "[DryRun] " : "") + "forecast " + warning.forecast() + " of " + warning.amount() + " " + plan.currency()
              + " (" + warning.forecastPercent() + "%) by the end of the period, at or above the " + warning.warnAbovePercent() + "% warning",
          now);
      next.forecastExceededAt = now.toString();
      LOG.info("budget {}/{} forecast {} {} ({}%) crosses its {}% warning", ns, name, warning.forecast(), plan.currency(),
          warning.forecastPercent(), warning.warnAbovePercent());
    }

    // Record before acting: a notification is delivered only once a previous reconcile has written it to
    // status as Pending; a restart in between finds it there, and the event's fixed name makes a repeat a no-op.
    boolean recordedOnly = false;
    for (BudgetEvaluator.Notification n : decision.notifications()) {
      if (!wasRecorded(previous, n.percent())) {
        recordedOnly = true;
        continue;
      }
      boolean created = events.once(budget, "threshold-" + n.percent() + "-" + n.periodStart().getEpochSecond(),
          EventRecorder.Type.Warning, THRESHOLD_EVENT,
          (n.dryRun() ? "[DryRun] " : "") + "spent " + n.spent() + " of " + n.amount() + " " + plan.currency()
              + " (" + n.usedPercent() + "%), crossing the " + n.percent() + "% threshold of the period starting " + n.periodStart(),
          now);
      if (created) {
        metrics.thresholdCrossed(ns, name, n.percent());
        LOG.info("budget {}/{} crossed {}%: spent {} of {} {}", ns, name, n.percent(), n.spent(), n.amount(), plan.currency());
      }
      BudgetEvaluator.markNotified(next, n.percent(), now);
    }
    // Throttle and Freeze act only on fresh data, and never in DryRun
    boolean acting = false;
    if (data.available() && !plan.dryRun()) {
      acting = applyActions(budget, plan, next, now);
    }
    next.awaitingApproval = ActionPlanner.awaitingApproval(next);
    if (!decision.state().name().equals(previousState)) {
      LOG.info("budget {}/{}: {} -> {} (spent {} of {} {})", ns, name, previousState, decision.state(), next.spent,
          plan.amount().toPlainString(), plan.currency());
    }
    metrics.budget(ns, name, plan.currency(), next.spent == null ? null : Double.parseDouble(next.spent),
        plan.amount().doubleValue(), decision.state().name(), next.forecast == null ? null : Double.parseDouble(next.forecast));
    UpdateControl<CostBudget> control = withStatus(budget, previous, next);
    if (recordedOnly || acting) {
      return control.rescheduleAfter(Duration.ofMillis(1));
    }
    if (failedActions(next)) {
      return control.rescheduleAfter(backoff(budget));
    }
    return control;
  }

  /** Forecast once per new hour of data (or change of scope or period), not every cycle. */
  private Forecaster.Result forecast(String id, BudgetPlan plan, Period.Window window, Instant through, double spent) {
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
    Forecaster.Result result = forecaster.forecast(history, fromHour + firstCost, spent, through.getEpochSecond(),
        window.end().getEpochSecond());
    forecasts.put(id, new CachedForecast(key, result));
    return result;
  }

  /** Judges the recent days once per new day of data; a new anomaly is reported by an event named after its day. */
  private BudgetEvaluator.AnomalyFindings anomalies(CostBudget budget, BudgetPlan plan, Instant through, Instant now) {
    String id = budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
    java.time.LocalDate today = through.atZone(plan.zone()).toLocalDate();
    FindingsKey key = new FindingsKey(today, plan.scope(), plan.zone(), plan.anomalyLimits(), plan.volumeQuery());
    CachedFindings cached = findings.get(id);
    if (cached != null && cached.key().equals(key)) {
      return cached.findings();
    }
    // whole local days before the one holding `through`
    List<java.time.LocalDate> days = new java.util.ArrayList<>();
    for (java.time.LocalDate d = today.minusDays(ANOMALY_DAYS); d.isBefore(today); d = d.plusDays(1)) {
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
          boolean created = events.once(budget, "anomaly-" + c.day, EventRecorder.Type.Warning, ANOMALY_EVENT,
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

  private static boolean wasRecorded(CostBudgetStatus previous, int percent) {
    return previous != null && previous.crossedThresholds != null && previous.crossedThresholds.stream()
        .anyMatch(c -> Objects.equals(c.percent, percent) && c.actions.stream()
            .anyMatch(a -> BudgetEvaluator.NOTIFY.equals(a.type) && BudgetEvaluator.PENDING.equals(a.result)));
  }

  /**
   * Brings flags and the freeze in line with the action records; returns true when it recorded something
   * it will act on in the next reconcile (a flag's previous variant is written to status before the flip).
   */
  private boolean applyActions(CostBudget budget, BudgetPlan plan, CostBudgetStatus next, Instant now) {
    String ns = budget.getMetadata().getNamespace();
    String id = ns + "/" + budget.getMetadata().getName();
    double used = next.spent == null ? 0 : Double.parseDouble(next.spent) * 100 / plan.amount().doubleValue();
    String approve = budget.getMetadata().getAnnotations() == null ? null
        : budget.getMetadata().getAnnotations().get(ActionPlanner.APPROVE_ANNOTATION);
    ActionPlanner.InForce inForce = planner.decide(next, used, ActionPlanner.approvals(approve), now);
    List<FeatureFlagRef> refs = budget.getSpec().throttle == null || budget.getSpec().throttle.featureFlags == null
        ? List.of() : budget.getSpec().throttle.featureFlags;
    List<ThrottledFlag> owned = next.throttledFlags == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(next.throttledFlags);
    boolean recorded = false;
    List<String> failures = new java.util.ArrayList<>();
    // restore what is no longer wanted (not throttling, or the flag left the spec)
    for (java.util.Iterator<ThrottledFlag> it = owned.iterator(); it.hasNext(); ) {
      ThrottledFlag t = it.next();
      if (inForce.throttle() && refs.stream().anyMatch(r -> same(r, t))) {
        continue;
      }
      try {
        flags.set(ns, ref(t), t.previousVariant, t.previousTargeting == null ? null : JSON.readTree(t.previousTargeting));
        it.remove();
        LOG.info("budget {} restored {} {} flag {} to {}", id, t.kind, t.name, t.flagKey, t.previousVariant);
      } catch (FlagException | com.fasterxml.jackson.core.JsonProcessingException e) {
        failures.add(e.getMessage());
      }
    }
    if (inForce.throttle()) {
      for (FeatureFlagRef r : refs) {
        ThrottledFlag t = owned.stream().filter(o -> same(r, o)).findFirst().orElse(null);
        try {
          if (t == null) {
            // record what to restore before changing anything
            FlagSwitch.FlagState was = flags.read(ns, r);
            t = new ThrottledFlag();
            t.kind = r.kind;
            t.name = r.name;
            t.key = r.key;
            t.flagKey = r.flagKey;
            t.variant = r.variant;
            t.previousVariant = was.defaultVariant();
            t.previousTargeting = was.targeting() == null ? null : was.targeting().toString();
            owned.add(t);
            recorded = true;
          } else {
            flags.set(ns, r, r.variant, null);
          }
        } catch (FlagException e) {
          failures.add(e.getMessage());
        }
      }
    }
    next.throttledFlags = owned.isEmpty() ? null : owned;
    if (inForce.throttle() && !recorded) {
      if (failures.isEmpty()) {
        ActionPlanner.settle(next, ActionPlanner.THROTTLE, BudgetEvaluator.DONE, refs.isEmpty() ? "NothingToThrottle: spec.throttle lists no flags" : null, now);
      } else {
        ActionPlanner.settle(next, ActionPlanner.THROTTLE, BudgetEvaluator.FAILED, String.join("; ", failures), now);
      }
    }
    boolean throttled = inForce.throttle() && !recorded && failures.isEmpty() && !refs.isEmpty();
    next.conditions = Conditions.with(next.conditions, "Throttled", throttled ? "True" : "False",
        !failures.isEmpty() ? "FlagUpdateFailed" : throttled ? "FlagsThrottled" : "NotThrottled",
        !failures.isEmpty() ? String.join("; ", failures) + "; retried with backoff"
            : throttled ? refs.size() + " flag(s) set to their throttle variant" : "no flag is throttled by this budget",
        next.observedGeneration, now);

    if (inForce.freeze()) {
      freezes.freeze(id, new FreezeRegistry.FrozenScope(plan.scope().namespaces(), plan.scope().selector(),
          "CostBudget " + id + " at " + next.used));
      if (!Boolean.TRUE.equals(next.deploysFrozen)) {
        LOG.info("budget {} freezes rollouts in {} {}", id, plan.scope().namespaces(), plan.scope().selector());
      }
      next.deploysFrozen = true;
      ActionPlanner.settle(next, ActionPlanner.FREEZE, BudgetEvaluator.DONE, null, now);
    } else {
      freezes.thaw(id);
      if (Boolean.TRUE.equals(next.deploysFrozen)) {
        LOG.info("budget {} lifts its rollout freeze", id);
      }
      next.deploysFrozen = false;
    }
    next.conditions = Conditions.with(next.conditions, "DeploysFrozen", inForce.freeze() ? "True" : "False",
        inForce.freeze() ? "BudgetFreeze" : "NotFrozen",
        inForce.freeze() ? "new rollouts in the budget's scope are denied by the admission webhook" : "rollouts are not frozen by this budget",
        next.observedGeneration, now);
    return recorded;
  }

  private static boolean same(FeatureFlagRef r, ThrottledFlag t) {
    return Objects.equals(r.kind, t.kind) && Objects.equals(r.name, t.name) && Objects.equals(r.key, t.key)
        && Objects.equals(r.flagKey, t.flagKey);
  }

  private static FeatureFlagRef ref(ThrottledFlag t) {
    FeatureFlagRef r = new FeatureFlagRef();
    r.kind = t.kind;
    r.name = t.name;
    r.key = t.key;
    r.flagKey = t.flagKey;
    r.variant = t.previousVariant;
    return r;
  }

  private static boolean failedActions(CostBudgetStatus s) {
    return s.crossedThresholds != null && s.crossedThresholds.stream()
        .anyMatch(c -> c.actions.stream().anyMatch(a -> BudgetEvaluator.FAILED.equals(a.result)));
  }

  /** 10 s doubling per consecutive failing reconcile, at most the evaluation interval. */
  private Duration backoff(CostBudget budget) {
    int failures = backoffs.merge(budget.getMetadata().getUid() == null ? "" : budget.getMetadata().getUid(), 1, Integer::sum);
    Duration d = Duration.ofSeconds(10L << Math.min(6, failures - 1));
    return d.compareTo(interval) > 0 ? interval : d;
  }

  private final Map<String, Integer> backoffs = new ConcurrentHashMap<>();

  @Override
  public DeleteControl cleanup(CostBudget budget, Context<CostBudget> context) {
    String ns = budget.getMetadata().getNamespace();
    String name = budget.getMetadata().getName();
    freezes.thaw(ns + "/" + name);
    if (budget.getStatus() != null && budget.getStatus().throttledFlags != null) {
      for (ThrottledFlag t : budget.getStatus().throttledFlags) {
        try {
          flags.set(ns, ref(t), t.previousVariant, t.previousTargeting == null ? null : JSON.readTree(t.previousTargeting));
          LOG.info("budget {}/{} deleted: restored {} {} flag {} to {}", ns, name, t.kind, t.name, t.flagKey, t.previousVariant);
        } catch (FlagException | com.fasterxml.jackson.core.JsonProcessingException e) {
          LOG.warn("budget {}/{} deleted, but restoring a flag failed, retrying: {}", ns, name, e.getMessage());
          return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff(budget));
        }
      }
    }
    collector.forget(ns + "/" + name);
    forecasts.remove(ns + "/" + name);
    findings.remove(ns + "/" + name);
    metrics.forgetBudget(ns, name, budget.getSpec() == null || budget.getSpec().currency == null ? currency : budget.getSpec().currency);
    LOG.info("budget {}/{} deleted", ns, name);
    return DeleteControl.defaultDelete();
  }

  private UpdateControl<CostBudget> withStatus(CostBudget budget, CostBudgetStatus previous, CostBudgetStatus next) {
    if (JSON.valueToTree(next).equals(previous == null ? null : JSON.valueToTree(previous))) {
      return UpdateControl.<CostBudget>noUpdate().rescheduleAfter(interval);
    }
    CostBudget patch = statusOnly(budget, next);
    return UpdateControl.patchStatus(patch).rescheduleAfter(interval);
  }

  /** A fresh object with only identity and status, so a status write never carries (or fights) the spec. */
  private static CostBudget statusOnly(CostBudget budget, CostBudgetStatus status) {
    CostBudget patch = new CostBudget();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(budget.getMetadata().getName())
        .withNamespace(budget.getMetadata().getNamespace())
        .withUid(budget.getMetadata().getUid())
        .build());
    patch.setStatus(status);
    return patch;
  }
}

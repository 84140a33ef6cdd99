package io.costguard.budget;

import static io.costguard.budget.BudgetTestData.NOVEMBER;
import static io.costguard.budget.BudgetTestData.NOV_23;
import static io.costguard.budget.BudgetTestData.OCTOBER;
import static io.costguard.budget.BudgetTestData.fresh;
import static io.costguard.budget.BudgetTestData.plan;
import static io.costguard.budget.BudgetTestData.spec;
import static io.costguard.budget.BudgetTestData.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.CostBudgetStatus;
import io.costguard.api.ForecastSpec;
import io.costguard.forecast.Forecaster;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.status.Conditions;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** What the evaluator makes of a forecast: figures, the ForecastAvailable condition, one warning per period. */
class ForecastDecisionTest {
  final BudgetEvaluator evaluator = new BudgetEvaluator();

  BudgetEvaluator.Decision decide(BudgetPlan plan, double spent, Forecaster.Result f, CostBudgetStatus previous) {
    return evaluator.evaluate(plan, new BudgetEvaluator.Observation(NOVEMBER, fresh(NOV_23), spent, f), previous, 1, NOV_23);
  }

  @Test
  void aForecastFillsTheFiguresAndTheCondition() {
    BudgetEvaluator.Decision d = decide(plan("12400"), 8650.12, new Forecaster.Forecast(12980.554, 4330.43, 12980.554, 12980.554, "hour-of-week"), null);
    assertThat(d.status().forecast).isEqualTo("12980.55");
    assertThat(d.status().forecastPercent).isEqualTo(104);
    assertThat(Conditions.find(d.status().conditions, "ForecastAvailable").getStatus()).isEqualTo("True");
    assertThat(d.forecastWarning()).isNotNull();
    assertThat(d.forecastWarning().forecastPercent()).isEqualTo(104);
    assertThat(d.forecastWarning().warnAbovePercent()).isEqualTo(100);
  }

  @Test
  void theWarningComesOncePerPeriod() {
    BudgetEvaluator.Decision first = decide(plan("12400"), 8650.12, new Forecaster.Forecast(12980.55, 4330.43, 12980.55, 12980.55, "hour-of-week"), null);
    first.status().forecastExceededAt = NOV_23.toString();
    BudgetEvaluator.Decision again = decide(plan("12400"), 8700, new Forecaster.Forecast(13100, 4400, 13100, 13100, "hour-of-week"), first.status());
    assertThat(again.forecastWarning()).isNull();
    assertThat(again.status().forecastExceededAt).isEqualTo(NOV_23.toString());

    CostBudgetStatus october = first.status();
    october.periodStart = OCTOBER.start().toString();
    assertThat(decide(plan("12400"), 9000, new Forecaster.Forecast(13100, 4100, 13100, 13100, "hour-of-week"), october).forecastWarning()).isNotNull();
  }

  @Test
  void belowTheWarningLevelThereIsNoWarning() {
    BudgetPlan plan = new BudgetPlan(new BigDecimal("12400"), "USD", Period.Monthly, java.time.ZoneOffset.UTC,
        BudgetTestData.defaultThresholds(), plan("1").scope(), false, 110);
    assertThat(decide(plan, 8650.12, new Forecaster.Forecast(12980.55, 4330.43, 12980.55, 12980.55, "hour-of-week"), null).forecastWarning()).isNull();
  }

  @Test
  void tooLittleHistoryIsSaidNotGuessed() {
    BudgetEvaluator.Decision d = decide(plan("12400"), 100, new Forecaster.InsufficientHistory(30, 72), null);
    assertThat(d.status().forecast).isNull();
    assertThat(d.forecastWarning()).isNull();
    var c = Conditions.find(d.status().conditions, "ForecastAvailable");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("InsufficientHistory");
    assertThat(c.getMessage()).contains("72h", "30h");
  }

  @Test
  void withoutFreshDataTheLastForecastOfThePeriodIsKept() {
    BudgetEvaluator.Decision first = decide(plan("12400"), 8650.12, new Forecaster.Forecast(12980.55, 4330.43, 12980.55, 12980.55, "hour-of-week"), null);
    BudgetEvaluator.Decision blind = evaluator.evaluate(plan("12400"),
        new BudgetEvaluator.Observation(NOVEMBER, unavailable(FailureKind.Unreachable, "down"), 0, null), first.status(), 1, NOV_23);
    assertThat(blind.status().forecast).isEqualTo("12980.55");
    assertThat(blind.forecastWarning()).isNull();
  }

  @Test
  void theWarningLevelIsValidated() {
    var s = spec("100.00");
    s.forecast = new ForecastSpec();
    s.forecast.warnAbovePercent = 0;
    assertThat(BudgetTestData.validator().validate(s, BudgetTestData.NS, false).problems())
        .anySatisfy(p -> assertThat(p.field()).isEqualTo("spec.forecast.warnAbovePercent"));
    s.forecast.warnAbovePercent = 90;
    assertThat(BudgetTestData.validator().validate(s, BudgetTestData.NS, false).plan().forecastWarnPercent()).isEqualTo(90);
  }
}

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
import org.junit.jupiter.api.Test;

/** What the evaluator makes of a forecast: figures, the ForecastAvailable condition, one warning per period. */
class ForecastDecisionTest {
    final BudgetEvaluator evaluator = new BudgetEvaluator();

    BudgetEvaluator.Decision decide(BudgetPlan plan, double spent, Forecaster.Result f, CostBudgetStatus previous) {
        return evaluator.evaluate(
                plan, new BudgetEvaluator.Observation(NOVEMBER, fresh(NOV_23), spent, f), previous, 1, NOV_23);
    }

    /** A forecast without spread: low = high = the point. */
    static Forecaster.Forecast point(double endOfPeriod, double remaining) {
        return new Forecaster.Forecast(endOfPeriod, remaining, endOfPeriod, endOfPeriod, "hour-of-week");
    }

    @Test
    void aForecastFillsTheFiguresAndTheCondition() {
        BudgetEvaluator.Decision d = decide(plan("12400"), 8650.12, point(12980.554, 4330.43), null);
        assertThat(d.status().forecast).isEqualTo("12980.55");
        assertThat(d.status().forecastPercent).isEqualTo(104);
        assertThat(Conditions.find(d.status().conditions, "ForecastAvailable").getStatus())
                .isEqualTo("True");
        assertThat(d.forecastWarning()).isNotNull();
        assertThat(d.forecastWarning().forecastPercent()).isEqualTo(104);
        assertThat(d.forecastWarning().warnAbovePercent()).isEqualTo(100);
    }

    @Test
    void theWarningComesOncePerPeriod() {
        BudgetEvaluator.Decision first = decide(plan("12400"), 8650.12, point(12980.55, 4330.43), null);
        first.status().forecastExceededAt = NOV_23.toString();
        BudgetEvaluator.Decision again = decide(plan("12400"), 8700, point(13100, 4400), first.status());
        assertThat(again.forecastWarning()).isNull();
        assertThat(again.status().forecastExceededAt).isEqualTo(NOV_23.toString());

        CostBudgetStatus october = first.status();
        october.periodStart = OCTOBER.start().toString();
        assertThat(decide(plan("12400"), 9000, point(13100, 4100), october).forecastWarning())
                .isNotNull();
    }

    @Test
    void belowTheWarningLevelThereIsNoWarning() {
        BudgetPlan plan = forecastWarning(110, BudgetPlan.WarnOn.Forecast);
        assertThat(decide(plan, 8650.12, point(12980.55, 4330.43), null).forecastWarning())
                .isNull();
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
        BudgetEvaluator.Decision first = decide(plan("12400"), 8650.12, point(12980.55, 4330.43), null);
        BudgetEvaluator.Decision blind = evaluator.evaluate(
                plan("12400"),
                new BudgetEvaluator.Observation(NOVEMBER, unavailable(FailureKind.Unreachable, "down"), 0, null),
                first.status(),
                1,
                NOV_23);
        assertThat(blind.status().forecast).isEqualTo("12980.55");
        assertThat(blind.forecastWarning()).isNull();
    }

    @Test
    void theIntervalIsInStatusAndTheCondition() {
        Forecaster.Forecast f = new Forecaster.Forecast(11780, 3129.88, 11000.004, 12900.5, "mix");
        BudgetEvaluator.Decision d = decide(plan("12400"), 8650.12, f, null);
        assertThat(d.status().forecastLow).isEqualTo("11000.00");
        assertThat(d.status().forecastHigh).isEqualTo("12900.50");
        assertThat(Conditions.find(d.status().conditions, "ForecastAvailable").getMessage())
                .contains("11780.00", "80 % interval 11000.00 to 12900.50", "mix");
        BudgetEvaluator.Decision none =
                decide(plan("12400"), 100, new Forecaster.InsufficientHistory(30, 48), d.status());
        assertThat(none.status().forecastLow).isNull();
        assertThat(none.status().forecastHigh).isNull();
    }

    @Test
    void warnOnDecidesWhetherThePointForecastOrTheHighEndIsCompared() {
        // the point forecast is at 95 % of the budget, the interval's high end at 104 %
        Forecaster.Forecast f = new Forecaster.Forecast(11780, 3129.88, 11000, 12900, "mix");
        BudgetEvaluator.Decision onForecast = decide(plan("12400"), 8650.12, f, null);
        assertThat(onForecast.forecastWarning()).isNull();

        BudgetEvaluator.Decision onUpper = decide(warnOn(BudgetPlan.WarnOn.Upper), 8650.12, f, null);
        BudgetEvaluator.ForecastWarning w = onUpper.forecastWarning();
        assertThat(w).isNotNull();
        assertThat(w.forecastPercent()).isEqualTo(104);
        assertThat(w.forecast()).isEqualTo("12900.00");
        assertThat(onUpper.status().forecastPercent).isEqualTo(95);
        assertThat(w.message("USD"))
                .isEqualTo(
                        "the high end of the forecast's 80 % interval, 12900.00 of 12400 USD (104%)"
                                + " by the end of the period, at or above the 100% warning (spec.forecast.warnOn: Upper; point forecast 11780.00)");

        // with the point forecast over the line, both warn; the message says which figure crossed
        Forecaster.Forecast over = new Forecaster.Forecast(12980.55, 4330.43, 12500, 13400, "mix");
        assertThat(decide(plan("12400"), 8650.12, over, null).forecastWarning().message("USD"))
                .startsWith("forecast 12980.55 of 12400 USD (104%)")
                .doesNotContain("interval");
        // and a high end under the line does not warn even with Upper
        Forecaster.Forecast low = new Forecaster.Forecast(10000, 1349.88, 9500, 12000, "mix");
        assertThat(decide(warnOn(BudgetPlan.WarnOn.Upper), 8650.12, low, null).forecastWarning())
                .isNull();
    }

    static BudgetPlan warnOn(BudgetPlan.WarnOn on) {
        return forecastWarning(plan("12400").forecastWarnPercent(), on);
    }

    /** plan("12400") warning at {@code percent} of the amount, compared with the point forecast or the upper end. */
    static BudgetPlan forecastWarning(int percent, BudgetPlan.WarnOn on) {
        BudgetPlan p = plan("12400");
        return new BudgetPlan(
                p.amount(),
                p.currency(),
                p.period(),
                p.zone(),
                p.thresholds(),
                p.scope(),
                p.dryRun(),
                percent,
                p.anomalyLimits(),
                p.volumeQuery(),
                on,
                p.withShared());
    }

    @Test
    void warnOnIsValidatedWithItsFieldPath() {
        var s = spec("100.00");
        assertThat(BudgetTestData.validator()
                        .validate(s, BudgetTestData.NS, false)
                        .plan()
                        .forecastWarnOn())
                .isEqualTo(BudgetPlan.WarnOn.Forecast);
        s.forecast = new ForecastSpec();
        s.forecast.warnOn = "upper";
        assertThat(BudgetTestData.validator()
                        .validate(s, BudgetTestData.NS, false)
                        .problems())
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("spec.forecast.warnOn");
                    assertThat(p.toString())
                            .contains("'upper'", "Forecast or Upper")
                            .doesNotContain("java", "Exception");
                });
        s.forecast.warnOn = "Upper";
        assertThat(BudgetTestData.validator()
                        .validate(s, BudgetTestData.NS, false)
                        .plan()
                        .forecastWarnOn())
                .isEqualTo(BudgetPlan.WarnOn.Upper);
    }

    @Test
    void theWarningLevelIsValidated() {
        var s = spec("100.00");
        s.forecast = new ForecastSpec();
        s.forecast.warnAbovePercent = 0;
        assertThat(BudgetTestData.validator()
                        .validate(s, BudgetTestData.NS, false)
                        .problems())
                .anySatisfy(p -> assertThat(p.field()).isEqualTo("spec.forecast.warnAbovePercent"));
        s.forecast.warnAbovePercent = 90;
        assertThat(BudgetTestData.validator()
                        .validate(s, BudgetTestData.NS, false)
                        .plan()
                        .forecastWarnPercent())
                .isEqualTo(90);
    }
}

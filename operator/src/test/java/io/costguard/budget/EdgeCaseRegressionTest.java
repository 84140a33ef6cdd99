package io.costguard.budget;

import static io.costguard.budget.BudgetTestData.NOVEMBER;
import static io.costguard.budget.BudgetTestData.NOV_23;
import static io.costguard.budget.BudgetTestData.fresh;
import static io.costguard.budget.BudgetTestData.plan;
import static io.costguard.budget.BudgetTestData.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.BudgetState;
import io.costguard.api.CostBudgetStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edge cases found by review: huge overspend, prefixed fixed offsets, rounding of shown spend. */
class EdgeCaseRegressionTest {

    @Test
    void aSpendMillionsOfTimesTheAmountIsExceededNotAnOverflow() {
        BudgetEvaluator.Decision d = new BudgetEvaluator()
                .evaluate(
                        plan("0.01"),
                        new BudgetEvaluator.Observation(NOVEMBER, fresh(NOV_23), 30_000_000),
                        null,
                        1,
                        NOV_23);
        assertThat(d.state()).isEqualTo(BudgetState.Exceeded);
        assertThat(d.status().usedPercent).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC+05:30", "GMT+2", "UT+01:00", "+05:30"})
    void fixedOffsetsWithAPrefixAreRejectedToo(String tz) {
        var s = spec("100.00");
        s.timeZone = tz;
        BudgetSpecValidator.Result r = BudgetTestData.validator().validate(s, BudgetTestData.NS, false);
        assertThat(r.problems()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo("spec.timeZone");
            assertThat(p.message()).contains("fixed offset");
        });
    }

    @Test
    void thePercentAgreesWithTheSpendAsShown() {
        // 8679.996 shows as 8680.00, which is 70 % of 12400: Warning, not Ok at 69 %
        CostBudgetStatus s = new BudgetEvaluator()
                .evaluate(
                        plan("12400"),
                        new BudgetEvaluator.Observation(NOVEMBER, fresh(NOV_23), 8679.996),
                        null,
                        1,
                        NOV_23)
                .status();
        assertThat(s.spent).isEqualTo("8680.00");
        assertThat(s.usedPercent).isEqualTo(70);
        assertThat(s.state).isEqualTo("Warning");
    }
}

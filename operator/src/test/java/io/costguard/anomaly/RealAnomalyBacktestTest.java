package io.costguard.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.realseries.RealSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-series anomaly backtest in CI. The whole corpus takes about a second to judge day by day, so it runs
 * whole rather than on a subset: a subset picked now would be picked knowing the results (on the nine ways of
 * taking every second, third or fourth series, the model is ahead on six). The full tables, with the running day,
 * come from {@code scripts/benchmark.sh anomalies-real}.
 */
class RealAnomalyBacktestTest {
    static final RealAnomalyBacktest.Result RESULT = new RealAnomalyBacktest().run(RealSeries.all(), false);

    @Test
    void theModelsF1ByDayIsAboveTheSimpleRulesOnTheRealSeries() {
        assertThat(RESULT.model().windows()).isEqualTo(75);
        assertThat(RESULT.model().tp() + RESULT.model().fn()).isEqualTo(200); // every positive day is counted
        assertThat(RESULT.model().f1()).isGreaterThan(RESULT.rule().f1());
        // and more windows than the rule (57 and 56 of 75 since the early z-score of the second week)
        assertThat(RESULT.model().windowsHit()).isGreaterThan(RESULT.rule().windowsHit());
    }

    @Test
    void theSimpleRuleIsTheProtocolsRule() {
        double[] d = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 119, 121};
        assertThat(RealAnomalyBacktest.simpleRule(d, 14))
                .as("+19 %%, same weekdays all equal: no spread, no z")
                .isFalse();
        assertThat(RealAnomalyBacktest.simpleRule(d, 15))
                .as("+1.7 %% day over day, no z")
                .isFalse();
        double[] jump = {100, 100, 100, 100, 100, 100, 100, 100, 100, 121};
        assertThat(RealAnomalyBacktest.simpleRule(jump, 9))
                .as("+21 %% day over day")
                .isTrue();
        double[] gap = {100, Double.NaN, 150};
        assertThat(RealAnomalyBacktest.simpleRule(gap, 2))
                .as("no day before: no change")
                .isFalse();
        assertThat(RealAnomalyBacktest.simpleRule(gap, 1)).isFalse();
        // z against the same weekday of four weeks: 100, 102, 98, 100 (sd 1.63) and 106 is z 3.7
        double[] weeks = new double[29];
        java.util.Arrays.fill(weeks, 105);
        weeks[0] = 100;
        weeks[7] = 102;
        weeks[14] = 98;
        weeks[21] = 100;
        weeks[28] = 106;
        assertThat(RealAnomalyBacktest.simpleRule(weeks, 28)).isTrue();
        weeks[28] = 104;
        assertThat(RealAnomalyBacktest.simpleRule(weeks, 28)).isFalse();
    }

    @Test
    void theRunningDayFlagsWithinTheDayWhatTheDailyRecordFlagsAfterIt() {
        RealAnomalyBacktest.SeriesResult r =
                new RealAnomalyBacktest().run(RealSeries.load(RealSeries.names().get(0)), true);
        List<Integer> delays = r.dayDelays().stream().sorted().toList();
        int flagged = r.model().tp() + r.model().fp();
        assertThat(flagged).isPositive();
        // most days the daily record flags, the running day had flagged before the day was over, most in its morning
        assertThat(delays).hasSizeGreaterThan(flagged / 2).allMatch(h -> h >= 1 && h <= 24);
        assertThat(delays.get(delays.size() / 2)).isLessThan(12);
    }
}

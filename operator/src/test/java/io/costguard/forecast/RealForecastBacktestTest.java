package io.costguard.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.realseries.RealSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real-series backtest on a small fixed subset (the first series of each NAB folder, in windows.json order),
 * so CI notices when the forecaster falls behind run-rate or its 80 % interval stops meaning 80 %. The full
 * tables come from {@code scripts/benchmark.sh forecast-real}.
 */
class RealForecastBacktestTest {
    static final List<String> SUBSET = List.of(
            "realTweets/Twitter_volume_AAPL.csv",
            "realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv",
            "realAdExchange/exchange-4_cpc_results.csv",
            "realKnownCause/ec2_request_latency_system_failure.csv",
            "realTraffic/occupancy_6005.csv");

    @Test
    void theModelBeatsRunRateAndItsIntervalCoversAboutEightyPercent() {
        List<RealForecastBacktest.Scored> cases =
                RealForecastBacktest.run(SUBSET.stream().map(RealSeries::load).toList());
        RealForecastBacktest.Summary s = RealForecastBacktest.summarize("subset", cases);
        assertThat(s.cases()).isEqualTo(38);
        assertThat(s.noForecast()).isZero();
        assertThat(s.model()).isLessThan(s.runRate());
        assertThat(s.coverage()).isBetween(0.60, 0.95);
    }

    @Test
    void theTruthIsScoredOnItsHoursWithData() {
        // September 2013 of the ambient temperature misses 215 of its 480 hours left after 1/3: a forecast of all
        // the hours left is scored on the 265 with data, for every method, so run-rate is not ~40 % high
        RealSeries.Hourly s = RealSeries.load("realKnownCause/ambient_temperature_system_failure.csv");
        RealSeries.ForecastCase c = RealSeries.forecastCases(s).stream()
                .filter(k -> k.group().equals("month 1/3")
                        && java.time.LocalDate.ofEpochDay(k.startHour() / 24)
                                .equals(java.time.LocalDate.of(2013, 9, 1)))
                .findFirst()
                .orElseThrow();
        assertThat(RealForecastBacktest.knownShareLeft(c))
                .isCloseTo(265 / 480.0, org.assertj.core.data.Offset.offset(1e-9));
        RealForecastBacktest.Scored scored = RealForecastBacktest.score(new Forecaster(0), c);
        double allHours = RealForecastBacktest.runRate(c.history(), c);
        assertThat(allHours / c.truth()).isGreaterThan(1.3);
        assertThat(Math.abs(scored.runRate() / c.truth() - 1)).isLessThan(0.05);
        assertThat(Math.abs(scored.model() / c.truth() - 1)).isLessThan(0.05);
        assertThat(scored.low()).isLessThanOrEqualTo(scored.model());
    }

    @Test
    void theBaselinesSkipMissingHours() {
        // occupancy_6005 misses a quarter of its hours: a baseline reading them as zero would sit far below the truth
        RealSeries.Hourly s = RealSeries.load("realTraffic/occupancy_6005.csv");
        RealSeries.ForecastCase c = RealSeries.forecastCases(s).get(1);
        double[] h = c.history();
        double zeros = c.spent() / (c.asOfHour() - c.startHour()) * (c.endHour() - c.startHour());
        double runRate = RealForecastBacktest.runRate(h, c);
        assertThat(s.missingHours()).isGreaterThan(50);
        assertThat(runRate).isGreaterThanOrEqualTo(zeros);
        assertThat(RealForecastBacktest.seasonalNaive(h, c)).isGreaterThan(c.spent());
        assertThat(RealForecastBacktest.hourOfWeekMean(h, c)).isGreaterThan(c.spent());
    }
}

package io.costguard.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.anomaly.RealAnomalyBacktest;
import io.costguard.realseries.RealSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backtests on the held-out NAB series (src/test/resources/real-series-holdout), which no model was tuned on:
 * the forecaster must beat every simple baseline there too, with an interval that still means about 80 %, and the
 * anomaly detector must beat the simple rule. A tuning that only fits the development series fails here.
 */
class RealHoldoutBacktestTest {
    static final List<RealSeries.Hourly> HOLDOUT = RealSeries.all(RealSeries.Corpus.HOLDOUT);

    @Test
    void theForecastBeatsEverySimpleBaselineOnSeriesNobodyTunedOn() {
        RealForecastBacktest.Summary s = RealForecastBacktest.summarize("holdout", RealForecastBacktest.run(HOLDOUT));
        assertThat(HOLDOUT).hasSize(12);
        assertThat(s.cases()).isEqualTo(122);
        assertThat(s.model()).isLessThan(s.bestBaseline());
        assertThat(s.coverage()).isBetween(0.60, 0.95);
    }

    @Test
    void theAnomalyDetectorBeatsTheSimpleRuleOnSeriesNobodyTunedOn() {
        RealAnomalyBacktest.Result r = new RealAnomalyBacktest().run(HOLDOUT, false);
        assertThat(r.model().f1()).isGreaterThan(r.rule().f1());
        assertThat(r.model().windowsHit()).isGreaterThanOrEqualTo(r.rule().windowsHit());
    }
}

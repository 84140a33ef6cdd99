package io.costguard.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ForecasterTest {
  // Monday 2026-11-02 00:00 UTC as an epoch hour
  static final long MONDAY = 1793577600L / 3600;
  final Forecaster f = new Forecaster();

  @Test
  void tooLittleHistorySaysHowMuchItHasAndNeeds() {
    Forecaster.Result r = f.forecast(new double[71], MONDAY, 0, (MONDAY + 71) * 3600, (MONDAY + 500) * 3600);
    assertThat(r).isEqualTo(new Forecaster.InsufficientHistory(71, 72));
  }

  @Test
  void missingHoursAreNotHistory() {
    double[] h = new double[100];
    Arrays.fill(h, 1.0);
    Arrays.fill(h, 0, 30, Double.NaN);
    assertThat(f.forecast(h, MONDAY, 0, (MONDAY + 100) * 3600, (MONDAY + 500) * 3600))
        .isEqualTo(new Forecaster.InsufficientHistory(70, 72));
  }

  @Test
  void aTwentyHourHoleDoesNotPullTheForecastDown() {
    // weekdays 3 per hour, weekends 1; the last day but one lost 20 hours
    double[] h = new double[3 * 168];
    for (int i = 0; i < h.length; i++) {
      h[i] = (i % 168) < 120 ? 3 : 1;
    }
    double[] holey = h.clone();
    Arrays.fill(holey, h.length - 46, h.length - 26, Double.NaN);
    Forecaster.Forecast whole = (Forecaster.Forecast) f.forecast(h, MONDAY, 0, (MONDAY + h.length) * 3600,
        (MONDAY + h.length + 168) * 3600);
    Forecaster.Forecast gapped = (Forecaster.Forecast) f.forecast(holey, MONDAY, 0, (MONDAY + h.length) * 3600,
        (MONDAY + h.length + 168) * 3600);
    assertThat(gapped.remaining()).isCloseTo(whole.remaining(), within(1e-6 * whole.remaining()));
  }

  @Test
  void aGapIsFilledFromTheSameHourAWeekOrADayBeforeElseAfter() {
    double[] h = new double[400];
    for (int i = 0; i < h.length; i++) {
      h[i] = i;
    }
    double[] holey = h.clone();
    holey[200] = Double.NaN; // a week before: 32
    holey[30] = Double.NaN; // a day before: 6
    holey[5] = Double.NaN; // a day after: 29
    holey[7] = Double.NaN;
    holey[31] = Double.NaN; // for 7, a day after is missing too: a week after, 175
    double[] filled = Forecaster.imputed(holey);
    assertThat(filled[200]).isEqualTo(32);
    assertThat(filled[30]).isEqualTo(6);
    assertThat(filled[5]).isEqualTo(29);
    assertThat(filled[7]).isEqualTo(175);
    assertThat(filled[31]).isEqualTo(175);
    assertThat(Arrays.stream(filled).noneMatch(Double::isNaN)).isTrue();
  }

  @Property(tries = 200)
  void aGapNeverCountsAsZeroSpend(@ForAll @IntRange(min = 0, max = 300) int gapStart,
      @ForAll @IntRange(min = 1, max = 48) int gapLength, @ForAll @DoubleRange(min = 0.1, max = 100) double perHour) {
    double[] h = new double[400];
    Arrays.fill(h, perHour);
    Arrays.fill(h, gapStart, Math.min(h.length, gapStart + gapLength), Double.NaN);
    Forecaster.Forecast r = (Forecaster.Forecast) f.forecast(h, MONDAY, 0, (MONDAY + 400) * 3600,
        (MONDAY + 500) * 3600);
    assertThat(r.remaining()).isCloseTo(100 * perHour, within(1e-6 * perHour));
  }

  @Test
  void aFlatSeriesContinuesFlat() {
    double[] h = new double[400];
    Arrays.fill(h, 2.0);
    Forecaster.Forecast r = (Forecaster.Forecast) f.forecast(h, MONDAY, 100, (MONDAY + 400) * 3600, (MONDAY + 500) * 3600);
    assertThat(r.remaining()).isCloseTo(200.0, within(1e-9));
    assertThat(r.endOfPeriod()).isCloseTo(300.0, within(1e-9));
    assertThat(r.model()).isEqualTo("hour-of-week");
  }

  @Test
  void aPeriodEndingMidHourCountsThatHourInProportion() {
    double[] h = new double[100];
    Arrays.fill(h, 1.0);
    Forecaster.Forecast r = (Forecaster.Forecast) f.forecast(h, MONDAY, 0, (MONDAY + 100) * 3600, (MONDAY + 110) * 3600 + 1800);
    assertThat(r.remaining()).isCloseTo(10.5, within(1e-9));
    assertThat(r.model()).isEqualTo("hour-of-day");
  }

  @Test
  void weeklySeasonalityIsCarriedIntoTheRestOfThePeriod() {
    // weekdays 3 per hour, weekends 1: three weeks of history, then one more week to forecast
    double[] h = new double[3 * 168];
    for (int i = 0; i < h.length; i++) {
      h[i] = (i / 24) % 7 >= 5 ? 1 : 3;
    }
    Forecaster.Forecast r = (Forecaster.Forecast) f.forecast(h, MONDAY, 0, (MONDAY + h.length) * 3600, (MONDAY + h.length + 168) * 3600);
    assertThat(r.remaining()).isCloseTo(5 * 24 * 3 + 2 * 24 * 1, within(0.5));
    // the weekend alone
    Forecaster.Forecast weekend = (Forecaster.Forecast) f.forecast(Arrays.copyOf(h, h.length - 48), MONDAY, 0,
        (MONDAY + h.length - 48) * 3600, (MONDAY + h.length) * 3600);
    assertThat(weekend.remaining()).isCloseTo(48, within(0.5));
  }

  @Test
  void aSteadyTrendIsExtrapolated() {
    double[] h = new double[28 * 24];
    for (int i = 0; i < h.length; i++) {
      h[i] = 1 + 0.01 * i / 24.0; // +1 % of the start per day
    }
    long through = MONDAY + h.length;
    double truth = 0;
    for (int i = h.length; i < h.length + 14 * 24; i++) {
      truth += 1 + 0.01 * i / 24.0;
    }
    Forecaster.Forecast r = (Forecaster.Forecast) f.forecast(h, MONDAY, 0, through * 3600, (through + 14 * 24) * 3600);
    assertThat(r.remaining()).isCloseTo(truth, within(truth * 0.02));
  }

  @Test
  void anOutageDayDoesNotBendTheForecast() {
    double[] h = new double[28 * 24];
    Arrays.fill(h, 2.0);
    Arrays.fill(h, 20 * 24, 21 * 24, 0.0);
    Forecaster.Forecast r = (Forecaster.Forecast) f.forecast(h, MONDAY, 0, (MONDAY + h.length) * 3600, (MONDAY + h.length + 100) * 3600);
    assertThat(r.remaining()).isCloseTo(200, within(2.0));
  }

  @Property(tries = 300)
  void neverNegativeAndNeverBelowWhatIsSpent(@ForAll("series") double[] h, @ForAll @DoubleRange(min = 0, max = 1e6) double spent,
      @ForAll @IntRange(min = 0, max = 2300) int hoursLeft) {
    long through = MONDAY + h.length;
    Forecaster.Result r = f.forecast(h, MONDAY, spent, through * 3600, (through + hoursLeft) * 3600);
    if (r instanceof Forecaster.Forecast fc) {
      assertThat(fc.remaining()).isGreaterThanOrEqualTo(0);
      assertThat(fc.endOfPeriod()).isGreaterThanOrEqualTo(spent);
    } else {
      assertThat(h.length).isLessThan(Forecaster.MIN_HOURS);
    }
  }

  @Property(tries = 200)
  void monotoneInSpendAndInTheScaleOfCost(@ForAll("series") double[] h, @ForAll @DoubleRange(min = 0, max = 1e5) double spent,
      @ForAll @DoubleRange(min = 0, max = 1e4) double more, @ForAll @DoubleRange(min = 1, max = 10) double scale) {
    long through = MONDAY + h.length;
    long end = (through + 300) * 3600;
    if (!(f.forecast(h, MONDAY, spent, through * 3600, end) instanceof Forecaster.Forecast base)) {
      return;
    }
    Forecaster.Forecast higher = (Forecaster.Forecast) f.forecast(h, MONDAY, spent + more, through * 3600, end);
    assertThat(higher.endOfPeriod()).isCloseTo(base.endOfPeriod() + more, within(1e-6 * (1 + base.endOfPeriod() + more)));
    double[] scaled = Arrays.stream(h).map(v -> v * scale).toArray();
    Forecaster.Forecast bigger = (Forecaster.Forecast) f.forecast(scaled, MONDAY, spent, through * 3600, end);
    assertThat(bigger.remaining()).isCloseTo(base.remaining() * scale, within(1e-6 * (1 + base.remaining() * scale)));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<double[]> series() {
    return net.jqwik.api.Arbitraries.integers().between(60, 900).flatMap(n ->
        net.jqwik.api.Arbitraries.doubles().between(0, 1000).array(double[].class).ofSize(n));
  }

  @Test
  void theBacktestMeetsItsGoals() {
    // MAPE under 10 % and at least 20 % below the better of run-rate and seasonal-naive, after 1/3 and 1/2
    ForecastBacktest.Result r = ForecastBacktest.run(120);
    for (ForecastBacktest.Errors e : new ForecastBacktest.Errors[] {r.atThird(), r.atHalf()}) {
      assertThat(e.model()).isLessThan(0.10);
      assertThat(e.model()).isLessThanOrEqualTo(0.8 * e.betterBaseline());
    }
  }
}

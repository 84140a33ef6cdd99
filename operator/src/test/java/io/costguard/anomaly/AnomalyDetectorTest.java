package io.costguard.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.anomaly.AnomalyDetector.Anomaly;
import io.costguard.anomaly.AnomalyDetector.Limits;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
  final AnomalyDetector detector = new AnomalyDetector();

  /** Eight weeks of daily spend around 100 with weekends at half, and a little noise. */
  static double[] weekly(long seed, double noise) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] d = new double[56];
    for (int i = 0; i < d.length; i++) {
      d[i] = (i % 7 >= 5 ? 50 : 100) * (1 + noise * (r.nextDouble() * 2 - 1));
    }
    return d;
  }

  @Test
  void weeklySeasonalityIsNotAnAnomaly() {
    for (long seed = 0; seed < 50; seed++) {
      assertThat(detector.detect(weekly(seed, 0.03), null, Limits.DEFAULT, 49)).as("seed %d", seed).isEmpty();
    }
  }

  @Test
  void aDayWithoutDataIsNeitherJudgedNorABaseline() {
    double[] d = weekly(1, 0);
    d[51] *= 1.03; // a little above its baseline, far from a z-score of 3
    double[] lowDay = d.clone();
    lowDay[50] = d[50] * 4 / 24; // what counting a 20-hour hole as zero made of the day
    assertThat(detector.detect(lowDay, null, Limits.DEFAULT, 7)).extracting(Anomaly::day).containsExactly(51);

    double[] gap = d.clone();
    gap[50] = Double.NaN;
    assertThat(detector.detect(gap, null, Limits.DEFAULT, 7)).isEmpty();
  }

  @Test
  void anInjectedSpikeIsFlaggedWithItsFigures() {
    double[] d = weekly(1, 0.03);
    d[50] *= 1.8;
    List<Anomaly> found = detector.detect(d, null, Limits.DEFAULT, 28);
    assertThat(found).hasSize(1);
    Anomaly a = found.get(0);
    assertThat(a.day()).isEqualTo(50);
    assertThat(a.spend()).isEqualTo(d[50]);
    assertThat(a.expected()).isBetween(95.0, 105.0);
    assertThat(a.zScore()).isGreaterThan(3);
    assertThat(a.changePercent()).isGreaterThan(20);
  }

  @Test
  void aSpikeOnAWeekendIsJudgedAgainstWeekends() {
    double[] d = weekly(2, 0.03);
    d[54] = 90; // a Saturday at weekday level: +80 % for a Saturday
    assertThat(detector.detect(d, null, Limits.DEFAULT, 28)).extracting(Anomaly::day).containsExactly(54);
  }

  @Test
  void growthThatVolumeExplainsIsNotFlaggedButUnexplainedGrowthIs() {
    double[] spend = weekly(3, 0.02);
    double[] volume = new double[spend.length];
    for (int i = 0; i < spend.length; i++) {
      volume[i] = spend[i] * 10; // one unit of volume costs 0.1
    }
    spend[52] *= 1.6;
    volume[52] *= 1.6; // a traffic surge
    assertThat(detector.detect(spend, volume, Limits.DEFAULT, 28)).isEmpty();
    assertThat(detector.detect(spend, null, Limits.DEFAULT, 28)).extracting(Anomaly::day).containsExactly(52);
  }

  @Test
  void steadyGrowthIsNotAnAnomaly() {
    double[] d = weekly(4, 0.02);
    for (int i = 0; i < d.length; i++) {
      d[i] *= 1 + 0.012 * i; // +1.2 % of the start a day
    }
    assertThat(detector.detect(d, null, Limits.DEFAULT, 49)).isEmpty();
  }

  @Test
  void dropsAreNotFlaggedAndShortHistoryIsNotJudged() {
    double[] d = weekly(5, 0.02);
    d[50] *= 0.2;
    assertThat(detector.detect(d, null, Limits.DEFAULT, 28)).isEmpty();
    double[] week = Arrays.copyOf(weekly(6, 0.02), 7);
    week[6] = 1000;
    assertThat(detector.detect(week, null, Limits.DEFAULT, 7)).isEmpty();
  }

  @Test
  void theDayOverDayLimitAloneFlagsAModerateJump() {
    double[] d = weekly(7, 0.0);
    d[51] *= 1.25; // +25 % on a flat weekday is z = 5 against the 5 % spread floor: raise the z limit to see the other one
    assertThat(detector.detect(d, null, new Limits(10, 20), 28)).extracting(Anomaly::day).containsExactly(51);
    assertThat(detector.detect(d, null, new Limits(10, 30), 28)).isEmpty();
  }

  @Property(tries = 200)
  void flagsDoNotDependOnTheCurrencyScale(@ForAll @IntRange(min = 0, max = 1000) int seed,
      @ForAll @DoubleRange(min = 0.01, max = 1000) double scale, @ForAll @IntRange(min = 30, max = 55) int spikeDay,
      @ForAll @DoubleRange(min = 1.0, max = 3.0) double spike) {
    double[] d = weekly(seed, 0.05);
    d[spikeDay] *= spike;
    double[] scaled = Arrays.stream(d).map(v -> v * scale).toArray();
    assertThat(detector.detect(scaled, null, Limits.DEFAULT, 28)).extracting(Anomaly::day)
        .isEqualTo(detector.detect(d, null, Limits.DEFAULT, 28).stream().map(Anomaly::day).toList());
  }

  @Test
  void theBacktestFindsInjectedSpikesWithFewFalseAlarms() {
    AnomalyBacktest.Result r = AnomalyBacktest.run(200);
    assertThat(r.recall()).isGreaterThanOrEqualTo(0.95);
    assertThat(r.precision()).isGreaterThanOrEqualTo(0.85);
  }
}

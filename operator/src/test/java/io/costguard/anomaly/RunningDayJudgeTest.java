package io.costguard.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.anomaly.AnomalyDetector.Direction;
import io.costguard.anomaly.AnomalyDetector.Limits;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RunningDayJudgeTest {
    final RunningDayJudge judge = new RunningDayJudge();

    /** {@code n} days of hourly spend around 1.00 (busier by day), ±1 % noise; the last day is today. */
    static double[][] days(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] d = new double[n][24];
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < 24; h++) {
                d[i][h] = (h >= 8 && h < 20 ? 1.5 : 0.5) * (1 + 0.01 * (r.nextDouble() * 2 - 1));
            }
        }
        return d;
    }

    /** Today as seen after {@code complete} hours: the hours to come are not known yet. */
    static double[][] asOf(double[][] days, int complete) {
        double[][] out = days.clone();
        double[] today = Arrays.copyOf(days[days.length - 1], 24);
        Arrays.fill(today, complete, 24, Double.NaN);
        out[out.length - 1] = today;
        return out;
    }

    @Property(tries = 200)
    void aSpikeIsFlaggedInTheFirstEvaluationAfterItsFirstCompleteHour(
            @ForAll @IntRange(min = 0, max = 500) int seed,
            @ForAll @IntRange(min = 0, max = 23) int hour,
            @ForAll @DoubleRange(min = 3, max = 10) double factor) {
        double[][] d = days(28, seed);
        double[] today = d[27];
        for (int h = hour; h < 24; h++) {
            today[h] *= factor; // a runaway job from `hour` on
        }
        for (int k = 1; k <= hour; k++) {
            assertThat(judge.judge(asOf(d, k), k, Limits.DEFAULT))
                    .as("before the spike, after %d hours", k)
                    .isNull();
        }
        RunningDayJudge.Finding f = judge.judge(asOf(d, hour + 1), hour + 1, Limits.DEFAULT);
        assertThat(f).isNotNull();
        assertThat(f.anomaly().drop()).isFalse();
        assertThat(f.toHour()).isEqualTo(hour + 1);
    }

    @Test
    void aLateSpikeIsSeenInTheRecentHoursThatTheDaySoFarDilutes() {
        double[][] d = days(28, 1);
        d[27][20] *= 3; // one hour at triple spend, late in the day
        RunningDayJudge.Finding f = judge.judge(asOf(d, 21), 21, Limits.DEFAULT);
        assertThat(f).isNotNull();
        assertThat(f.fromHour()).isEqualTo(21 - RunningDayJudge.RECENT);
        // 18:00-21:00
        assertThat(f.anomaly().spend()).isCloseTo(1.5 + 1.5 + 0.5 * 3, org.assertj.core.data.Offset.offset(0.2));
    }

    @Test
    void aStoppedServiceIsADropOnlyWhenDropsAreAsked() {
        double[][] d = days(28, 2);
        Arrays.fill(d[27], 6, 24, 0.0);
        assertThat(judge.judge(asOf(d, 9), 9, new Limits(3, 20, Direction.INCREASE)))
                .isNull();
        RunningDayJudge.Finding f = judge.judge(asOf(d, 9), 9, Limits.DEFAULT);
        assertThat(f).isNotNull();
        assertThat(f.anomaly().drop()).isTrue();
    }

    @Test
    void nothingIsJudgedWithoutTwoEarlierDaysOrACompleteHour() {
        double[][] d = days(3, 3);
        d[2][0] *= 10;
        assertThat(judge.judge(asOf(Arrays.copyOfRange(d, 1, 3), 1), 1, Limits.DEFAULT))
                .isNull();
        assertThat(judge.judge(asOf(d, 0), 0, Limits.DEFAULT)).isNull();
        assertThat(judge.judge(asOf(d, 1), 1, Limits.DEFAULT)).isNotNull();
    }

    @Test
    void hoursWithoutDataAreNotZeroSpend() {
        double[][] d = days(28, 4);
        d[27][2] = Double.NaN; // one missing hour of the first four: scaled up over the other three
        assertThat(judge.judge(asOf(d, 4), 4, Limits.DEFAULT)).isNull();
        assertThat(RunningDayJudge.sum(new double[] {1, Double.NaN, 1, 1}, 0, 4))
                .isEqualTo(4.0);
        // fewer than 75 % of the hours: no value at all
        assertThat(RunningDayJudge.sum(new double[] {1, Double.NaN, Double.NaN, 1}, 0, 4))
                .isNaN();
        double[] day = new double[24];
        Arrays.fill(day, 1);
        Arrays.fill(day, 0, 7, Double.NaN);
        assertThat(RunningDayJudge.sum(day, 0, 24)).as("17 of 24 hours").isNaN();
        day[6] = 1;
        assertThat(RunningDayJudge.sum(day, 0, 24)).as("18 of 24 hours").isEqualTo(24.0);
    }
}

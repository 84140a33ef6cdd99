package io.costguard.rightsizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CpuPercentilesTest {
    /** Nearest rank, written out again: the smallest sample with at least p % of the samples at or below it. */
    static double nearestRank(double[] samples, int p) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        for (double candidate : sorted) {
            long atOrBelow = Arrays.stream(sorted).filter(v -> v <= candidate).count();
            if (atOrBelow * 100 >= (long) p * sorted.length) {
                return candidate;
            }
        }
        return sorted[sorted.length - 1];
    }

    @Property
    void everyPercentileASpecMayNameIsTheSamplesOwn(
            @ForAll @Size(min = 1, max = 400) double @DoubleRange(min = 0, max = 64) [] samples,
            @ForAll @IntRange(min = 50, max = 100) int p) {
        assertThat(CpuPercentiles.of(samples).at(p)).isEqualTo(nearestRank(samples, p));
    }

    @Property
    void theSizeKeptDoesNotGrowWithTheSamples(@ForAll @Size(min = 1, max = 5000) double[] samples) {
        CpuPercentiles kept = CpuPercentiles.of(samples);
        assertThat(kept.byPercentile()).hasSize(51);
        assertThat(kept.samples()).isEqualTo(samples.length);
    }

    @Test
    void aWeekAtFiveMinutesOfOneCoreSteps() {
        double[] week = new double[2016];
        for (int i = 0; i < week.length; i++) {
            week[i] = (i % 100) / 100.0;
        }
        CpuPercentiles kept = CpuPercentiles.of(week);
        assertThat(kept.at(50)).isEqualTo(0.49);
        assertThat(kept.at(95)).isEqualTo(0.94);
        assertThat(kept.at(100)).isEqualTo(0.99);
    }

    @Test
    void noSamplesHaveNoPercentile() {
        assertThat(CpuPercentiles.of(new double[0])).isSameAs(CpuPercentiles.NONE);
        assertThatThrownBy(() -> CpuPercentiles.NONE.at(95)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.costguard.rightsizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
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

    @Property
    void acrossPodsIsNeverBelowThePooledPercentileNorAboveTheHighestPod(
            @ForAll @Size(min = 1, max = 6) List<@Size(min = 1, max = 200) double[]> signed,
            @ForAll @IntRange(min = 50, max = 100) int p) {
        // CPU cores are never negative
        List<double[]> pods = signed.stream()
                .map(a -> Arrays.stream(a).map(Math::abs).toArray())
                .toList();
        List<CpuPercentiles.Pod> figures = new ArrayList<>();
        double highest = 0;
        for (double[] pod : pods) {
            double own = nearestRank(pod, p);
            highest = Math.max(highest, own);
            figures.add(new CpuPercentiles.Pod(own, pod.length, 0));
        }
        double[] pooled = pods.stream().flatMapToDouble(Arrays::stream).toArray();
        CpuPercentiles across = CpuPercentiles.acrossPods(figures, p, 1);
        assertThat(across.at(p)).isGreaterThanOrEqualTo(nearestRank(pooled, p)).isEqualTo(highest);
        assertThat(across.samples()).isEqualTo(pooled.length);
        assertThat(across.has(p)).isTrue();
        assertThat(IntStream.rangeClosed(50, 100).filter(across::has)).containsExactly(p);
    }

    @Property
    void podsThatBehaveAlikeGiveThePooledPercentile(
            @ForAll @Size(min = 1, max = 300) double[] signed,
            @ForAll @IntRange(min = 1, max = 10) int replicas,
            @ForAll @IntRange(min = 50, max = 100) int p) {
        double[] samples = Arrays.stream(signed).map(Math::abs).toArray();
        List<CpuPercentiles.Pod> figures = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            figures.add(new CpuPercentiles.Pod(nearestRank(samples, p), samples.length, 0));
        }
        double[] pooled = new double[samples.length * replicas];
        for (int i = 0; i < replicas; i++) {
            System.arraycopy(samples, 0, pooled, i * samples.length, samples.length);
        }
        assertThat(CpuPercentiles.acrossPods(figures, p, 1).at(p)).isEqualTo(nearestRank(pooled, p));
    }

    @Test
    void aPodThatRanMinutesDoesNotLiftTheWorkload() {
        // two replicas a week at 0.3 cores; a crash-looping pod's three steps at 2 cores while it started
        var pods = List.of(
                new CpuPercentiles.Pod(0.3, 2016, 0),
                new CpuPercentiles.Pod(0.32, 2016, 0),
                new CpuPercentiles.Pod(2.0, 3, 0));
        assertThat(CpuPercentiles.acrossPods(pods, 95, 12).at(95)).isEqualTo(0.32);
        assertThat(CpuPercentiles.acrossPods(pods, 95, 12).samples()).isEqualTo(4035);
        // when no pod ran long enough, all of them count
        assertThat(CpuPercentiles.acrossPods(List.of(pods.get(2)), 95, 12).at(95))
                .isEqualTo(2.0);
        assertThat(CpuPercentiles.acrossPods(List.of(new CpuPercentiles.Pod(1, 0, 0)), 95, 12))
                .isSameAs(CpuPercentiles.NONE);
    }
}

package io.costguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Histogram quantiles, pod-to-workload mapping and cost per 1k requests. */
class SignalMathTest {
    @Test
    void quantileInterpolatesInsideTheBucketLikePromQL() {
        Map<Double, Double> b = Map.of(0.1, 10.0, 0.2, 60.0, 0.5, 100.0, Double.POSITIVE_INFINITY, 100.0);
        // rank 95 lies in (0.2, 0.5]: 0.2 + 0.3 × (95-60)/40
        assertThat(BucketQuantile.of(0.95, b)).isCloseTo(0.4625, within(1e-12));
        assertThat(BucketQuantile.of(0.05, b)).isCloseTo(0.05, within(1e-12));
        // rank in +Inf: the last finite bound
        assertThat(BucketQuantile.of(0.95, Map.of(0.1, 10.0, Double.POSITIVE_INFINITY, 100.0)))
                .isEqualTo(0.1);
        assertThat(BucketQuantile.of(0.95, Map.of(0.1, 0.0, Double.POSITIVE_INFINITY, 0.0)))
                .isNull();
        assertThat(BucketQuantile.of(0.95, Map.of(0.1, 5.0))).isNull();
    }

    @Property
    void aStepInEveryObservationMovesTheQuantileByTheSameFactorWhenBucketsScale(
            @ForAll @DoubleRange(min = 0.01, max = 5) double latency,
            @ForAll @IntRange(min = 110, max = 300) int factorPercent) {
        // uniform observations in (0, latency]: with bounds scaled by the same factor, the estimate scales exactly
        double f = factorPercent / 100.0;
        Map<Double, Double> before = new HashMap<>();
        Map<Double, Double> after = new HashMap<>();
        for (int i = 1; i <= 10; i++) {
            before.put(latency * i / 10, i * 10.0);
            after.put(latency * f * i / 10, i * 10.0);
        }
        before.put(Double.POSITIVE_INFINITY, 100.0);
        after.put(Double.POSITIVE_INFINITY, 100.0);
        assertThat(BucketQuantile.of(0.95, after)).isCloseTo(BucketQuantile.of(0.95, before) * f, within(1e-9));
    }

    @Test
    void podsMapToTheirWorkloadByName() {
        assertThat(WorkloadPods.deployment("api-7d9f8c6b5-abcde")).hasValue("api");
        assertThat(WorkloadPods.deployment("api-v2-7d9f8c6b5-abcde")).hasValue("api-v2");
        assertThat(WorkloadPods.deployment("db-0")).isEmpty();
        assertThat(WorkloadPods.statefulSet("db-0")).hasValue("db");
        assertThat(WorkloadPods.statefulSet("my-db-12")).hasValue("my-db");
        assertThat(WorkloadPods.statefulSet("api-7d9f8c6b5-abcde")).isEmpty();
        assertThat(WorkloadPods.regex("Deployment", "a.b")).isEqualTo("a\\\\.b-[a-z0-9]{1,10}-[a-z0-9]{5}");
    }

    @Test
    void costPer1kIsAbsentWithoutRequests() {
        assertThat(new Signals(null, 0.1, 0.0, 100.0, 0.36, null, null, null, null).costPer1k())
                .isCloseTo(0.001, within(1e-15));
        assertThat(new Signals(null, 0.1, 0.0, 0.0, 0.36, null, null, null, null).costPer1k())
                .isNull();
        assertThat(new Signals(null, 0.1, 0.0, 100.0, null, null, null, null, null).costPer1k())
                .isNull();
    }
}

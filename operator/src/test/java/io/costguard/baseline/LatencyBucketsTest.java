package io.costguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.prometheus.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * The namespace's bucket answer summed per workload in arrays gives the p95 history that summing into a map per step
 * gave (the reference below is that earlier code), including steps where a pod or a bound has no sample.
 */
class LatencyBucketsTest {
    private static final List<String> LES = List.of("0.05", "0.1", "0.10", "0.25", "1", "2.5", "+Inf", "bogus");
    private static final List<String> PODS = List.of("web-1", "web-2", "api-1", "api-2", "stray-1");
    private static final long START = 1_764_000_000L;
    private static final Duration STEP = Duration.ofSeconds(45);

    private static String owner(Series s) {
        String pod = s.labels().get("pod");
        return pod.startsWith("stray") ? null : pod.substring(0, pod.indexOf('-'));
    }

    @Property(tries = 500)
    void p95HistoryEqualsSummingIntoAMapPerStep(@ForAll("answers") List<Series> answer) {
        LatencyBuckets buckets = LatencyBuckets.of(answer, LatencyBucketsTest::owner);
        for (String workload : List.of("web", "api", "none")) {
            assertThat(buckets.p95(workload, STEP).points()).as(workload).isEqualTo(reference(answer, workload));
        }
    }

    @Property(tries = 1000)
    void quantileOverArraysEqualsTheSortedMapWalk(
            @ForAll("cumulative") Map<Double, Double> cumulative, @ForAll @DoubleRange(min = 0, max = 1) double q) {
        assertThat(BucketQuantile.of(q, cumulative)).isEqualTo(referenceQuantile(q, cumulative));
    }

    @Test
    void aBoundWithoutASampleAtOneStepIsLeftOutOfThatStepOnly() {
        List<Series> answer = List.of(
                series("web-1", "0.1", new long[] {START, START + 45}, new double[] {5, 9}),
                series("web-1", "1", new long[] {START}, new double[] {10}),
                series("web-1", "+Inf", new long[] {START, START + 45}, new double[] {10, 10}));
        List<LatencyHistory.Point> points = LatencyBuckets.of(answer, LatencyBucketsTest::owner)
                .p95("web", STEP)
                .points();
        // at START the rank 9.5 falls in (0.1, 1]; at START+45 there is no 1 bucket, so it falls in +Inf: 0.1
        assertThat(points).extracting(LatencyHistory.Point::seconds).containsExactly(0.1 + 0.9 * 4.5 / 5, 0.1);
        assertThat(points).isEqualTo(reference(answer, "web"));
    }

    @Provide
    Arbitrary<List<Series>> answers() {
        Arbitrary<Series> one = Combinators.combine(
                        Arbitraries.of(PODS),
                        Arbitraries.of(LES),
                        Arbitraries.integers().between(0, 63),
                        Arbitraries.doubles().between(0, 50).ofScale(2).list().ofSize(6))
                .as((pod, le, mask, values) -> {
                    List<Long> ts = new ArrayList<>();
                    List<Double> vs = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        if ((mask & (1 << i)) != 0) {
                            ts.add(START + i * STEP.getSeconds());
                            vs.add(values.get(i));
                        }
                    }
                    return series(
                            pod,
                            le,
                            ts.stream().mapToLong(Long::longValue).toArray(),
                            vs.stream().mapToDouble(Double::doubleValue).toArray());
                });
        return one.list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Map<Double, Double>> cumulative() {
        return Arbitraries.maps(
                        Arbitraries.of(0.0, 0.05, 0.1, 0.25, 1.0, 2.5, Double.POSITIVE_INFINITY),
                        Arbitraries.doubles().between(0, 100).ofScale(1))
                .ofMaxSize(7);
    }

    private static Series series(String pod, String le, long[] ts, double[] vs) {
        return new Series(Map.of("pod", pod, "le", le), ts, vs);
    }

    /** The earlier aggregation: workload → step → bound → summed rate, then the quantile of each step. */
    private static List<LatencyHistory.Point> reference(List<Series> answer, String workload) {
        Map<String, TreeMap<Long, Map<Double, Double>>> buckets = new HashMap<>();
        for (Series s : answer) {
            String w = owner(s);
            Double le = LatencyBuckets.parseLe(s.labels().get("le"));
            if (w != null && le != null) {
                for (int i = 0; i < s.size(); i++) {
                    buckets.computeIfAbsent(w, k -> new TreeMap<>())
                            .computeIfAbsent(s.timestamps()[i], k -> new HashMap<>())
                            .merge(le, s.values()[i], Double::sum);
                }
            }
        }
        List<LatencyHistory.Point> points = new ArrayList<>();
        buckets.getOrDefault(workload, new TreeMap<>()).forEach((time, c) -> {
            Double p95 = referenceQuantile(0.95, c);
            if (p95 != null) {
                points.add(new LatencyHistory.Point(Instant.ofEpochSecond(time), p95));
            }
        });
        return points;
    }

    /** The earlier quantile: a walk over the buckets sorted in a TreeMap. */
    private static Double referenceQuantile(double q, Map<Double, Double> cumulative) {
        TreeMap<Double, Double> b = new TreeMap<>(cumulative);
        if (b.isEmpty() || !b.lastKey().isInfinite()) {
            return null;
        }
        double total = b.lastEntry().getValue();
        if (!(total > 0)) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        double lastFinite = 0;
        double running = 0;
        for (Map.Entry<Double, Double> e : b.entrySet()) {
            double count = Math.max(running, e.getValue());
            running = count;
            if (count >= rank) {
                if (e.getKey().isInfinite()) {
                    return lastFinite;
                }
                double upper = e.getKey();
                if (lowerBound == 0 && upper <= 0) {
                    return upper;
                }
                double inBucket = count - lowerCount;
                return inBucket <= 0 ? upper : lowerBound + (upper - lowerBound) * (rank - lowerCount) / inBucket;
            }
            if (!e.getKey().isInfinite()) {
                lastFinite = e.getKey();
            }
            lowerBound = e.getKey();
            lowerCount = count;
        }
        return lastFinite;
    }
}

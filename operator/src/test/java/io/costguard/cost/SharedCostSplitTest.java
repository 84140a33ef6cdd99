package io.costguard.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.config.ShareDriver;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class SharedCostSplitTest {

    @Provide
    Arbitrary<Map<String, Double>> costs() {
        return Arbitraries.maps(
                        Arbitraries.of("alpha", "beta", "gamma", "delta", "eps"),
                        Arbitraries.doubles().between(0, 500).ofScale(4))
                .ofMaxSize(5);
    }

    @Provide
    Arbitrary<Map<String, Double>> weights() {
        return Arbitraries.maps(
                        Arbitraries.of("alpha", "beta", "gamma", "zeta"),
                        Arbitraries.doubles().between(0, 10).ofScale(2))
                .ofMaxSize(4);
    }

    @Property
    void everySplitAddsUpToTheSharedCost(
            @ForAll @DoubleRange(min = 0, max = 10_000) double cost,
            @ForAll ShareDriver driver,
            @ForAll("weights") Map<String, Double> weights,
            @ForAll("costs") Map<String, Double> direct,
            @ForAll("costs") Map<String, Double> query) {
        SharedCostSplit.Split s = SharedCostSplit.split(cost, driver, weights, direct, query);
        double sum =
                s.shares().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(sum + s.unallocated()).isCloseTo(cost, within(1e-9 * Math.max(1, cost)));
        assertThat(s.shares().values()).allSatisfy(v -> assertThat(v).isGreaterThanOrEqualTo(0));
        boolean anyTakesPart = s.used() == ShareDriver.Query
                ? query.entrySet().stream().anyMatch(e -> e.getValue() > 0 && weights.getOrDefault(e.getKey(), 1.0) > 0)
                : direct.entrySet().stream()
                        .anyMatch(e -> e.getValue() > 0 && weights.getOrDefault(e.getKey(), 1.0) > 0);
        assertThat(s.unallocated() == 0).isEqualTo(anyTakesPart || cost == 0);
    }

    @Property
    void sharesFollowTheWeightsAndTheDriver(
            @ForAll @DoubleRange(min = 1, max = 10_000) double cost,
            @ForAll ShareDriver driver,
            @ForAll("weights") Map<String, Double> weights,
            @ForAll("costs") Map<String, Double> direct,
            @ForAll("costs") Map<String, Double> query) {
        SharedCostSplit.Split s = SharedCostSplit.split(cost, driver, weights, direct, query);
        Map<String, Double> basis = s.used() == ShareDriver.Query ? query : direct;
        Map<String, Double> measure = new HashMap<>();
        basis.forEach((k, v) -> {
            double w = weights.getOrDefault(k, 1.0);
            if (v > 0 && w > 0) {
                measure.put(k, (s.used() == ShareDriver.Even ? 1 : v) * w);
            }
        });
        double total =
                measure.values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(s.shares().keySet()).isEqualTo(measure.keySet());
        measure.forEach((k, m) -> assertThat(s.shares().get(k)).isCloseTo(cost * m / total, within(1e-9 * cost)));
    }

    @Property
    void anEmptyQueryFallsBackToWeightedAndSaysSo(
            @ForAll @DoubleRange(min = 0, max = 10_000) double cost,
            @ForAll("weights") Map<String, Double> weights,
            @ForAll("costs") Map<String, Double> direct) {
        SharedCostSplit.Split fromQuery = SharedCostSplit.split(cost, ShareDriver.Query, weights, direct, Map.of());
        SharedCostSplit.Split weighted = SharedCostSplit.split(cost, ShareDriver.Weighted, weights, direct, Map.of());
        assertThat(fromQuery.fellBack()).isTrue();
        assertThat(fromQuery.used()).isEqualTo(ShareDriver.Weighted);
        assertThat(fromQuery.shares()).isEqualTo(weighted.shares());
        assertThat(weighted.fellBack()).isFalse();
    }

    @Property
    void idleIsNeverNegative(
            @ForAll @DoubleRange(min = 0, max = 1e6) double node,
            @ForAll @DoubleRange(min = 0, max = 1e6) double allocated) {
        double idle = SharedCostSplit.idle(node, allocated);
        assertThat(idle).isGreaterThanOrEqualTo(0);
        assertThat(idle + Math.min(node, allocated)).isCloseTo(node, within(1e-6));
    }

    @Test
    void weightedSplitsByDirectCostAndFixedWeightsScaleIt() {
        Map<String, Double> direct = Map.of("alpha", 30.0, "beta", 10.0);
        assertThat(SharedCostSplit.split(8, ShareDriver.Weighted, Map.of(), direct, Map.of())
                        .shares())
                .containsEntry("alpha", 6.0)
                .containsEntry("beta", 2.0);
        assertThat(SharedCostSplit.split(8, ShareDriver.Weighted, Map.of("beta", 3.0), direct, Map.of())
                        .shares())
                .containsEntry("alpha", 4.0)
                .containsEntry("beta", 4.0);
        assertThat(SharedCostSplit.split(9, ShareDriver.Even, Map.of("alpha", 2.0), direct, Map.of())
                        .shares())
                .containsEntry("alpha", 6.0)
                .containsEntry("beta", 3.0);
    }

    @Test
    void aQueryWithDataIsUsedAndAValueWithoutDirectCostCanPay() {
        SharedCostSplit.Split s = SharedCostSplit.split(
                10, ShareDriver.Query, Map.of(), Map.of("alpha", 1.0), Map.of("alpha", 1.0, "beta", 4.0));
        assertThat(s.fellBack()).isFalse();
        assertThat(s.shares()).containsEntry("alpha", 2.0).containsEntry("beta", 8.0);
    }

    @Test
    void nobodyToChargeLeavesTheCostUnallocated() {
        SharedCostSplit.Split s = SharedCostSplit.split(5, ShareDriver.Even, Map.of(), Map.of(), Map.of());
        assertThat(s.shares()).isEmpty();
        assertThat(s.unallocated()).isEqualTo(5);
        assertThat(SharedCostSplit.idle(10, 12)).isZero();
    }
}

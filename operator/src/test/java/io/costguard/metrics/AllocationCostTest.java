package io.costguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.cost.AllocationKey;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spend by allocation key: attributed combinations of the newest hour only, gone when they have no cost. */
class AllocationCostTest {
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Test
    void attributedKeysOfTheHourAreSeriesAndVanishedOnesGo() throws IOException {
        AllocationCost cost = new AllocationCost(registry, List.of("tenant", "team"));
        Map<AllocationKey, Double> first = new LinkedHashMap<>();
        first.put(new AllocationKey("team-a", List.of("alpha", "a")), 1.5);
        first.put(new AllocationKey("team-a", List.of("beta", "b")), 0.25);
        first.put(new AllocationKey("team-a", List.of("alpha", "")), 9.0);
        cost.hour(first);
        String text = LeadershipTest.scrape(registry);
        assertThat(text)
                .contains("costguard_allocation_cost{namespace=\"team-a\",team=\"a\",tenant=\"alpha\"} 1.5")
                .contains("costguard_allocation_cost{namespace=\"team-a\",team=\"b\",tenant=\"beta\"} 0.25")
                .as("unattributed cost is costguard_unattributed_cost's")
                .doesNotContain("9.0");

        cost.hour(Map.of(new AllocationKey("team-a", List.of("alpha", "a")), 2.0));
        assertThat(LeadershipTest.scrape(registry))
                .contains("tenant=\"alpha\"} 2.0")
                .doesNotContain("tenant=\"beta\"");
    }

    @Test
    void anExtraKeyNamedNamespaceIsLeftOutAndItsCostsAddUp() throws IOException {
        AllocationCost cost = new AllocationCost(registry, List.of("tenant", "namespace"));
        cost.hour(Map.of(
                new AllocationKey("ns", List.of("alpha", "x")),
                1.0,
                new AllocationKey("ns", List.of("alpha", "y")),
                2.0));
        assertThat(LeadershipTest.scrape(registry))
                .contains("costguard_allocation_cost{namespace=\"ns\",tenant=\"alpha\"} 3.0");
    }
}

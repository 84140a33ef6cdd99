package io.costguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** costguard_budget_info: the one series per budget that alerts join on to carry its owners' labels. */
class OperatorMetricsTest {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final OperatorMetrics metrics = new OperatorMetrics(registry);

    private java.util.List<String> infoLines() throws IOException {
        return LeadershipTest.scrape(registry)
                .lines()
                .filter(l -> l.startsWith("costguard_budget_info{"))
                .toList();
    }

    @Test
    void aBudgetExportsItsSelectorsAllocationKeysWithEmptyForTheKeysItLeavesOut() throws IOException {
        metrics.budgetOwner("team-a", "monthly", Map.of("tenant", "alpha", "team", "payments", "cluster", "eu-1"));

        assertThat(infoLines())
                .containsExactly(
                        "costguard_budget_info{environment=\"\",feature=\"\",name=\"monthly\",namespace=\"team-a\",team=\"payments\",tenant=\"alpha\"} 1");
    }

    @Test
    void aChangedSelectorReplacesTheSeriesSoAJoinFindsExactlyOne() throws IOException {
        metrics.budgetOwner("team-a", "monthly", Map.of("team", "payments"));
        metrics.budgetOwner("team-a", "monthly", Map.of("team", "payments"));
        metrics.budgetOwner("team-a", "monthly", Map.of("team", "checkout", "environment", "prod"));
        metrics.budgetOwner("team-b", "daily", null);

        assertThat(infoLines())
                .containsExactlyInAnyOrder(
                        "costguard_budget_info{environment=\"prod\",feature=\"\",name=\"monthly\",namespace=\"team-a\",team=\"checkout\",tenant=\"\"} 1",
                        "costguard_budget_info{environment=\"\",feature=\"\",name=\"daily\",namespace=\"team-b\",team=\"\",tenant=\"\"} 1");
    }

    @Test
    void aDeletedBudgetTakesItsSeriesAlong() throws IOException {
        metrics.budgetOwner("team-a", "monthly", Map.of("team", "payments"));
        metrics.budgetOwner("team-b", "daily", Map.of("team", "search"));
        metrics.forgetBudget("team-a", "monthly", "USD");

        assertThat(infoLines())
                .containsExactly(
                        "costguard_budget_info{environment=\"\",feature=\"\",name=\"daily\",namespace=\"team-b\",team=\"search\",tenant=\"\"} 1");
    }
}

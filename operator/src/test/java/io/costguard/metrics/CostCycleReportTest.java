package io.costguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostQueries;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.testing.MutableClock;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a cost cycle reports: its own figures, the newest hour per key, unattributed cost per namespace. */
class CostCycleReportTest {
    static final Instant NOW = Instant.parse("2026-11-23T06:40:00Z");
    final PrometheusRegistry registry = new PrometheusRegistry();
    StubPrometheus prometheus;
    CostCollector collector;

    @BeforeEach
    void setUp() throws Exception {
        prometheus = new StubPrometheus()
                .costSeries(1.5, "team-a", "alpha", "search", "a", "prod")
                .costSeries(0.25, "team-b", "", "", "", "");
        OperatorConfig config = TestConfigs.operator(prometheus.url(), "60s", Map.of());
        collector = new CostCollector(
                new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE),
                new CostQueries(config),
                new HourlyCostLedger(config.allocationKeys()),
                new MutableClock(NOW),
                config);
        collector.onCycle(new CostCycleReport(
                config,
                collector,
                new OperatorMetrics(registry),
                new AllocationCost(registry, config.allocationKeys()),
                new SharedCostMetrics(registry, config.allocationKeys())));
    }

    @AfterEach
    void tearDown() {
        prometheus.close();
    }

    @Test
    void aCycleWithDataReportsTheNewestHourAttributedAndUnattributed() throws Exception {
        collector.collect();
        String text = LeadershipTest.scrape(registry);
        assertThat(text)
                .contains("costguard_unattributed_cost{namespace=\"team-b\"} 0.25")
                .contains("tenant=\"alpha\"} 1.5")
                .doesNotContain("costguard_unattributed_cost{namespace=\"team-a\"}");
    }

    @Test
    void aCycleWithoutDataReportsNoCost() throws Exception {
        prometheus.down(true);
        collector.collect();
        assertThat(LeadershipTest.scrape(registry))
                .doesNotContain("costguard_unattributed_cost{")
                .doesNotContain("costguard_allocation_cost{");
        assertThat(List.of(collector.status().available())).containsExactly(false);
    }
}

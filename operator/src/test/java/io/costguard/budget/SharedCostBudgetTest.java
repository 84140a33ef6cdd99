package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.BudgetScope;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.app.OperatorApp;
import io.costguard.config.ConfigLoader;
import io.costguard.testing.MockApi;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.costs against the fabric8 mock API and a stand-in Prometheus: the monitoring namespace is shared by tenant,
 * Weighted, so each tenant's share equals its direct cost here (direct 1 + 0.5 + 2 an hour, monitoring 3.5).
 */
@EnableKubernetesMockClient(crud = true)
class SharedCostBudgetTest {
    // 346 complete hours of November at 10:30 on the 15th
    static final Instant NOW = Instant.parse("2026-11-15T10:30:00Z");
    static final int HOURS = 14 * 24 + 10;

    KubernetesClient client;
    StubPrometheus prometheus;
    OperatorApp app;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        MockApi.crds(client, "costbudgets");
        MockApi.namespaces(client, "team-a", "team-b", "monitoring", "costguard-system");
        prometheus = new StubPrometheus()
                .costSeries(1.0, "team-a", "alpha", "search", "a", "prod")
                .costSeries(0.5, "team-a", "beta", "search", "a", "prod")
                .costSeries(2.0, "team-b", "gamma", "search", "b", "prod")
                .costSeries(3.5, "monitoring", "platform", "observability", "sre", "prod");
        Path file = Files.writeString(
                dir.resolve("costguard.yaml"),
                "attribution:\n  shared:\n    - name: monitoring\n      namespaces: [monitoring]\n");
        app = new OperatorApp(
                TestConfigs.operator(prometheus.url(), "1s", Map.of(ConfigLoader.CONFIG_FILE_ENV, file.toString())),
                client,
                Clock.fixed(NOW, ZoneOffset.UTC));
        app.start();
    }

    @AfterEach
    void stop() {
        app.close();
        prometheus.close();
    }

    @Test
    void aDirectAndSharedBudgetMovesByExactlyItsShare() {
        create("team-a", "alpha-direct", spec(Map.of("tenant", "alpha"), null));
        create("team-a", "alpha-all", spec(Map.of("tenant", "alpha"), "DirectAndShared"));
        create("team-b", "gamma-all", spec(Map.of("tenant", "gamma"), "DirectAndShared"));
        create("monitoring", "monitoring", spec(Map.of(), null));

        CostBudget direct = awaitSpent("team-a", "alpha-direct");
        CostBudget all = awaitSpent("team-a", "alpha-all");
        assertThat(direct.getStatus().spent).isEqualTo(money(1.0 * HOURS));
        assertThat(direct.getStatus().spentDirect).isEqualTo(money(1.0 * HOURS));
        assertThat(direct.getStatus().spentShared).as("shown, not counted").isEqualTo(money(1.0 * HOURS));
        assertThat(all.getStatus().spentDirect).isEqualTo(direct.getStatus().spentDirect);
        assertThat(all.getStatus().spentShared).isEqualTo(money(3.5 * (1.0 / 3.5) * HOURS));
        assertThat(new BigDecimal(all.getStatus().spent).subtract(new BigDecimal(direct.getStatus().spent)))
                .isEqualByComparingTo(new BigDecimal(all.getStatus().spentShared));
        CostBudget gamma = awaitSpent("team-b", "gamma-all");
        assertThat(gamma.getStatus().spent).isEqualTo(money((2.0 + 3.5 * 2 / 3.5) * HOURS));
        CostBudget monitoring = awaitSpent("monitoring", "monitoring");
        assertThat(monitoring.getStatus().spent)
                .as("a shared selection wins over the namespace's own attribution")
                .isEqualTo("0.00");
    }

    @Test
    void anUnknownCostsValueIsInvalidNamingTheField() {
        create("team-a", "bad", spec(Map.of(), "Everything"));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "bad");
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().state).isEqualTo("Invalid");
            assertThat(b.getStatus().conditions)
                    .anySatisfy(c -> assertThat(c.getMessage()).contains("spec.costs"));
        });
    }

    private static String money(double v) {
        return BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static CostBudgetSpec spec(Map<String, String> selector, String costs) {
        CostBudgetSpec spec = new CostBudgetSpec();
        spec.amount = "100000.00";
        spec.scope = new BudgetScope();
        spec.scope.selector = selector;
        spec.costs = costs;
        return spec;
    }

    private void create(String ns, String name, CostBudgetSpec spec) {
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        b.setSpec(spec);
        client.resource(b).create();
    }

    private CostBudget get(String ns, String name) {
        return client.resources(CostBudget.class).inNamespace(ns).withName(name).get();
    }

    private CostBudget awaitSpent(String ns, String name) {
        await().atMost(Waits.RETRIED).until(() -> {
            CostBudget b = get(ns, name);
            return b.getStatus() != null && b.getStatus().spentDirect != null;
        });
        return get(ns, name);
    }
}

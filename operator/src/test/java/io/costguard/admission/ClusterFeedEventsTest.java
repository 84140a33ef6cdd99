package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.NamespaceTrust;
import io.costguard.testing.MockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The webhook's feed follows CostBudgets and PerfBaselines through their informers: a status that freezes adds the
 * freeze, an update that clears it thaws, and a deleted object leaves neither a freeze nor a budget behind.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterFeedEventsTest {
    static final String BUDGET = "team-a/cap";
    static final String BASELINE = "PerfBaseline team-a/api";
    static final Duration WAIT = io.costguard.testing.Waits.RECONCILED;

    KubernetesClient client;

    @Test
    void addsUpdatesAndDeletesReachTheFreezesAndTheBudgetIndex() {
        MockApi.namespaces(client, "team-a");
        CostBudget budget = create(CostBudget.class, """
                kind: CostBudget
                metadata: {name: cap, namespace: team-a}
                spec:
                  amount: "100.00"
                  scope: {selector: {tenant: alpha}}
                  thresholds: [{percent: 100, actions: [Freeze]}]
                """);
        budget.setStatus(new CostBudgetStatus());
        budget.getStatus().state = "Exceeded";
        budget.getStatus().used = "120%";
        budget.getStatus().usedPercent = 120;
        budget.getStatus().deploysFrozen = true;
        client.resources(CostBudget.class)
                .inNamespace("team-a")
                .resource(budget)
                .patchStatus();
        PerfBaseline baseline = create(PerfBaseline.class, """
                kind: PerfBaseline
                metadata: {name: api, namespace: team-a}
                spec: {workload: {name: api}, onRegression: [Freeze]}
                """);
        frozen(baseline, true);

        try (NamespaceTrust trust = new NamespaceTrust(client, "costguard-system");
                ClusterFeed feed = new ClusterFeed(
                        client,
                        trust,
                        new FreezeRegistry(),
                        new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, Map.of(), "USD"),
                        Set.of(),
                        new Workloads(Workloads.DEFAULT))) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(feed.freezes().snapshot()).containsOnlyKeys(BUDGET, BASELINE);
                assertThat(feed.budgets().covering("team-a", Map.of("tenant", "alpha")))
                        .extracting(BudgetIndex.Budget::id)
                        .containsExactly(BUDGET);
            });

            frozen(baseline, false);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(feed.freezes().snapshot()).containsOnlyKeys(BUDGET));

            client.resources(CostBudget.class)
                    .inNamespace("team-a")
                    .withName("cap")
                    .delete();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(feed.freezes().snapshot()).isEmpty();
                assertThat(feed.budgets().covering("team-a", Map.of("tenant", "alpha")))
                        .isEmpty();
            });

            frozen(baseline, true);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(feed.freezes().snapshot()).containsOnlyKeys(BASELINE));
            client.resources(PerfBaseline.class)
                    .inNamespace("team-a")
                    .withName("api")
                    .delete();
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(feed.freezes().snapshot()).isEmpty());
        }
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T create(Class<T> type, String yaml) {
        T object = Serialization.unmarshal("apiVersion: costguard.io/v1alpha1\n" + yaml, type);
        return client.resources(type).inNamespace("team-a").resource(object).create();
    }

    private void frozen(PerfBaseline baseline, boolean frozen) {
        baseline.setStatus(new PerfBaselineStatus());
        baseline.getStatus().state = frozen ? "Regressed" : "Ok";
        baseline.getStatus().deploysFrozen = frozen;
        baseline.getStatus().freezeSelector = Map.of("app", "api");
        baseline.getMetadata().setResourceVersion(null);
        client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .resource(baseline)
                .patchStatus();
    }
}

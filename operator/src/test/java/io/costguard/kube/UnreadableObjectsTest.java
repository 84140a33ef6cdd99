package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.admission.ClusterFeed;
import io.costguard.api.BenchRun;
import io.costguard.api.CostBudget;
import io.costguard.api.PerfBaseline;
import io.costguard.app.OperatorApp;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.status.Conditions;
import io.costguard.testing.MockApi;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Objects of the wrong shape (as {@code kubectl apply --validate=false} against an older or looser CRD leaves them)
 * beside healthy ones, against the mock API: before, one of them failed the informer's list for its whole kind and
 * no object of that kind was reconciled; now each is reported and skipped, and the healthy ones go on.
 */
@EnableKubernetesMockClient(crud = true)
class UnreadableObjectsTest {
    static final Instant NOW = Instant.parse("2026-11-15T10:30:00Z");

    KubernetesClient client;
    StubPrometheus prometheus;
    OperatorApp app;

    @BeforeEach
    void start() throws IOException {
        MockApi.crds(client, "costbudgets", "perfbaselines", "benchruns");
        MockApi.namespaces(client, "team-a", "costguard-system");
        prometheus = new StubPrometheus().costSeries(1.0, "team-a", "alpha", "search", "a", "prod");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        prometheus.close();
    }

    @Test
    void brokenObjectsAreReportedAndSkippedWhileHealthyOnesAreReconciled() throws Exception {
        raw("CostBudget", "healthy", "{\"amount\": \"100000.00\", \"scope\": {\"selector\": {\"tenant\": \"alpha\"}}}");
        raw("CostBudget", "list-for-map", "{\"amount\": \"100.00\", \"thresholds\": {\"percent\": 70}}");
        raw("CostBudget", "from-the-future", "{\"amount\": \"100.00\", \"costCenter\": \"cc-7\"}");
        raw(
                "PerfBaseline",
                "string-for-number",
                "{\"workload\": {\"name\": \"api\"}, \"regression\": {\"consecutiveEvaluations\": \"many\"}}");
        raw("BenchRun", "list-for-object", "{\"target\": {\"url\": \"http://api:8080\"}, \"load\": [\"rate\", 10]}");

        app = new OperatorApp(
                TestConfigs.operator(prometheus.url(), "1s", Map.of()), client, Clock.fixed(NOW, ZoneOffset.UTC));
        app.start();
        try (ClusterFeed feed = new ClusterFeed(
                client,
                new NamespaceTrust(client, "costguard-system"),
                new FreezeRegistry(),
                new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, java.util.Map.of(), "USD"),
                Set.of(),
                new io.costguard.admission.Workloads(io.costguard.admission.Workloads.DEFAULT))) {
            await().atMost(Waits.RETRIED).ignoreExceptions().untilAsserted(() -> {
                CostBudget healthy = budget("healthy");
                assertThat(healthy.getStatus().state).isEqualTo("Ok");
                assertThat(healthy.getStatus().spent).isEqualTo("346.00");
                // the webhook's picture of the cluster (every replica's informers) holds the healthy budget too
                assertThat(feed.budgets().covering("team-a", Map.of("tenant", "alpha")))
                        .extracting(b -> b.id())
                        .containsExactly("team-a/healthy");
            });

            await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
                assertThat(readyMessage(
                                budget("list-for-map").getStatus().conditions,
                                budget("list-for-map").getStatus().state))
                        .contains(
                                "spec.thresholds: is an object, but a list belongs here",
                                "kubectl explain costbudget.spec.thresholds")
                        .doesNotContain("java.", "LinkedHashMap", "ArrayList");
                assertThat(readyMessage(
                                budget("from-the-future").getStatus().conditions,
                                budget("from-the-future").getStatus().state))
                        .contains("spec.costCenter: is not a field this costguard version knows", "remove it");
                PerfBaseline pb = client.resources(PerfBaseline.class)
                        .inNamespace("team-a")
                        .withName("string-for-number")
                        .get();
                assertThat(readyMessage(pb.getStatus().conditions, pb.getStatus().state))
                        .contains(
                                "spec.regression.consecutiveEvaluations: is the string 'many', but a whole number belongs here");
                BenchRun run = client.resources(BenchRun.class)
                        .inNamespace("team-a")
                        .withName("list-for-object")
                        .get();
                assertThat(readyMessage(run.getStatus().conditions, run.getStatus().phase))
                        .contains("spec.load: is a list, but an object belongs here");
            });

            // the operator's own writes (finalizer, status) left the user's spec as it was
            assertThat(client.genericKubernetesResources("costguard.io/v1alpha1", "CostBudget")
                            .inNamespace("team-a")
                            .withName("list-for-map")
                            .get()
                            .getAdditionalProperties()
                            .get("spec"))
                    .isEqualTo(Map.of("amount", "100.00", "thresholds", Map.of("percent", 70)));

            List<Event> events = client.v1().events().inNamespace("team-a").list().getItems().stream()
                    .filter(e -> UnreadableObjects.EVENT.equals(e.getReason()))
                    .toList();
            assertThat(events)
                    .extracting(e -> e.getInvolvedObject().getName())
                    .containsExactlyInAnyOrder(
                            "list-for-map", "from-the-future", "string-for-number", "list-for-object");
            assertThat(events).allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));

            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics)
                    .contains(
                            "costguard_unreadable_objects{kind=\"CostBudget\",namespace=\"team-a\"} 2.0",
                            "costguard_unreadable_objects{kind=\"PerfBaseline\",namespace=\"team-a\"} 1.0",
                            "costguard_unreadable_objects{kind=\"BenchRun\",namespace=\"team-a\"} 1.0");

            // fixed, the object is readable again: it leaves the gauge and is reconciled like any other
            raw("CostBudget", "list-for-map", "{\"amount\": \"100000.00\", \"thresholds\": [{\"percent\": 70}]}", true);
            await().atMost(Waits.RECONCILED)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(budget("list-for-map").getStatus().state)
                            .as(() -> String.valueOf(budget("list-for-map").getStatus().conditions)
                                    + client.genericKubernetesResources("costguard.io/v1alpha1", "CostBudget")
                                            .inNamespace("team-a")
                                            .withName("list-for-map")
                                            .get())
                            .isEqualTo("Ok"));
            await().atMost(Waits.FOLLOW_UP)
                    .untilAsserted(() -> assertThat(HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(URI.create(
                                                            "http://127.0.0.1:" + app.httpPort() + "/metrics"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .contains("costguard_unreadable_objects{kind=\"CostBudget\",namespace=\"team-a\"} 1.0"));
        }
    }

    private static String readyMessage(List<io.fabric8.kubernetes.api.model.Condition> conditions, String state) {
        assertThat(state).isEqualTo("Invalid");
        return Conditions.find(conditions, "Ready").getMessage();
    }

    private CostBudget budget(String name) {
        return client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName(name)
                .get();
    }

    private void raw(String kind, String name, String spec) {
        raw(kind, name, spec, false);
    }

    private void raw(String kind, String name, String spec, boolean replace) {
        String json = "{\"apiVersion\": \"costguard.io/v1alpha1\", \"kind\": \"" + kind
                + "\", \"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"team-a\"}, \"spec\": " + spec + "}";
        GenericKubernetesResource r = Serialization.unmarshal(json, GenericKubernetesResource.class);
        if (replace) {
            client.genericKubernetesResources("costguard.io/v1alpha1", kind)
                    .inNamespace("team-a")
                    .withName(name)
                    .edit(old -> {
                        old.setAdditionalProperty(
                                "spec", r.getAdditionalProperties().get("spec"));
                        return old;
                    });
        } else {
            client.resource(r).create();
        }
    }
}

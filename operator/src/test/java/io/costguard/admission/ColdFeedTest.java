package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.costguard.api.PerfBaseline;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.NamespaceTrust;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The webhook's feed starts its informers without waiting for them (the webhook must serve within seconds of a start,
 * not after 20,000 objects are listed), and while the list of PerfBaselines is held back a change a freeze would
 * forbid is denied with a retry instead of being let into a scope a PerfBaseline has frozen.
 */
@EnableKubernetesMockClient(crud = true)
class ColdFeedTest {
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    KubernetesClient client;

    @Test
    void untilThePerfBaselinesAreListedNoScopeIsTakenForFree() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("team-a")
                        .endMetadata()
                        .build())
                .create();
        PerfBaseline pb = Serialization.unmarshal("""
                apiVersion: costguard.io/v1alpha1
                kind: PerfBaseline
                metadata: {name: api, namespace: team-a}
                spec:
                  workload: {name: api}
                  onRegression: [Freeze]
                """, PerfBaseline.class);
        pb = client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .resource(pb)
                .create();
        pb.setStatus(new io.costguard.api.PerfBaselineStatus());
        pb.getStatus().state = "Regressed";
        pb.getStatus().deploysFrozen = true;
        pb.getStatus().freezeSelector = Map.of("app", "api");
        client.resources(PerfBaseline.class).inNamespace("team-a").resource(pb).patchStatus();

        CountDownLatch release = new CountDownLatch(1);
        Interceptor holdLists = new Interceptor() {
            @Override
            public void after(
                    HttpRequest request,
                    HttpResponse<?> response,
                    AsyncBody.Consumer<java.util.List<java.nio.ByteBuffer>> consumer) {
                // on the client's response thread: the list is answered late, as by a busy API server
                String query =
                        request.uri().getQuery() == null ? "" : request.uri().getQuery();
                if (request.uri().getPath().endsWith("/perfbaselines") && !query.contains("watch=true")) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (KubernetesClient slow = new KubernetesClientBuilder()
                        .withConfig(client.getConfiguration())
                        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("hold", holdLists))
                        .build();
                NamespaceTrust trust = new NamespaceTrust(slow, "costguard-system")) {
            Workloads workloads = new Workloads(Workloads.DEFAULT);
            // before this change the constructor waited for every list, and so did the webhook
            ClusterFeed feed = assertTimeoutPreemptively(
                    Duration.ofSeconds(10),
                    () -> new ClusterFeed(
                            slow,
                            trust,
                            new FreezeRegistry(),
                            new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, Map.of(), "USD"),
                            Set.of(),
                            workloads));
            try (feed) {
                FreezeRule rule =
                        new FreezeRule(workloads, OperatorConfig.DEFAULT_ALLOCATION_KEYS, Duration.ofHours(1));
                AdmissionRequest rollout = FreezeRuleTest.create(FreezeRuleTest.deployment(2, "api:2", "alpha"));
                AdmissionRequest inTeamA =
                        FreezeRuleTest.create(FreezeRuleTest.deployment(2, "api:2", "alpha"), "team-a");

                assertThat(feed.loading()).isPresent();
                FreezeRule.Result cold = rule.check(inTeamA, feed.freezes(), feed::scaleTarget, feed.loading(), NOW);
                assertThat(cold.allowed()).isFalse();
                assertThat(cold.message())
                        .contains("costguard cannot tell yet whether a freeze covers it")
                        .contains("retry in a few seconds");

                release.countDown();
                await().atMost(Waits.RECONCILED).until(() -> feed.loading().isEmpty());
                await().atMost(Waits.FOLLOW_UP).until(() -> feed.freezes().covers("team-a"));
                FreezeRule.Result warm = rule.check(inTeamA, feed.freezes(), feed::scaleTarget, feed.loading(), NOW);
                assertThat(warm.allowed()).isFalse();
                assertThat(warm.message()).contains("rollouts are frozen by PerfBaseline team-a/api");
                // the scope next door was never frozen: once the feed is in, its rollouts pass
                assertThat(rule.check(rollout, feed.freezes(), feed::scaleTarget, feed.loading(), NOW)
                                .allowed())
                        .isTrue();
            }
        } finally {
            release.countDown();
        }
    }
}

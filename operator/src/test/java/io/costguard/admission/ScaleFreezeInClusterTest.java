package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl scale} in a scope frozen by a tenant selector, decided by the whole admission policy with the
 * workload cache fed from the mock API: the Scale's selector carries no allocation labels, the Deployment's pod
 * template does.
 */
@EnableKubernetesMockClient(crud = true)
class ScaleFreezeInClusterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static final String HPA = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
    KubernetesClient client;

    /** A picture with one frozen scope (tenant alpha in team-a) and the workloads from the cache. */
    static ClusterState cluster(WorkloadCache cache) {
        StaticCluster c = new StaticCluster();
        c.freezes.freeze(
                "team-a/alpha",
                new FreezeRegistry.FrozenScope(
                        Set.of("team-a"),
                        Map.of("tenant", "alpha"),
                        "CostBudget team-a/alpha at 1020.00 of 1000.00 USD (102%)",
                        io.costguard.budget.BudgetFreeze.RELEASE));
        c.targets = cache;
        return c;
    }

    static AdmissionRequest scale(String resource, String name, String user, int before, int after, boolean dryRun) {
        ObjectNode review = JSON.createObjectNode();
        review.putObject("request")
                .putObject("resource")
                .put("group", "apps")
                .put("version", "v1")
                .put("resource", resource);
        return new AdmissionRequest(
                "0f7c1d2e-" + user.length(),
                "UPDATE",
                "autoscaling",
                "v1",
                "Scale",
                resource,
                "scale",
                "team-a",
                name,
                user,
                List.of(),
                scaleObject(name, after),
                scaleObject(name, before),
                dryRun,
                review);
    }

    static ObjectNode scaleObject(String name, int replicas) {
        ObjectNode s =
                JSON.createObjectNode().put("apiVersion", "autoscaling/v1").put("kind", "Scale");
        s.putObject("metadata").put("name", name).put("namespace", "team-a");
        s.putObject("spec").put("replicas", replicas);
        s.putObject("status").put("replicas", replicas).put("selector", "app=" + name);
        return s;
    }

    void deployment(String name, String tenant, Map<String, String> annotations) {
        client.apps()
                .deployments()
                .inNamespace("team-a")
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withAnnotations(annotations)
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .addToMatchLabels("app", name)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of(
                                "app",
                                name,
                                "tenant",
                                tenant,
                                "feature",
                                "checkout",
                                "team",
                                "shop",
                                "environment",
                                "prod"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("checkout:1")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .createOr(x -> x.update());
    }

    @Test
    void kubectlScaleInAFrozenScopeIsDeniedAndTheAutoscalerStillScales() throws Exception {
        deployment("checkout-api", "alpha", Map.of());
        deployment("search-api", "beta", Map.of());
        try (WorkloadCache cache = new WorkloadCache(client, new Workloads(Workloads.DEFAULT), Set.of())) {
            PrometheusRegistry registry = new PrometheusRegistry();
            RecordedNotices notices = new RecordedNotices();
            AdmissionPolicy policy = AdmissionFixturesTest.policy(
                    cluster(cache), Clock.fixed(NOW, ZoneOffset.UTC), notices, new AdmissionMetrics(registry));
            Workloads.Kind deployments = Workloads.DEFAULT.get(0);
            await().atMost(Waits.RECONCILED)
                    .until(() -> cache.find(deployments, "team-a", "checkout-api") instanceof ScaleTarget.Known);

            Verdict up = policy.decide(scale("deployments", "checkout-api", "alice", 2, 4, false), null);
            assertThat(up.allowed()).isFalse();
            assertThat(up.message())
                    .startsWith("Deployment team-a/checkout-api: rollouts are frozen by CostBudget team-a/alpha")
                    .contains("replicas rise from 2 to 4 through /scale");
            assertThat(policy.decide(scale("deployments", "checkout-api", HPA, 2, 4, false), null)
                            .allowed())
                    .isTrue();
            assertThat(policy.decide(scale("deployments", "checkout-api", "alice", 4, 2, false), null)
                            .allowed())
                    .isTrue();
            assertThat(policy.decide(scale("deployments", "search-api", "alice", 2, 4, false), null)
                            .allowed())
                    .isTrue();

            // a workload the cache has not seen, in the frozen namespace, is denied with a retry rather than let
            // through
            Verdict unknown = policy.decide(scale("deployments", "new-api", "alice", 2, 4, false), null);
            assertThat(unknown.allowed()).isFalse();
            assertThat(unknown.message())
                    .contains("Deployment team-a/new-api is not in its cache yet")
                    .contains("retry in a few seconds");

            // a break-glass on the Deployment counts for its /scale; a dry run of it is judged the same and leaves no
            // trace
            deployment(
                    "checkout-api",
                    "alpha",
                    Map.of(BreakGlass.REASON, "INC-4711 traffic spike", BreakGlass.UNTIL, "2026-11-23T10:30:00Z"));
            await().atMost(Waits.RECONCILED)
                    .until(() -> cache.find(deployments, "team-a", "checkout-api") instanceof ScaleTarget.Known k
                            && !k.breakGlass().isEmpty());
            Verdict dry = policy.decide(scale("deployments", "checkout-api", "alice", 2, 4, true), null);
            assertThat(dry.allowed()).isTrue();
            assertThat(dry.warnings().toString()).contains("break-glass 'INC-4711 traffic spike' let this through");
            assertThat(notices.breakGlass).isEmpty();
            assertThat(OpaClientTest.scrape(registry)).doesNotContain("costguard_admission_break_glass_total{");
            Verdict glass = policy.decide(scale("deployments", "checkout-api", "alice", 2, 4, false), null);
            assertThat(glass.allowed()).isTrue();
            assertThat(notices.breakGlass).containsExactly("INC-4711 traffic spike");
            assertThat(OpaClientTest.scrape(registry))
                    .contains("costguard_admission_break_glass_total{namespace=\"team-a\",rule=\"freeze\"} 1.0");

            // deleted: the cache forgets it
            client.apps()
                    .deployments()
                    .inNamespace("team-a")
                    .withName("checkout-api")
                    .delete();
            await().atMost(Waits.RECONCILED)
                    .until(() -> cache.find(deployments, "team-a", "checkout-api") instanceof ScaleTarget.Unknown);
        }
    }

    @Test
    void workloadsWithEqualPodLabelsShareOneCopyOfThem() {
        deployment("checkout-api", "alpha", Map.of());
        deployment("search-api", "alpha", Map.of());
        try (WorkloadCache cache = new WorkloadCache(client, new Workloads(Workloads.DEFAULT), Set.of("team-a"))) {
            Workloads.Kind deployments = Workloads.DEFAULT.get(0);
            await().atMost(Waits.RECONCILED)
                    .until(() -> cache.find(deployments, "team-a", "search-api") instanceof ScaleTarget.Known);
            var checkout = ((ScaleTarget.Known) cache.find(deployments, "team-a", "checkout-api")).podLabels();
            var search = ((ScaleTarget.Known) cache.find(deployments, "team-a", "search-api")).podLabels();
            assertThat(search).containsEntry("app", "search-api").containsEntry("tenant", "alpha");
            // different sets (app differs), the same strings for equal keys and values
            String tenantKey = checkout.keySet().stream()
                    .filter("tenant"::equals)
                    .findFirst()
                    .orElseThrow();
            assertThat(search.keySet().stream()
                            .filter("tenant"::equals)
                            .findFirst()
                            .orElseThrow())
                    .isSameAs(tenantKey);
            assertThat(search.get("tenant")).isSameAs(checkout.get("tenant"));
        }
    }

    @Test
    void aReplicaSetItsDeploymentControlsIsLeftToTheDeployment() {
        client.apps()
                .replicaSets()
                .inNamespace("team-a")
                .resource(new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName("checkout-api-5f7")
                        .addNewOwnerReference()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName("checkout-api")
                        .withUid("u-1")
                        .withController(true)
                        .endOwnerReference()
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewSelector()
                        .addToMatchLabels("app", "checkout-api")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(Map.of("app", "checkout-api", "tenant", "alpha"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("checkout:1")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        try (WorkloadCache cache = new WorkloadCache(client, new Workloads(Workloads.DEFAULT), Set.of("team-a"))) {
            Workloads.Kind replicaSets = Workloads.DEFAULT.get(3);
            await().atMost(Waits.RECONCILED)
                    .until(() -> cache.find(replicaSets, "team-a", "checkout-api-5f7") instanceof ScaleTarget.Known);
            assertThat(cache.find(replicaSets, "team-a", "checkout-api-5f7"))
                    .isEqualTo(new ScaleTarget.Known(Map.of(), true, "", ""));
            AdmissionPolicy policy = AdmissionFixturesTest.policy(
                    cluster(cache), Clock.fixed(NOW, ZoneOffset.UTC), AdmissionNotices.NONE);
            assertThat(policy.decide(scale("replicasets", "checkout-api-5f7", "alice", 2, 4, false), null)
                            .allowed())
                    .isTrue();
            // outside the watched namespaces the cache says so
            assertThat(cache.find(replicaSets, "team-b", "x"))
                    .isEqualTo(new ScaleTarget.Unknown("costguard watches ReplicaSet objects only in [team-a]"));
        }
    }
}

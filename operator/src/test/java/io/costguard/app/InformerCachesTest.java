package io.costguard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.BenchRun;
import io.costguard.api.PerfBaseline;
import io.costguard.bench.K6Job;
import io.costguard.status.Conditions;
import io.costguard.testing.MockApi;
import io.costguard.testing.MutableClock;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workloads, HPAs and script ConfigMaps come from the informer caches: a reconcile reads none of them from the API,
 * and a change to one reconciles the PerfBaseline or BenchRun that names it. The evaluation interval is an hour, so
 * after the first cycle nothing but these changes (and the resources' own) triggers a reconcile.
 */
@EnableKubernetesMockClient(crud = true)
class InformerCachesTest {
    static final String NS = "team-a";
    /** A read of one named object, or of a namespace's list, of a kind the caches hold (the informers list all). */
    static final Pattern READ_OF_CACHED = Pattern.compile(
            "^/apis?/[^?]*/namespaces/[^/]+/(deployments|statefulsets|horizontalpodautoscalers|configmaps)(/[^/?]+)?(\\?.*)?$");

    KubernetesClient client;
    KubernetesMockServer server;
    ScriptedPrometheus prom;
    OperatorApp app;

    @BeforeEach
    void start() throws Exception {
        MockApi.crds(client, "benchruns", "perfbaselines", "costbudgets");
        MockApi.namespaces(client, NS);
        prom = new ScriptedPrometheus();
        app = new OperatorApp(
                TestConfigs.operator(
                        prom.url(),
                        "1h",
                        Map.of(
                                "COSTGUARD_BENCH_IMAGE",
                                "grafana/k6:1.3.0",
                                "COSTGUARD_BENCH_ALLOWED_IMAGES",
                                "grafana/k6:1.3.0")),
                client,
                new MutableClock(Instant.now()));
        app.start();
    }

    @AfterEach
    void stop() {
        app.close();
        prom.close();
    }

    void deployment(String name, String cpu) {
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToAnnotations("kubectl.kubernetes.io/last-applied-configuration", "x".repeat(4000))
                        .endMetadata()
                        .withNewSpec()
                        .withNewSelector()
                        .addToMatchLabels("app", name)
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", name)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("app:1")
                        .withNewResources()
                        .addToRequests("cpu", new Quantity(cpu))
                        .endResources()
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    /** Reads of cached kinds (not watches) the API has seen since the last call; the request log is emptied. */
    List<String> readsOfCachedKinds() throws InterruptedException {
        List<String> reads = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if ("GET".equals(r.getMethod())
                    && READ_OF_CACHED.matcher(r.getPath()).matches()
                    && !r.getPath().contains("watch=true")) {
                reads.add(r.getPath());
            }
        }
        return reads;
    }

    PerfBaseline baseline() {
        return client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .withName("api")
                .get();
    }

    BenchRun run() {
        return client.resources(BenchRun.class)
                .inNamespace(NS)
                .withName("run-1")
                .get();
    }

    @Test
    void aPerfBaselineReadsItsWorkloadFromTheCacheAndAChangeToItReconciles() throws Exception {
        client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: PerfBaseline
        metadata: {name: api, namespace: team-a}
        spec: {workload: {name: api}, slo: {latencyP95: 300ms}}
        """, PerfBaseline.class))
                .create();
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(baseline().getStatus().state).isEqualTo("Invalid");
            assertThat(Conditions.find(baseline().getStatus().conditions, "Ready")
                            .getMessage())
                    .contains("Deployment api does not exist");
        });
        // no cycle is due for an hour: only the Deployment's creation, seen by the informer, can reconcile the
        // PerfBaseline
        deployment("api", "500m");
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(baseline().getStatus().state).isNotEqualTo("Invalid"));
        client.apps().deployments().inNamespace(NS).withName("api").delete();
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(baseline().getStatus().state).isEqualTo("Invalid"));
        assertThat(readsOfCachedKinds())
                .as("reads of workloads, HPAs or ConfigMaps by name or namespace")
                .isEmpty();
    }

    @Test
    void aBenchRunWaitingForItsScriptStartsWhenTheConfigMapAppears() throws Exception {
        deployment("api", "1");
        client.resources(BenchRun.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: BenchRun
        metadata: {name: run-1, namespace: team-a}
        spec:
          target: {url: "http://api:8080/", workload: {name: api}}
          load: {script: {configMapRef: {name: k6-api, key: script.js}}, rate: 10, duration: 1m}
        """, BenchRun.class))
                .create();
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(Conditions.find(run().getStatus().conditions, "Complete")
                                .getReason())
                        .isEqualTo("ScriptNotFound"));
        Thread.sleep(6_000); // longer than the 5 s the run used to poll at: waiting reads nothing
        assertThat(readsOfCachedKinds()).as("reads while the run waits").isEmpty();
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("k6-api")
                        .endMetadata()
                        .addToData("script.js", "export default function () {}\n")
                        .build())
                .create();
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(run().getStatus().phase).isEqualTo("Running"));
        // starting reads only what the caches do not hold: a leftover ConfigMap of an earlier run of the same name
        assertThat(readsOfCachedKinds()).allMatch(path -> path.contains("/configmaps/" + K6Job.name("run-1")));
    }

    @Test
    void everyInformerListsInPages() throws Exception {
        // a cache fills page by page, so a restart with 10,000 objects of a kind never holds all of them as one answer
        List<String> lists = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            String path = r.getPath();
            if ("GET".equals(r.getMethod()) && path.contains("?") && !path.contains("watch=true")) {
                lists.add(path);
            }
        }
        assertThat(lists)
                .filteredOn(p -> LIST_OF_MANY.matcher(p).matches())
                .extracting(p -> p.replaceAll("\\?.*", ""))
                .contains(
                        "/apis/costguard.io/v1alpha1/costbudgets",
                        "/apis/costguard.io/v1alpha1/perfbaselines",
                        "/apis/costguard.io/v1alpha1/benchruns",
                        "/apis/apps/v1/deployments",
                        "/api/v1/configmaps");
        // workloads, Jobs and ConfigMaps (scripts) are big objects: smaller pages
        assertThat(lists)
                .filteredOn(p -> LIST_OF_MANY.matcher(p).matches())
                .allSatisfy(p -> assertThat(p)
                        .containsPattern("[?&]limit="
                                + (BIG_OBJECTS.matcher(p).matches()
                                        ? io.costguard.kube.ListPages.BIG_OBJECTS
                                        : io.costguard.kube.ListPages.SIZE)
                                + "(&|$)"));
    }

    static final Pattern BIG_OBJECTS = Pattern.compile("^/apis?/.*/(deployments|statefulsets|configmaps|jobs)\\?.*$");

    @Test
    void budgetsAndPerfBaselinesHaveNoTimerPerObjectOnlyTheEvaluationCycle() {
        // the cycle reconciles what is due; a JOSDK timer per object (its default: every 10 hours) would only cost
        assertThat(app.operator().getRegisteredControllers())
                .extracting(
                        c -> c.getConfiguration().getResourceClass().getSimpleName(),
                        c -> c.getConfiguration().maxReconciliationInterval().isPresent())
                .contains(
                        org.assertj.core.groups.Tuple.tuple("CostBudget", false),
                        org.assertj.core.groups.Tuple.tuple("PerfBaseline", false),
                        org.assertj.core.groups.Tuple.tuple("BenchRun", true));
    }

    /** A list of a kind a cluster can hold thousands of. */
    static final Pattern LIST_OF_MANY = Pattern.compile(
            "^/apis?/.*/(costbudgets|perfbaselines|benchruns|deployments|statefulsets|configmaps|namespaces)\\?.*$");
}

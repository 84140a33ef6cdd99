package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.PerfBaseline;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PerfBaseline through the packaged jar against a real Prometheus holding generated request histograms and
 * container usage: a +20 % latency step that Prometheus already holds for longer than latencyFor when the operator
 * starts is confirmed at the first evaluation (judged on the data, not on how long the operator has watched), and the
 * rightsizing recommendation equals what this test computes from the generated usage.
 */
class PerfBaselineIT {
    static final String NS = "shop";
    static final String POD_A = "checkout-6d5f7c8b9-x1y2z";
    static final String POD_B = "checkout-6d5f7c8b9-q7w8e";
    static final Duration LATENCY_FOR = Duration.ofSeconds(60);
    static final double MIB = 1024 * 1024;

    @TempDir
    static Path work;

    static PrometheusProcess prometheus;
    static LocalKubernetes kube;
    static KubernetesClient client;
    static OperatorProcess operator;
    static int metricsPort;
    static Instant now;
    static long stepAt;
    static Instant operatorStarted;

    @BeforeAll
    static void startEverything() throws Exception {
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        now = Instant.now();
        long t0 = now.getEpochSecond();
        // three minutes before the operator starts: by then the history holds the step for three times latencyFor
        stepAt = t0 - 180;
        // pod A uses 0.4 cores throughout; pod B 0.3, except 0.9 from 90 to 60 minutes ago (a quarter of its lookback)
        LongToDoubleFunction cpuA = t -> 0.4;
        LongToDoubleFunction cpuB = t -> t >= t0 - 5400 && t < t0 - 3600 ? 0.9 : 0.3;
        // working sets: 300Mi and 350Mi, with one 700Mi sample on pod B half an hour ago
        long spike = (t0 - 1800) / PerfHistory.SAMPLE * PerfHistory.SAMPLE;
        LongToDoubleFunction memA = t -> 300 * MIB;
        LongToDoubleFunction memB = t -> t == spike ? 700 * MIB : 350 * MIB;
        PerfHistory history = new PerfHistory(
                NS,
                List.of(POD_A, POD_B),
                (t0 - 3 * 3600) / 5 * 5,
                t0 + 3600,
                stepAt,
                new LongToDoubleFunction[] {cpuA, cpuB},
                new LongToDoubleFunction[] {memA, memB});
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(List.of(
                history.write(Files.createDirectories(work.resolve("history")).resolve("perf.om"))));
        prometheus.start();

        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of(NS, "costguard-system"));
        kube.installCrds(
                client,
                List.of(Serialization.unmarshal(
                        Files.readString(Path.of(System.getProperty("costguard.repo", ".."))
                                .resolve("crds/perfbaselines.costguard.io-v1.yml")),
                        CustomResourceDefinition.class)));
        client.apps().deployments().inNamespace(NS).resource(checkout()).create();
        client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal("""
        apiVersion: costguard.io/v1alpha1
        kind: PerfBaseline
        metadata: {name: checkout, namespace: shop}
        spec:
          workload: {kind: Deployment, name: checkout}
          slo: {latencyP95: 800ms, errorRatio: "0.002", minThroughput: "100"}
          baseline: {latencyP95: 488ms, errorRatio: "0.0005", throughput: "200"}
          regression: {latencyFor: 1m, consecutiveEvaluations: 2}
          onRegression: [Notify, Freeze]
          rightsizing: {mode: Recommend, lookback: 2h}
        """, PerfBaseline.class))
                .create();

        metricsPort = OperatorIT.freePort();
        operatorStarted = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        operator = OperatorProcess.start(
                jar,
                Map.of(
                        "KUBECONFIG",
                                kube.writeKubeconfig(work.resolve("kubeconfig"), NS)
                                        .toString(),
                        "COSTGUARD_PROMETHEUS_URL", prometheus.url().toString(),
                        "COSTGUARD_PROMETHEUS_TIMEOUT", "5s",
                        "COSTGUARD_EVALUATION_INTERVAL", "2s",
                        "COSTGUARD_PERF_WINDOW", "30s",
                        "COSTGUARD_HTTP_PORT", Integer.toString(metricsPort),
                        "POD_NAMESPACE", "costguard-system"),
                work.resolve("operator.log"));
    }

    /** The service of {@link PerfHistory}'s pods: two replicas requesting 1 core and 1Gi each. */
    static Deployment checkout() {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "checkout")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "checkout")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("checkout:1")
                .withNewResources()
                .addToRequests("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("1Gi"))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        OperatorIT.closeAll(operator, client, kube, prometheus);
    }

    static PerfBaseline baseline() {
        return client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .withName("checkout")
                .get();
    }

    static Condition condition(PerfBaseline pb, String type) {
        return pb.getStatus().conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aLatencyStepAlreadyHeldForLatencyForIsConfirmedAtTheFirstEvaluationAndRecommendationsMatchTheUsage()
            throws Exception {
        // the step: p95 moved from 487.5 to 585.5 ms (+20 %, limit 536.8 ms) three minutes before the operator started
        await().atMost(Waits.STARTED).ignoreExceptions().untilAsserted(() -> {
            PerfBaseline pb = baseline();
            assertThat(pb.getStatus().state).isEqualTo("Regressed");
            assertThat(pb.getStatus().deploysFrozen).isTrue();
        });
        PerfBaseline pb = baseline();
        var regression = pb.getStatus().regressions.get(0);
        assertThat(regression.metric).isEqualTo("latencyP95");
        assertThat(regression.baseline).isEqualTo("488ms");
        assertThat(pb.getStatus().pendingRegressions).isNull();
        Instant since = Instant.parse(regression.since);
        Instant confirmed = Instant.parse(condition(pb, "Regressed").getLastTransitionTime());
        // at the first evaluation with data: the Regressed condition was born True when data first became available
        assertThat(confirmed)
                .isEqualTo(Instant.parse(condition(pb, "DataAvailable").getLastTransitionTime()));
        assertThat(condition(pb, "DataAvailable").getStatus()).isEqualTo("True");
        // since: the first step of the range read, all of latencyFor back from the confirmation
        assertThat(Duration.between(since, confirmed))
                .isGreaterThanOrEqualTo(LATENCY_FOR)
                .isLessThan(LATENCY_FOR.plusSeconds(15));
        // sooner than latencyFor after the operator started: judging by watch time would have taken at least that long
        assertThat(Duration.between(operatorStarted, confirmed)).isLessThan(LATENCY_FOR);
        assertThat(condition(pb, "DeploysFrozen").getStatus()).isEqualTo("True");
        assertThat(pb.getStatus().freezeSelector).isEqualTo(Map.of("app", "checkout"));
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PerformanceRegression"));

        // rightsizing, computed here from the generated usage: CPU p95 over both pods is pod B's 0.9-core plateau
        // (12.5 % of all samples), + 30 % headroom; memory is the 700Mi peak + 30 %, rounded up to the MiB
        String cpu = Math.round(Math.ceil(0.9 * 1.3 * 1000)) + "m";
        String memory = (long) Math.ceil(700 * 1.3) + "Mi";
        await().atMost(Waits.CYCLES).ignoreExceptions().untilAsserted(() -> {
            var rec = baseline().getStatus().recommendations.get(0);
            assertThat(rec.container).isEqualTo("app");
            assertThat(rec.cpuRequest.recommended).isEqualTo(cpu);
            assertThat(rec.memoryRequest.recommended).isEqualTo(memory);
            assertThat(baseline().getStatus().recommendedPatch).contains("cpu: " + cpu, "memory: " + memory);
        });

        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains(
                        "costguard_perf_value{name=\"checkout\",namespace=\"shop\",signal=\"latency_p95_seconds\"} 0.58")
                .contains(
                        "costguard_perf_threshold{kind=\"regression\",name=\"checkout\",namespace=\"shop\",signal=\"latency_p95_seconds\"} 0.5368")
                .contains("costguard_perf_state{name=\"checkout\",namespace=\"shop\",state=\"Regressed\"} 1.0")
                .contains("costguard_perf_deploys_frozen{name=\"checkout\",namespace=\"shop\"} 1.0");
    }
}

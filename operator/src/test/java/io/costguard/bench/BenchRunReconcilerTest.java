package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.costguard.api.BenchRun;
import io.costguard.api.PerfBaseline;
import io.costguard.app.OperatorApp;
import io.costguard.config.OperatorConfig;
import io.costguard.kube.Conflicts;
import io.costguard.status.Conditions;
import io.costguard.testing.MockApi;
import io.costguard.testing.MutableClock;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BenchRun reconciler against the mock API and a scripted Prometheus. k6 cannot run here, so the tests play the
 * Job controller and the kubelet: they create the Job's pod and set its container state and termination message.
 */
@EnableKubernetesMockClient(crud = true)
class BenchRunReconcilerTest {
    static final String NS = "team-a";
    /** Money per hour of the target's pods, as the stand-in reports it. */
    static final double PER_HOUR = 0.372;

    KubernetesClient client;
    KubernetesMockServer server;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final MutableClock clock = new MutableClock(now);
    ScriptedPrometheus prom;
    OperatorApp app;
    final AtomicReference<Double> perHour = new AtomicReference<>(PER_HOUR);

    @BeforeEach
    void start() throws Exception {
        MockApi.crds(client, "benchruns", "perfbaselines", "costbudgets");
        MockApi.namespaces(client, NS);
        prom = new ScriptedPrometheus();
        prom.range("pod=~\"api-[a-z0-9]{1,10}-[a-z0-9]{5}\"", List.of(Map.of()), (labels, t) -> perHour.get());
        OperatorConfig config = TestConfigs.operator(
                prom.url(),
                "1s",
                Map.of(
                        "COSTGUARD_BENCH_SETTLE",
                        "0s",
                        "COSTGUARD_BENCH_COST_WAIT",
                        "1h",
                        "COSTGUARD_BENCH_IMAGE",
                        "grafana/k6:1.3.0",
                        "COSTGUARD_BENCH_ALLOWED_IMAGES",
                        "grafana/k6:1.3.0, registry.invalid/k6:*"));
        app = new OperatorApp(config, client, clock);
        app.start();
        deployment("api");
        script("k6-api");
    }

    @AfterEach
    void stop() {
        app.close();
        prom.close();
    }

    void deployment(String name) {
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
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
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    void script(String name) {
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .addToData(
                                "script.js",
                                "import http from 'k6/http';\nexport default function () { http.get(__ENV.TARGET_URL); }\n")
                        .build())
                .create();
    }

    static String spec(String workload, String extra) {
        return """
        target: {url: "http://%1$s:8080/", workload: {name: %1$s}}
        load: {script: {configMapRef: {name: k6-api, key: script.js}}, rate: 100, duration: 30m, warmup: 5m}
        %2$s
        """.formatted(workload, extra);
    }

    BenchRun create(String name, String specYaml) {
        return client.resources(BenchRun.class)
                .inNamespace(NS)
                .resource(BenchFixtures.run(NS, name, specYaml))
                .create();
    }

    BenchRun get(String name) {
        return client.resources(BenchRun.class).inNamespace(NS).withName(name).get();
    }

    String phase(String name) {
        BenchRun r = get(name);
        return r == null || r.getStatus() == null ? null : r.getStatus().phase;
    }

    void awaitPhase(String name, String phase) {
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(phase(name)).isEqualTo(phase));
    }

    Job job(String run) {
        return client.batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withName(K6Job.name(run))
                .get();
    }

    /** Plays the Job controller and kubelet: the Job's pod with this container state. */
    void pod(String run, ContainerState state) {
        Job job = await().atMost(Waits.FOLLOW_UP).until(() -> job(run), java.util.Objects::nonNull);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(K6Job.name(run) + "-x7k2p")
                .withNamespace(NS)
                .addToLabels(K6Job.COMPONENT_LABEL, K6Job.COMPONENT_VALUE)
                .addToAnnotations(K6Job.RUN_ANNOTATION, run)
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("k6")
                .withImage("grafana/k6:1.3.0")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(state.getTerminated() != null ? "Succeeded" : "Running")
                .addNewContainerStatus()
                .withName("k6")
                .withState(state)
                .endContainerStatus()
                .endStatus()
                .build();
        Pod existing = client.pods()
                .inNamespace(NS)
                .withName(pod.getMetadata().getName())
                .get();
        if (existing == null) {
            client.pods().inNamespace(NS).resource(pod).create();
        } else {
            existing.setStatus(pod.getStatus());
            client.pods().inNamespace(NS).resource(existing).updateStatus();
        }
    }

    static ContainerState running(Instant at) {
        return new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(at.toString())
                .endRunning()
                .build();
    }

    static ContainerState exited(int code, String message) {
        return new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(code)
                .withReason(code == 0 ? "Completed" : "Error")
                .withMessage(message)
                .endTerminated()
                .build();
    }

    /** The line the entry script writes: 30 minutes ending a minute ago, 25 of them measured. */
    String summary(long requests, long failed, double p95, String... k6Thresholds) {
        Instant start = now.minus(Duration.ofMinutes(31));
        Instant end = now.minus(Duration.ofMinutes(1));
        StringBuilder t = new StringBuilder();
        for (String s : k6Thresholds) {
            t.append(t.length() == 0 ? "" : ",").append('"').append(s).append('"');
        }
        return "{\"v\":1,\"start\":" + start.toEpochMilli() + ",\"end\":" + end.toEpochMilli() + ",\"requests\":"
                + requests + ",\"failed\":" + failed + ",\"p50\":80,\"p95\":" + p95
                + ",\"p99\":300,\"dropped\":0,\"k6Thresholds\":[" + t + "]}";
    }

    List<Event> events(String run, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> run.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    @Test
    void aRunGoesFromJobToVerdict() throws Exception {
        create(
                "api-1",
                spec("api", "thresholds: {latencyP95: 300ms, errorRatio: \"0.002\", maxCostPer1kRequests: \"0.12\"}"));
        awaitPhase("api-1", "Running");
        Job job = job("api-1");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("BenchRun");
            assertThat(o.getController()).isTrue();
        });
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds())
                .isEqualTo(Duration.ofMinutes(35).toSeconds());
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(3600);
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("grafana/k6:1.3.0");
        assertThat(container.getArgs()).containsExactly("run", "/scripts/entry.js");
        assertThat(container.getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("TARGET_URL=http://api:8080/"));
        assertThat(container.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                .as("no API token in the k6 pod")
                .isFalse();
        assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(K6Job.RUN_ANNOTATION, "api-1");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(K6Job.COMPONENT_LABEL, K6Job.COMPONENT_VALUE)
                .as("no mesh proxy that would outlive k6")
                .containsEntry("sidecar.istio.io/inject", "false");
        assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("linkerd.io/inject", "disabled");
        var sources = job.getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes()
                .get(0)
                .getProjected()
                .getSources();
        assertThat(sources.get(0).getConfigMap().getName()).isEqualTo("api-1-k6");
        assertThat(sources.get(1).getConfigMap().getName()).isEqualTo("k6-api");
        assertThat(sources.get(1).getConfigMap().getItems().get(0).getPath()).isEqualTo("user.js");
        ConfigMap entry =
                client.configMaps().inNamespace(NS).withName("api-1-k6").get();
        assertThat(entry.getData().get("entry.js")).contains("rate: 100", "startTime: '300s'", "handleSummary");
        assertThat(events("api-1", "BenchRunStarted")).hasSize(1);

        pod("api-1", running(now.minus(Duration.ofMinutes(31))));
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("api-1").getStatus().podName).isEqualTo("api-1-k6-x7k2p");
            assertThat(Conditions.find(get("api-1").getStatus().conditions, "Complete")
                            .getReason())
                    .isEqualTo("Running");
        });

        pod("api-1", exited(0, summary(150_000, 120, 210)));
        awaitPhase("api-1", "Passed");
        BenchRun done = get("api-1");
        double cost = PER_HOUR * 25 / 60;
        assertThat(done.getStatus().results.requests).isEqualTo(150_000);
        assertThat(done.getStatus().results.throughput).isEqualTo("100");
        assertThat(done.getStatus().results.latencyP95).isEqualTo("210ms");
        assertThat(done.getStatus().results.errorRatio).isEqualTo("0.0008");
        assertThat(Double.parseDouble(done.getStatus().results.costUSD)).isCloseTo(cost, within(0.0005));
        assertThat(Double.parseDouble(done.getStatus().results.costPer1kRequests))
                .isCloseTo(cost / 150, within(0.000005));
        assertThat(done.getStatus().verdict.result).isEqualTo("Pass");
        assertThat(done.getStatus().k6Summary).startsWith("{\"v\":1");
        assertThat(done.getStatus().startTime)
                .isEqualTo(now.minus(Duration.ofMinutes(31)).toString());
        assertThat(Conditions.find(done.getStatus().conditions, "Complete").getStatus())
                .isEqualTo("True");
        assertThat(Conditions.find(done.getStatus().conditions, "CostAvailable").getStatus())
                .isEqualTo("True");
        assertThat(events("api-1", "BenchRunPassed"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("150000 requests"));
        assertThat(prom.queries()).anySatisfy(q -> assertThat(q).contains("namespace=\"team-a\"", "pod=~\"api-"));

        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains(
                        "costguard_benchrun_value{name=\"api-1\",namespace=\"team-a\",signal=\"latency_p95_seconds\"} 0.21")
                .contains("costguard_benchrun_phase{name=\"api-1\",namespace=\"team-a\",phase=\"Passed\"} 1.0")
                .contains("costguard_benchruns_finished_total{namespace=\"team-a\",result=\"Pass\"} 1.0");
    }

    @Test
    void runsOfOneTargetCreatedInTheSameSecondStartOneAfterAnother() {
        create("api-0", spec("api", ""));
        awaitPhase("api-0", "Running");
        // kubectl apply -f of a directory while api-0 loads: creation timestamps (seconds) tie, and the name decides
        List<String> names = List.of("api-c", "api-a", "api-b");
        for (int attempt = 1; ; attempt++) {
            await().atMost(Waits.FOLLOW_UP)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> Instant.now().getNano() < 200_000_000);
            names.forEach(n -> create(n, spec("api", "")));
            if (names.stream()
                                    .map(n -> get(n).getMetadata().getCreationTimestamp())
                                    .distinct()
                                    .count()
                            == 1
                    || attempt == 5) {
                break;
            }
            // a pause on a loaded machine spread them over two seconds: again
            names.forEach(n ->
                    client.resources(BenchRun.class).inNamespace(NS).withName(n).delete());
            await().atMost(Waits.RECONCILED).until(() -> names.stream().allMatch(n -> get(n) == null));
        }
        assertThat(names.stream()
                        .map(n -> get(n).getMetadata().getCreationTimestamp())
                        .distinct())
                .as("created in one second")
                .hasSize(1);
        names.forEach(n -> awaitPhase(n, "Pending"));
        pod("api-0", exited(0, summary(150_000, 0, 200)));
        awaitPhase("api-0", "Passed");
        for (String expected : List.of("api-a", "api-b", "api-c")) {
            awaitPhase(expected, "Running");
            assertThat(names.stream().filter(n -> "Running".equals(phase(n))))
                    .as("one run per target")
                    .containsExactly(expected);
            pod(expected, exited(0, summary(150_000, 0, 200)));
            awaitPhase(expected, "Passed");
        }
    }

    @Test
    void oneRunPerTargetAtATime() {
        deployment("other");
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Running");
        create("api-2", spec("api", ""));
        create("other-1", spec("other", ""));
        awaitPhase("api-2", "Pending");
        awaitPhase("other-1", "Running");
        var busy = Conditions.find(get("api-2").getStatus().conditions, "Complete");
        assertThat(busy.getReason()).isEqualTo("TargetBusy");
        assertThat(busy.getMessage()).contains("BenchRun api-1 is loading Deployment api");
        assertThat(job("api-2")).isNull();

        pod("api-1", exited(0, summary(150_000, 0, 200)));
        awaitPhase("api-1", "Passed");
        awaitPhase("api-2", "Running");
        assertThat(job("api-2")).isNotNull();
    }

    @Test
    void aBenchRunHasNoFinalizerAndDeletingARunningOneLetsTheNextRunOfItsTargetStart() {
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Running");
        assertThat(get("api-1").getMetadata().getFinalizers()).isEmpty();
        create("api-2", spec("api", ""));
        awaitPhase("api-2", "Pending");
        client.resources(BenchRun.class).inNamespace(NS).withName("api-1").delete();
        assertThat(get("api-1")).as("nothing holds the deletion").isNull();
        // its Job goes by its owner reference; the target it held is released by the delete event
        awaitPhase("api-2", "Running");
        assertThat(job("api-2")).isNotNull();
    }

    @Test
    void theFinalizerOfAnEarlierVersionIsRemoved() {
        // the name JOSDK gave it when this reconciler was a Cleaner
        assertThat(BenchRunReconciler.FORMER_FINALIZER)
                .isEqualTo(io.javaoperatorsdk.operator.ReconcilerUtilsInternal.getDefaultFinalizerName(BenchRun.class));
        BenchRun old = BenchFixtures.run(NS, "api-1", spec("api", ""));
        old.getMetadata().setFinalizers(List.of("example.com/keep", BenchRunReconciler.FORMER_FINALIZER));
        client.resources(BenchRun.class).inNamespace(NS).resource(old).create();
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("api-1").getMetadata().getFinalizers()).containsExactly("example.com/keep");
            assertThat(phase("api-1")).isEqualTo("Running");
        });
    }

    @Test
    void k6ThresholdsThatFailStillGiveResults() {
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Running");
        pod("api-1", exited(99, summary(150_000, 0, 210, "http_req_duration p(95)<200")));
        awaitPhase("api-1", "Failed");
        BenchRun r = get("api-1");
        assertThat(r.getStatus().results.latencyP95).isEqualTo("210ms");
        assertThat(r.getStatus().verdict.reasons)
                .containsExactly("k6's own thresholds failed: http_req_duration p(95)<200");
        assertThat(events("api-1", "BenchRunFailed"))
                .singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void unreadableSummariesEndInError() {
        Map<String, String> messages = Map.of(
                "garbage", "level=error msg=\"something\"\nnot a summary",
                "truncated", ("{\"v\":1,\"k6Thresholds\":[\"" + "z".repeat(5000)).substring(0, 4096),
                "missing", "");
        Map<String, String> expected =
                Map.of("garbage", "SummaryUnreadable", "truncated", "SummaryTruncated", "missing", "SummaryMissing");
        for (String kind : messages.keySet()) {
            create(
                    kind,
                    "target: {url: \"http://" + kind + "/\"}\nload: {script: {inline: x}, rate: 1, duration: 1m}\n");
        }
        for (String kind : messages.keySet()) {
            awaitPhase(kind, "Running");
            pod(kind, exited(0, messages.get(kind)));
        }
        for (String kind : messages.keySet()) {
            awaitPhase(kind, "Error");
            var ready = Conditions.find(get(kind).getStatus().conditions, "Ready");
            assertThat(ready.getReason()).as(kind).isEqualTo(expected.get(kind));
            assertThat(get(kind).getStatus().verdict.result).isEqualTo("Fail");
        }
    }

    @Test
    void theDeadlineEndsTheRun() {
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Running");
        pod("api-1", running(now));
        Job job = job("api-1");
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                .withFailed(1)
                .withConditions(new JobConditionBuilder()
                        .withType("Failed")
                        .withStatus("True")
                        .withReason("DeadlineExceeded")
                        .withMessage("Job was active longer than specified deadline")
                        .build())
                .build());
        client.batch().v1().jobs().inNamespace(NS).resource(job).updateStatus();
        awaitPhase("api-1", "Error");
        assertThat(Conditions.find(get("api-1").getStatus().conditions, "Ready").getReason())
                .isEqualTo("DeadlineExceeded");
        assertThat(events("api-1", "BenchRunFailed"))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("activeDeadlineSeconds"));
    }

    @Test
    void aSpecChangedAfterTheStartEndsTheRunStopsItsJobAndFreesTheTarget() {
        // no admission webhook here, as in a cluster that runs without it: the reconciler itself notices
        create("api-1", spec("api", "thresholds: {latencyP95: 300ms}"));
        awaitPhase("api-1", "Running");
        pod("api-1", running(now));
        create("api-2", spec("api", ""));
        awaitPhase("api-2", "Pending");
        Conflicts.retry(() -> client.resources(BenchRun.class)
                .inNamespace(NS)
                .withName("api-1")
                .edit(r -> {
                    r.getSpec().load.warmup = "10m";
                    return r;
                }));
        awaitPhase("api-1", "Error");
        var ready = Conditions.find(get("api-1").getStatus().conditions, "Ready");
        assertThat(ready.getReason()).isEqualTo("SpecChanged");
        assertThat(ready.getMessage()).contains("generation 1 to 2", "create a new BenchRun");
        await().atMost(Waits.FOLLOW_UP)
                .untilAsserted(() -> assertThat(job("api-1"))
                        .as("k6 must stop loading the target")
                        .isNull());
        awaitPhase("api-2", "Running");
    }

    @Test
    void aJobTheApiRefusesEndsTheRunWithTheApisReasonAndFreesTheTarget() {
        server.expect()
                .post()
                .withPath("/apis/batch/v1/namespaces/" + NS + "/jobs")
                .andReturn(
                        403,
                        new io.fabric8.kubernetes.api.model.StatusBuilder()
                                .withStatus("Failure")
                                .withReason("Forbidden")
                                .withCode(403)
                                .withMessage(
                                        "jobs.batch \"api-1-k6\" is forbidden: exceeded quota: bench, requested: count/jobs.batch=1, used: "
                                                + "count/jobs.batch=4, limited: count/jobs.batch=4")
                                .build())
                .once();
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Error");
        var ready = Conditions.find(get("api-1").getStatus().conditions, "Ready");
        assertThat(ready.getReason()).isEqualTo("JobNotCreated");
        assertThat(ready.getMessage()).contains("HTTP 403", "exceeded quota: bench");
        create("api-2", spec("api", ""));
        awaitPhase("api-2", "Running");
    }

    @Test
    void k6StoppingInsideTheWarmupIsJudgedAtOnceWithoutACostQuery() {
        create("api-1", spec("api", "thresholds: {latencyP95: 300ms}"));
        awaitPhase("api-1", "Running");
        Instant start = now.minus(Duration.ofMinutes(4));
        String line = "{\"v\":1,\"start\":" + start.toEpochMilli() + ",\"end\":"
                + now.minus(Duration.ofMinutes(2)).toEpochMilli()
                + ",\"requests\":0,\"failed\":0,\"p50\":null,\"p95\":null,\"p99\":null,\"dropped\":0,\"k6Thresholds\":[\"http_req_failed\"]}";
        pod("api-1", exited(99, line));
        awaitPhase("api-1", "Failed");
        BenchRun r = get("api-1");
        assertThat(r.getStatus().verdict.reasons)
                .anySatisfy(reason -> assertThat(reason).contains("k6 stopped before the warm-up ended"))
                .anySatisfy(reason -> assertThat(reason).contains("no requests"));
        assertThat(Conditions.find(r.getStatus().conditions, "CostAvailable")).isNull();
    }

    @Test
    void aDeletedPodEndsTheRun() {
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Running");
        pod("api-1", running(now));
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(get("api-1").getStatus().podName).isNotNull());
        client.pods().inNamespace(NS).withName(get("api-1").getStatus().podName).delete();
        awaitPhase("api-1", "Error");
        assertThat(Conditions.find(get("api-1").getStatus().conditions, "Ready").getReason())
                .isEqualTo("PodDeleted");
    }

    @Test
    void anImageThatCannotBePulledStopsTheJob() {
        create("api-1", spec("api", "image: registry.invalid/k6:nope"));
        awaitPhase("api-1", "Running");
        assertThat(job("api-1")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.invalid/k6:nope");
        pod(
                "api-1",
                new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image")
                        .endWaiting()
                        .build());
        clock.advance(Duration.ofMinutes(4));
        awaitPhase("api-1", "Error");
        assertThat(Conditions.find(get("api-1").getStatus().conditions, "Ready").getReason())
                .isEqualTo("ImagePullFailed");
        await().atMost(Waits.FOLLOW_UP)
                .untilAsserted(() -> assertThat(job("api-1")).isNull());
    }

    @Test
    void aMissingScriptOrWorkloadKeepsTheRunPending() {
        create("late", """
        target: {url: "http://late:8080/", workload: {name: late}}
        load: {script: {configMapRef: {name: k6-late, key: script.js}}, rate: 5, duration: 1m}
        """);
        awaitPhase("late", "Pending");
        await().atMost(Waits.FOLLOW_UP)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(Conditions.find(get("late").getStatus().conditions, "Complete")
                                .getReason())
                        .isEqualTo("WorkloadNotFound"));
        deployment("late");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            var c = Conditions.find(get("late").getStatus().conditions, "Complete");
            assertThat(c.getReason()).isEqualTo("ScriptNotFound");
            assertThat(c.getMessage()).contains("ConfigMap k6-late does not exist");
        });
        script("k6-late");
        awaitPhase("late", "Running");
    }

    @Test
    void aRunWaitsWhileTheJobOfAnEarlierRunOfTheSameNameIsStillThere() {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                        .withNewMetadata()
                        .withName("again-k6")
                        .withOwnerReferences(ofADeletedRun("again"))
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("k6")
                        .withImage("grafana/k6:1.3.0")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        create("again", spec("api", ""));
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(Conditions.find(get("again").getStatus().conditions, "Complete")
                                .getReason())
                        .isEqualTo("PreviousRunNotGone"));
        client.batch().v1().jobs().inNamespace(NS).withName("again-k6").delete();
        awaitPhase("again", "Running");
        assertThat(job("again").getMetadata().getOwnerReferences().get(0).getUid())
                .isEqualTo(get("again").getMetadata().getUid());
    }

    static io.fabric8.kubernetes.api.model.OwnerReference ofADeletedRun(String name) {
        return new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("costguard.io/v1alpha1")
                .withKind("BenchRun")
                .withName(name)
                .withUid("uid-of-the-deleted-run")
                .withController(true)
                .build();
    }

    @Test
    void aLabelledLeftoverIsSeenInTheCacheAndItsDeletionStartsTheRun() {
        client.configMaps()
                .inNamespace(NS)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("again-k6")
                        .addToLabels(K6Job.COMPONENT_LABEL, K6Job.COMPONENT_VALUE)
                        .withOwnerReferences(ofADeletedRun("again"))
                        .endMetadata()
                        .addToData("entry.js", "old")
                        .build())
                .create();
        create("again", spec("api", ""));
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            var complete = Conditions.find(get("again").getStatus().conditions, "Complete");
            assertThat(complete.getReason()).isEqualTo("PreviousRunNotGone");
            assertThat(complete.getMessage()).startsWith("ConfigMap again-k6 belongs to an earlier BenchRun");
        });
        assertThat(job("again")).as("nothing is created beside a leftover").isNull();
        client.configMaps().inNamespace(NS).withName("again-k6").delete();
        awaitPhase("again", "Running");
        ConfigMap created =
                client.configMaps().inNamespace(NS).withName("again-k6").get();
        assertThat(created.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getUid())
                        .isEqualTo(get("again").getMetadata().getUid()));
        assertThat(created.getData()).doesNotContainValue("old");
    }

    @Test
    void startingAndWatchingARunReadNoJobOrConfigMapByName() throws Exception {
        create("api-1", spec("api", ""));
        awaitPhase("api-1", "Running");
        List<String> reads = new java.util.ArrayList<>();
        for (var r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if ("GET".equals(r.getMethod()) && r.getPath().matches(".*/(jobs|configmaps)/[^/?]+(\\?.*)?")) {
                reads.add(r.getPath());
            }
        }
        assertThat(reads)
                .as("the Job and its ConfigMap come from the dependents' caches")
                .isEmpty();
    }

    @Test
    void anInvalidSpecSaysWhichFieldAndHowToFixIt() {
        create("bad", spec("api", "").replace("warmup: 5m", "warmup: 45m"));
        awaitPhase("bad", "Invalid");
        var ready = Conditions.find(get("bad").getStatus().conditions, "Ready");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.load.warmup: 45m must be shorter than spec.load.duration 30m");
        assertThat(job("bad")).isNull();
    }

    @Test
    void anImageOutsideBenchAllowedImagesIsInvalidAndNeverRuns() {
        create("miner", spec("api", "image: evil.example.com/miner:1"));
        awaitPhase("miner", "Invalid");
        var ready = Conditions.find(get("miner").getStatus().conditions, "Ready");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage())
                .contains("spec.image: 'evil.example.com/miner:1' is not allowed; use one of bench.allowedImages "
                        + "grafana/k6:1.3.0, registry.invalid/k6:*");
        assertThat(job("miner")).isNull();
    }

    @Test
    void costWaitsForPrometheusAndNeverGuesses() {
        prom.down(true);
        create("api-1", spec("api", "thresholds: {maxCostPer1kRequests: \"0.12\"}"));
        awaitPhase("api-1", "Running");
        pod("api-1", exited(0, summary(150_000, 0, 200)));
        awaitPhase("api-1", "Collecting");
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(Conditions.find(get("api-1").getStatus().conditions, "CostAvailable")
                                .getStatus())
                        .isEqualTo("False"));
        assertThat(get("api-1").getStatus().verdict).isNull();
        prom.down(false);
        awaitPhase("api-1", "Passed");
    }

    @Test
    void aCostThatNeverArrivesEndsInErrorRatherThanAGuess() {
        prom.down(true);
        create("api-1", spec("api", "thresholds: {maxCostPer1kRequests: \"0.12\"}"));
        awaitPhase("api-1", "Running");
        pod("api-1", exited(0, summary(150_000, 0, 200)));
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(Conditions.find(get("api-1").getStatus().conditions, "CostAvailable")
                                .getStatus())
                        .isEqualTo("False"));
        clock.advance(Duration.ofHours(2)); // past bench.costWait (1h here)
        client.pods().inNamespace(NS).withName("api-1-k6-x7k2p").edit(p -> {
            p.getMetadata()
                    .getLabels()
                    .put("touched", "yes"); // an event, so the reconcile comes now and not at the next retry
            return p;
        });
        awaitPhase("api-1", "Error");
        BenchRun r = get("api-1");
        assertThat(Conditions.find(r.getStatus().conditions, "Ready").getReason())
                .isEqualTo("CostUnavailable");
        assertThat(Conditions.find(r.getStatus().conditions, "Ready").getMessage())
                .contains("within 1h", "maxCostPer1kRequests");
        assertThat(Conditions.find(r.getStatus().conditions, "CostAvailable").getStatus())
                .isEqualTo("False");
        assertThat(r.getStatus().results).isNull();
    }

    @Test
    void aPassWithRecordBaselineWritesThePerfBaselinesStatusAndItStays() {
        client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .resource(perfBaseline("api"))
                .create();
        create("api-1", spec("api", "baselineRef: api\nrecordBaseline: true"));
        awaitPhase("api-1", "Running");
        pod("api-1", exited(0, summary(150_000, 120, 210)));
        awaitPhase("api-1", "Passed");
        BenchRun r = get("api-1");
        assertThat(Conditions.find(r.getStatus().conditions, "BaselineCompared").getReason())
                .isEqualTo("NoBaseline");
        assertThat(Conditions.find(r.getStatus().conditions, "BaselineRecorded").getStatus())
                .isEqualTo("True");
        await().atMost(Waits.FOLLOW_UP).ignoreExceptions().untilAsserted(() -> {
            var recorded = client.resources(PerfBaseline.class)
                    .inNamespace(NS)
                    .withName("api")
                    .get()
                    .getStatus()
                    .recordedBaseline;
            assertThat(recorded.latencyP95).isEqualTo("210ms");
            assertThat(recorded.source).isEqualTo("BenchRun/api-1");
            assertThat(recorded.recordedAt).isEqualTo(r.getStatus().completionTime);
            assertThat(recorded.costPer1kRequests).isEqualTo(r.getStatus().results.costPer1kRequests);
        });
        // the PerfBaseline reconciler writes its own status after a spec change; the recorded baseline survives it
        Conflicts.retry(() -> client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .withName("api")
                .edit(pb -> {
                    pb.getSpec().onRegression = List.of("Notify");
                    return pb;
                }));
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(client.resources(PerfBaseline.class)
                                .inNamespace(NS)
                                .withName("api")
                                .get()
                                .getStatus()
                                .observedGeneration)
                        .isEqualTo(2L));
        assertThat(client.resources(PerfBaseline.class)
                        .inNamespace(NS)
                        .withName("api")
                        .get()
                        .getStatus()
                        .recordedBaseline
                        .source)
                .isEqualTo("BenchRun/api-1");

        // a second run compares with what the first recorded, and a slower p95 fails it
        create("api-2", spec("api", "baselineRef: api"));
        awaitPhase("api-2", "Running");
        pod("api-2", exited(0, summary(150_000, 120, 231)));
        awaitPhase("api-2", "Failed");
        BenchRun second = get("api-2");
        assertThat(second.getStatus().comparison)
                .filteredOn(c -> "latencyP95".equals(c.metric))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.baseline).isEqualTo("210ms");
                    assertThat(c.current).isEqualTo("231ms");
                    assertThat(c.changePercent).isEqualTo(10.0);
                    assertThat(c.verdict).isEqualTo("Fail");
                });
        assertThat(second.getStatus().verdict.reasons)
                .singleElement()
                .asString()
                .contains("more than spec.maxRegressionPercent 5 %");
    }

    static PerfBaseline perfBaseline(String workload) {
        PerfBaseline pb = new PerfBaseline();
        pb.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(workload)
                .withNamespace(NS)
                .build());
        pb.setSpec(
                Serialization.unmarshal("workload: {name: " + workload + "}", io.costguard.api.PerfBaselineSpec.class));
        return pb;
    }

    @Test
    void aBaselineOfAnotherWorkloadIsNotComparedAndFailsTheVerdict() {
        deployment("other");
        client.resources(PerfBaseline.class)
                .inNamespace(NS)
                .resource(perfBaseline("other"))
                .create();
        create("api-1", spec("api", "baselineRef: other\nrecordBaseline: true"));
        awaitPhase("api-1", "Running");
        pod("api-1", exited(0, summary(150_000, 0, 200)));
        awaitPhase("api-1", "Failed");
        BenchRun r = get("api-1");
        assertThat(r.getStatus().verdict.reasons)
                .singleElement()
                .asString()
                .contains("PerfBaseline other tracks other, not this run's target api");
        assertThat(Conditions.find(r.getStatus().conditions, "BaselineCompared").getReason())
                .isEqualTo("OtherWorkload");
        assertThat(client.resources(PerfBaseline.class)
                        .inNamespace(NS)
                        .withName("other")
                        .get()
                        .getStatus())
                .satisfiesAnyOf(
                        s -> assertThat(s).isNull(),
                        s -> assertThat(s.recordedBaseline).isNull());
    }

    @Test
    void aBaselineRefThatDoesNotExistFailsTheVerdict() {
        create("api-1", spec("api", "baselineRef: nobody"));
        awaitPhase("api-1", "Running");
        pod("api-1", exited(0, summary(150_000, 0, 200)));
        awaitPhase("api-1", "Failed");
        assertThat(get("api-1").getStatus().verdict.reasons)
                .singleElement()
                .asString()
                .contains("spec.baselineRef: PerfBaseline nobody does not exist in namespace team-a");
    }
}

package io.costguard.e2e;

import static io.costguard.e2e.AdmissionIT.ALPHA;
import static io.costguard.e2e.AdmissionIT.BETA;
import static io.costguard.e2e.AdmissionIT.deployment;
import static io.costguard.e2e.AdmissionIT.freePort;
import static io.costguard.e2e.AdmissionIT.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.costguard.api.ActionRecord;
import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.kube.Conflicts;
import io.costguard.status.Conditions;
import io.costguard.testing.StalledClients;
import io.costguard.testing.TestTls;
import io.costguard.webhook.CertificateAuthority;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite: faults and hostile clients against the packaged jar, what must hold on a guardrail's worst day.
 * Each case asserts the outcome the operator promises, not merely that it survives: stalled and slow clients on both
 * ports and the TLS suites; {@code kubectl scale} in a frozen scope and a dry-run break-glass; an empty Prometheus
 * answer after real data with Throttle and Freeze in force; credentials in the Prometheus URL; an object of the wrong
 * shape beside healthy ones. Every case is bounded ({@link Timeout}).
 */
@Timeout(240)
class FaultIT extends AlphaOverBudget {
    final StalledClients clients = new StalledClients();
    Watch watch;
    int metricsPort;

    @AfterEach
    void closeClients() {
        clients.close();
        if (watch != null) {
            watch.close();
        }
    }

    @Test
    void stalledAndSlowClientsOnBothPortsNeverDelayOthersAndTlsTakesOnlyAeadSuites() throws Exception {
        Path kubeconfig = setUp(Instant.now());
        CertificateAuthority.Issued issued = TestTls.issue();
        Path tls = work.resolve("tls");
        TestTls.write(tls, issued.serving());
        int port = freePort();
        int http = freePort();
        Map<String, String> env = webhookEnv(kubeconfig, port, http, tls);
        operator = OperatorProcess.start(jar(), env, work.resolve("operator.log"));
        SSLContext trust = TestTls.trusting(issued.ca().chain());
        await().atMost(Waits.STARTED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(
                                review(trust, port, "CREATE", deployment("api", ALPHA, "api:2", null), null)
                                        .path("allowed")
                                        .asBoolean())
                        .isFalse());
        long before = worstOf(10, () -> review(trust, port, "CREATE", deployment("web", BETA, "web:1", null), null));

        // 4 TLS clients that send headers and 1 byte of a 100-byte body, then 196 more, 20 that never handshake,
        // and 2 + 20 unfinished GETs on the HTTP port
        List<SSLSocket> stalled = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            stalled.add(clients.review(trust, port));
        }
        for (int i = 0; i < 20; i++) {
            clients.silent(port);
        }
        for (int i = 0; i < 22; i++) {
            clients.unfinishedGet(http, i % 2 == 0 ? "/healthz" : "/metrics");
        }

        long during = worstOf(20, () -> {
            JsonNode r = review(trust, port, "CREATE", deployment("web", BETA, "web:1", null), null);
            assertThat(r.path("allowed").asBoolean()).isTrue();
            return r;
        });
        assertThat(during)
                .as("worst review with 242 stalled connections open, vs %d ms without", before)
                .isLessThan(Math.max(2_000, before * 5));
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(get(plain, http, "/healthz").statusCode())
                .as("liveness, which also asks the webhook port")
                .isEqualTo(200);
        assertThat(get(plain, http, "/metrics").body()).contains("costguard_admission_decisions_total");

        // the stalled reads are ended by the server within its deadline (10 s), with 408
        SSLSocket first = stalled.get(0);
        first.setSoTimeout(20_000);
        String answer = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 408");

        // an oversized review is refused as soon as its length is known; a body that is not a review gets 400
        SSLSocket huge = clients.add((SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port));
        huge.setSoTimeout(5_000);
        huge.getOutputStream()
                .write(("POST /validate HTTP/1.1\r\nHost: costguard\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 9000000\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        huge.getOutputStream().flush();
        assertThat(new String(huge.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("HTTP/1.1 413")
                .contains("larger than 8388608 bytes");
        Map.Entry<Integer, String> garbage =
                TestTls.post(trust, AdmissionIT.SERVICE, port, "{\"apiVersion\": [1, 2], \"request\": \"x\"");
        assertThat(garbage.getKey()).isEqualTo(400);
        assertThat(garbage.getValue()).doesNotContain("com.fasterxml").doesNotContain("java.");

        // TLS 1.2 with CBC suites only is refused; AEAD on 1.2 and TLS 1.3 are served
        SSLSocket cbc = clients.add((SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port));
        cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
        cbc.setEnabledCipherSuites(new String[] {
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"
        });
        assertThatThrownBy(cbc::startHandshake).isInstanceOf(SSLHandshakeException.class);
        SSLSocket gcm = clients.add((SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port));
        gcm.setEnabledProtocols(new String[] {"TLSv1.2"});
        gcm.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"});
        gcm.startHandshake();
        assertThat(gcm.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        assertThat(operator.alive()).isTrue();
    }

    interface Call {
        Object run() throws Exception;
    }

    static long worstOf(int n, Call call) throws Exception {
        long worst = 0;
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            call.run();
            worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
        }
        return worst;
    }

    static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final String PASSWORD = "S3cret-Passw0rd-e2e";
    private static final String HEADER_VALUE = "org-header-v4lue";
    static final String HPA = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";

    /**
     * {@code kubectl scale} against the packaged jar while a budget freezes tenant alpha: the Scale's selector carries
     * no allocation labels, the Deployment's pod template does. A user's scale-up is denied naming the Deployment, the
     * HPA's passes, a scale-down passes; a break-glass on the Deployment lets it through, and a dry run of that is
     * answered the same without being counted.
     */
    @Test
    void kubectlScaleInAFrozenScopeIsJudgedByTheDeploymentAndADryRunBreakGlassIsNotAUse() throws Exception {
        Instant now = Instant.now();
        Path kubeconfig = setUp(now);
        checkoutApi(Map.of());
        CertificateAuthority.Issued issued = TestTls.issue();
        Path tls = work.resolve("tls");
        TestTls.write(tls, issued.serving());
        int port = AdmissionIT.freePort();
        int http = AdmissionIT.freePort();
        operator = OperatorProcess.start(jar(), webhookEnv(kubeconfig, port, http, tls), work.resolve("operator.log"));
        SSLContext trust = TestTls.trusting(issued.ca().chain());

        await().atMost(Waits.STARTED).ignoreExceptions().untilAsserted(() -> {
            JsonNode r = scale(trust, port, "alice", 2, 4, false);
            assertThat(r.path("allowed").asBoolean()).as(r.toString()).isFalse();
            assertThat(r.at("/status/message").asText())
                    .startsWith(
                            "Deployment team-alpha/checkout-api: rollouts are frozen by CostBudget team-alpha/alpha")
                    .contains("replicas rise from 2 to 4 through /scale")
                    .contains("kubectl annotate -n team-alpha deployment/checkout-api costguard.io/break-glass=");
        });
        assertThat(scale(trust, port, HPA, 2, 4, false).path("allowed").asBoolean())
                .as("the HPA scales up")
                .isTrue();
        assertThat(scale(trust, port, "alice", 4, 2, false).path("allowed").asBoolean())
                .as("scale-down")
                .isTrue();

        checkoutApi(Map.of(
                "costguard.io/break-glass",
                "INC-4711 traffic spike",
                "costguard.io/break-glass-until",
                operatorNow().plusSeconds(1800).toString()));
        await().atMost(Waits.CYCLES).untilAsserted(() -> {
            JsonNode dry = scale(trust, port, "alice", 2, 4, true);
            assertThat(dry.path("allowed").asBoolean()).as(dry.toString()).isTrue();
            assertThat(dry.path("warnings").toString())
                    .contains("break-glass 'INC-4711 traffic spike' let this through");
        });
        assertThat(AdmissionIT.metrics(http))
                .as("a dry run is not a use")
                .doesNotContain("costguard_admission_break_glass_total{");
        JsonNode used = scale(trust, port, "alice", 2, 4, false);
        assertThat(used.path("allowed").asBoolean()).isTrue();
        assertThat(AdmissionIT.metrics(http))
                .contains("costguard_admission_break_glass_total{namespace=\"team-alpha\",rule=\"freeze\"} 1.0");
        await().atMost(Waits.FOLLOW_UP)
                .untilAsserted(() -> assertThat(client.v1()
                                .events()
                                .inNamespace("team-alpha")
                                .list()
                                .getItems())
                        .filteredOn(e -> "BreakGlassUsed".equals(e.getReason()))
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Deployment");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("checkout-api");
                            assertThat(e.getMessage()).contains("INC-4711").contains("user alice");
                        }));
        assertThat(operator.alive()).isTrue();
    }

    void checkoutApi(Map<String, String> annotations) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("checkout-api")
                .withNamespace("team-alpha")
                .withLabels(AdmissionIT.ALPHA)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "checkout-api")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(withApp())
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("checkout:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        client.resource(d).createOr(x -> x.update());
    }

    private static Map<String, String> withApp() {
        Map<String, String> labels = new HashMap<>(AdmissionIT.ALPHA);
        labels.put("app", "checkout-api");
        return labels;
    }

    /** A Scale UPDATE as the API server sends it for {@code kubectl scale deploy checkout-api}. */
    static JsonNode scale(SSLContext tls, int port, String user, int before, int after, boolean dryRun)
            throws Exception {
        Map<String, Object> request = new HashMap<>(Map.of(
                "uid",
                java.util.UUID.randomUUID().toString(),
                "operation",
                "UPDATE",
                "kind",
                Map.of("group", "autoscaling", "version", "v1", "kind", "Scale"),
                "resource",
                Map.of("group", "apps", "version", "v1", "resource", "deployments"),
                "subResource",
                "scale",
                "namespace",
                "team-alpha",
                "name",
                "checkout-api",
                "userInfo",
                Map.of("username", user),
                "object",
                scaleObject(after),
                "oldObject",
                scaleObject(before)));
        request.put("dryRun", dryRun);
        String body = AdmissionIT.JSON.writeValueAsString(
                Map.of("apiVersion", "admission.k8s.io/v1", "kind", "AdmissionReview", "request", request));
        Map.Entry<Integer, String> r = TestTls.post(tls, AdmissionIT.SERVICE, port, body);
        assertThat(r.getKey()).as(r.getValue()).isEqualTo(200);
        return AdmissionIT.JSON.readTree(r.getValue()).path("response");
    }

    static Map<String, Object> scaleObject(int replicas) {
        return Map.of(
                "apiVersion",
                "autoscaling/v1",
                "kind",
                "Scale",
                "metadata",
                Map.of("name", "checkout-api", "namespace", "team-alpha"),
                "spec",
                Map.of("replicas", replicas),
                "status",
                Map.of("replicas", 2, "selector", "app=checkout-api"));
    }

    /**
     * The jar against a real Prometheus that loses its data: the same URL answers from an empty TSDB while one
     * budget throttles (90 %) and another freezes (102 %). Missing data, not zero cost: both go Unknown, nothing is
     * reverted; with the data back both are in force as before, and an undone throttle is applied again.
     */
    @Test
    void anEmptyTsdbAfterRealDataRevertsNothing() throws Exception {
        history = MonthOfHistory.start(work, Instant.now());
        prometheus = history.prometheus();
        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd(), ActionsIT.featureFlagCrd()));
        AlphaBudgets.createFlag(client);
        // every write of the flag: a revert and re-apply in between would show as an "on" after the first "off"
        List<String> variants = new java.util.concurrent.CopyOnWriteArrayList<>();
        watch = client.genericKubernetesResources("core.openfeature.dev/v1beta1", "FeatureFlag")
                .inNamespace("team-alpha")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource r) {
                        String v = AlphaBudgets.variant(r);
                        if (variants.isEmpty()
                                || !variants.get(variants.size() - 1).equals(v)) {
                            variants.add(v);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                });
        String throttleAt = amount(history.alphaSpent(), 0.90);
        String freezeAt = amount(history.alphaSpent(), 1.02);
        createBudget("throttled", throttleAt, true);
        createBudget("frozen", freezeAt, false);

        Path kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        try (ServerSocket s = new ServerSocket(0)) {
            metricsPort = s.getLocalPort();
        }
        Map<String, String> env = new java.util.HashMap<>(history.clockEnv());
        env.putAll(Map.of(
                "KUBECONFIG",
                kubeconfig.toString(),
                "COSTGUARD_PROMETHEUS_URL",
                prometheus.url().toString(),
                "COSTGUARD_EVALUATION_INTERVAL",
                "1s",
                "COSTGUARD_RATE_WINDOW",
                "10m",
                "COSTGUARD_HTTP_PORT",
                Integer.toString(metricsPort),
                "POD_NAMESPACE",
                "costguard-system"));
        operator = OperatorProcess.start(jar, env, work.resolve("operator.log"));
        awaitInForce();
        String spentThrottled = budget("throttled").getStatus().spent;

        // the same URL, an empty TSDB: Prometheus answers 200 with no series
        Path data = work.resolve("prometheus-data");
        Path saved = work.resolve("prometheus-data.saved");
        prometheus.stop();
        Files.move(data, saved);
        Files.createDirectories(data);
        prometheus.start();
        await().atMost(Waits.CYCLES).untilAsserted(() -> {
            for (String name : List.of("throttled", "frozen")) {
                CostBudget b = budget(name);
                assertThat(b.getStatus().state).isEqualTo("Unknown");
                assertThat(Conditions.find(b.getStatus().conditions, "DataAvailable")
                                .getReason())
                        .isEqualTo("MissingHours");
            }
            assertThat(metrics())
                    .contains("costguard_cost_data_available 0.0")
                    .doesNotContain("costguard_cost_missing_hours 0.0");
        });
        Thread.sleep(3000);
        CostBudget throttled = budget("throttled");
        assertThat(throttled.getStatus().spent).isEqualTo(spentThrottled);
        assertThat(result(throttled, 85, "Throttle")).isEqualTo("Done");
        assertThat(throttled.getStatus().throttledFlags).hasSize(1);
        assertThat(flagVariant()).isEqualTo("off");
        CostBudget frozen = budget("frozen");
        assertThat(result(frozen, 100, "Freeze")).isEqualTo("Done");
        assertThat(frozen.getStatus().deploysFrozen).isTrue();

        // the data is back: both in force as before
        prometheus.stop();
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        Files.move(saved, data);
        prometheus.start();
        awaitInForce();
        Thread.sleep(2000);
        assertThat(variants).containsExactly("on", "off");

        // undone by a raised amount, applied again when the amount is lowered back
        setAmount("throttled", "100000.00");
        await().atMost(Waits.CYCLES)
                .untilAsserted(() -> assertThat(flagVariant()).isEqualTo("on"));
        setAmount("throttled", throttleAt);
        await().atMost(Waits.CYCLES).untilAsserted(() -> {
            assertThat(flagVariant()).isEqualTo("off");
            assertThat(result(budget("throttled"), 85, "Throttle")).isEqualTo("Done");
        });
    }

    private void awaitInForce() {
        await().atMost(Waits.STARTED).untilAsserted(() -> {
            CostBudget throttled = budget("throttled");
            assertThat(throttled.getStatus()).isNotNull();
            assertThat(throttled.getStatus().state).isEqualTo("Critical");
            assertThat(result(throttled, 85, "Throttle")).isEqualTo("Done");
            assertThat(flagVariant()).isEqualTo("off");
            CostBudget frozen = budget("frozen");
            assertThat(frozen.getStatus().state).isEqualTo("Exceeded");
            assertThat(result(frozen, 100, "Freeze")).isEqualTo("Done");
            assertThat(frozen.getStatus().deploysFrozen).isTrue();
        });
    }

    private static String amount(double spent, double share) {
        return BigDecimal.valueOf(spent / share)
                .setScale(2, RoundingMode.HALF_UP)
                .toPlainString();
    }

    private void createBudget(String name, String amount, boolean throttle) {
        client.resource(AlphaBudgets.budget(name, amount, throttle)).create();
    }

    private void setAmount(String name, String amount) {
        Conflicts.retry(() -> client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName(name)
                .edit(b -> {
                    b.getSpec().amount = amount;
                    return b;
                }));
    }

    private CostBudget budget(String name) {
        return client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName(name)
                .get();
    }

    private static String result(CostBudget b, int percent, String type) {
        if (b.getStatus() == null || b.getStatus().crossedThresholds == null) {
            return null;
        }
        return b.getStatus().crossedThresholds.stream()
                .filter(c -> c.percent == percent)
                .findFirst()
                .flatMap(
                        c -> c.actions.stream().filter(a -> type.equals(a.type)).findFirst())
                .map((ActionRecord a) -> a.result)
                .orElse(null);
    }

    private String flagVariant() {
        return AlphaBudgets.variant(client.genericKubernetesResources(AlphaBudgets.FLAG_API, "FeatureFlag")
                .inNamespace("team-alpha")
                .withName("alpha-flags")
                .get());
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * The jar with a Prometheus URL holding a user and password, and a header: it reads cost with them, and neither the
     * password nor the header value appears in its output, a budget's status, an Event or /metrics, also once
     * Prometheus is gone and the failure is reported.
     */
    @Test
    void credentialsNeverReachALogAStatusAnEventOrAMetric() throws Exception {
        DailyBudgetCluster cluster = new DailyBudgetCluster(work);
        prometheus = cluster.prometheus;
        kube = cluster.kube;
        client = cluster.client;

        String base = prometheus.url().toString();
        String withUser = base.replace("://", "://costguard-reader:" + PASSWORD + "@");
        int metricsPort = OperatorIT.freePort();
        operator = OperatorProcess.start(
                Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar")),
                Map.of(
                        "KUBECONFIG",
                        kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha")
                                .toString(),
                        "COSTGUARD_PROMETHEUS_URL",
                        withUser,
                        "COSTGUARD_PROMETHEUS_HEADERS",
                        "X-Scope-OrgID=" + HEADER_VALUE,
                        "COSTGUARD_PROMETHEUS_TIMEOUT",
                        "2s",
                        "COSTGUARD_EVALUATION_INTERVAL",
                        "2s",
                        "COSTGUARD_RATE_WINDOW",
                        "10m",
                        "COSTGUARD_HTTP_PORT",
                        Integer.toString(metricsPort),
                        "POD_NAMESPACE",
                        "costguard-system"),
                work.resolve("operator.log"));

        // the credentials do their work: cost is read
        await().atMost(Waits.STARTED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(statusText()).contains("CostDataFresh"));
        assertThat(operator.log()).contains("Prometheus " + base.replaceAll("/$", ""));

        // the failure a tenant reads names where, not with what
        prometheus.stop();
        await().atMost(Waits.RESTARTED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(statusText())
                        .contains("\"DataAvailable\"")
                        .contains("Unreachable")
                        .contains(prometheus.url().getAuthority()));

        String events = Serialization.asJson(
                client.v1().events().inNamespace("team-alpha").list());
        String metrics = AdmissionIT.metrics(metricsPort);
        for (String text : List.of(operator.log(), statusText(), events, metrics)) {
            assertThat(text)
                    .doesNotContain(PASSWORD)
                    .doesNotContain(HEADER_VALUE)
                    .doesNotContain("costguard-reader");
        }
    }

    private String statusText() {
        return Serialization.asJson(client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName("daily")
                .get()
                .getStatus());
    }

    /**
     * The packaged jar with a CostBudget of the wrong shape beside a healthy one (as {@code kubectl apply
     * --validate=false} against a looser CRD leaves it): the jar keeps running, the healthy budget gets its status,
     * the broken one is Invalid naming the field, with one log line and no stack trace.
     */
    @Test
    void aBrokenBudgetIsReportedAndSkippedWhileTheOperatorGoesOn() throws Exception {
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        assertThat(jar).as("the packaged operator jar (mvn package)").exists();
        List<AutoCloseable> started = new ArrayList<>();
        try {
            LocalKubernetes kube = new LocalKubernetes().start();
            started.add(0, kube);
            KubernetesClient client = kube.client();
            started.add(0, client);
            kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
            Path crds = Path.of(System.getProperty("costguard.repo", "..")).resolve("crds");
            List<CustomResourceDefinition> definitions = new ArrayList<>();
            for (String crd : List.of("costbudgets", "perfbaselines", "benchruns")) {
                definitions.add(Serialization.unmarshal(
                        Files.readString(crds.resolve(crd + ".costguard.io-v1.yml")), CustomResourceDefinition.class));
            }
            kube.installCrds(client, definitions);
            raw(client, "healthy", "{\"amount\": \"100.00\"}");
            raw(
                    client,
                    "broken",
                    "{\"amount\": \"100.00\", \"thresholds\": {\"percent\": 70, \"actions\": [\"Notify\"]}}");

            int port = OperatorIT.freePort();
            OperatorProcess operator = OperatorProcess.start(
                    jar,
                    Map.of(
                            "KUBECONFIG",
                            kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha")
                                    .toString(),
                            // no Prometheus: the healthy budget is Unknown, which is a status its reconcile writes
                            "COSTGUARD_PROMETHEUS_URL",
                            "http://127.0.0.1:" + OperatorIT.freePort(),
                            "COSTGUARD_PROMETHEUS_TIMEOUT",
                            "1s",
                            "COSTGUARD_EVALUATION_INTERVAL",
                            "3s",
                            "COSTGUARD_HTTP_PORT",
                            Integer.toString(port),
                            "POD_NAMESPACE",
                            "costguard-system"),
                    work.resolve("operator.log"));
            started.add(0, operator);

            // read as generic objects: this module's CostBudget class may be an older build than the jar under test
            await().atMost(Waits.STARTED).ignoreExceptions().untilAsserted(() -> {
                assertThat(status(client, "healthy")).containsEntry("state", "Unknown");
                Map<String, Object> broken = status(client, "broken");
                assertThat(broken).containsEntry("state", "Invalid");
                assertThat(String.valueOf(broken.get("conditions")))
                        .contains("message=spec.thresholds: is an object, but a list belongs here");
            });
            Thread.sleep(6_000); // two more cycles: still running, still answering
            assertThat(operator.alive()).isTrue();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("costguard_unreadable_objects{kind=\"CostBudget\",namespace=\"team-alpha\"} 1.0");
            assertThat(client.v1().events().inNamespace("team-alpha").list().getItems())
                    .anySatisfy(e -> assertThat(
                                    e.getReason() + " " + e.getInvolvedObject().getName())
                            .isEqualTo("UnreadableObject broken"));

            String log = operator.log();
            assertThat(log.lines().filter(l -> l.contains("team-alpha/broken cannot be read")))
                    .singleElement()
                    .asString()
                    .contains("spec.thresholds");
            assertThat(log)
                    .doesNotContain("UnrecognizedPropertyException", "MismatchedInputException", "\tat com.fasterxml");
        } finally {
            OperatorIT.closeAll(started.toArray(AutoCloseable[]::new));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(KubernetesClient client, String name) {
        return (Map<String, Object>) client.genericKubernetesResources("costguard.io/v1alpha1", "CostBudget")
                .inNamespace("team-alpha")
                .withName(name)
                .get()
                .getAdditionalProperties()
                .get("status");
    }

    private static void raw(KubernetesClient client, String name, String spec) {
        client.resource(Serialization.unmarshal(
                        "{\"apiVersion\": \"costguard.io/v1alpha1\", \"kind\": \"CostBudget\", \"metadata\": {\"name\": \""
                                + name + "\", \"namespace\": \"team-alpha\"}, \"spec\": " + spec + "}",
                        GenericKubernetesResource.class))
                .create();
    }
}

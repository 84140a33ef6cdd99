package io.costguard.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig.PrometheusSettings;
import io.costguard.prometheus.PrometheusClient.QueryObserver;
import io.costguard.prometheus.QueryOutcome.Failure;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.prometheus.QueryOutcome.Success;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a tiny HTTP server on 127.0.0.1: request shape, auth, headers and typed failures. */
class PrometheusClientHttpTest {
    private static final String OK_MATRIX =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"namespace\":\"team-alpha\"},"
                    + "\"values\":[[1763877600,\"1.5\"],[1763881200,\"2.5\"]]}]}}";
    private static final String OK_VECTOR =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1763877600,\"7\"]}]}}";
    private static final String BAD_DATA =
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected <EOF>\"}";

    @TempDir
    Path dir;

    private HttpServer server;
    private ExecutorService executor;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<String> observed = new CopyOnWriteArrayList<>();
    /** What the server answers: status and body, per request path suffix. */
    private volatile Answer answer = new Answer(200, OK_MATRIX, Duration.ZERO);

    record Recorded(
            String method,
            String path,
            Map<String, String> form,
            String contentType,
            String orgId,
            String authorization) {}

    record Answer(int status, String body, Duration delay) {}

    @BeforeEach
    void startServer() throws IOException {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-prometheus");
            t.setDaemon(true);
            return t;
        });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String kv : body.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                form.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        requests.add(new Recorded(
                ex.getRequestMethod(),
                ex.getRequestURI().getPath(),
                form,
                ex.getRequestHeaders().getFirst("Content-Type"),
                ex.getRequestHeaders().getFirst("X-Scope-OrgID"),
                ex.getRequestHeaders().getFirst("Authorization")));
        Answer a = answer;
        if (!a.delay().isZero()) {
            try {
                release.await(a.delay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        } catch (IOException ignored) {
            // the client gave up (timeout tests)
        }
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private PrometheusClient client(URI url, Optional<Path> token, Map<String, String> headers, Duration timeout) {
        return new PrometheusClient(
                new PrometheusSettings(url, token, Optional.empty(), headers, timeout, Optional.empty()),
                (purpose, type, latency, failure) ->
                        observed.add(purpose + "/" + type + "/" + (failure == null ? "ok" : failure.name())));
    }

    private PrometheusClient client() {
        return client(base(), Optional.empty(), Map.of(), Duration.ofSeconds(5));
    }

    @Test
    void rangeQueryIsAFormPostWithQueryStartEndAndStep() {
        String query =
                "sum by (namespace, label_tenant) (rate(container_cpu_usage_seconds_total{namespace=~\"team-.*\"}[5m])) * 0.031611";
        QueryOutcome o = client().queryRange(
                        "compute",
                        query,
                        Instant.ofEpochSecond(1_763_877_600L),
                        Instant.ofEpochSecond(1_763_884_800L),
                        Duration.ofHours(1));

        assertThat(o).isInstanceOf(Success.class);
        assertThat(((Success) o).samples()).isEqualTo(2);
        assertThat(((Success) o).series().get(0).values()).containsExactly(1.5, 2.5);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/api/v1/query_range");
            assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
            assertThat(r.form())
                    .containsExactly(
                            Map.entry("query", query),
                            Map.entry("start", "1763877600"),
                            Map.entry("end", "1763884800"),
                            Map.entry("step", "3600"));
            assertThat(r.orgId()).isNull();
            assertThat(r.authorization()).isNull();
        });
    }

    @Test
    void aSubSecondStepIsSentAsOneSecond() {
        client().queryRange(
                        "compute", "up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(10), Duration.ofMillis(200));
        assertThat(requests.get(0).form()).containsEntry("step", "1");
    }

    @Test
    void instantQueryPostsQueryAndTime() {
        answer = new Answer(200, OK_VECTOR, Duration.ZERO);
        QueryOutcome o =
                client().query("volume", "sum(rate(http_requests_total[1h]))", Instant.ofEpochSecond(1_763_877_600L));
        assertThat(o).isInstanceOf(Success.class);
        assertThat(((Success) o).series().get(0).values()).containsExactly(7.0);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/api/v1/query");
            assertThat(r.form())
                    .containsExactly(
                            Map.entry("query", "sum(rate(http_requests_total[1h]))"), Map.entry("time", "1763877600"));
        });
    }

    @Test
    void customHeadersAndTheBearerTokenFromTheFileAreSent() throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cr3t-token\n");
        PrometheusClient c =
                client(base(), Optional.of(token), Map.of("X-Scope-OrgID", "tenant-a"), Duration.ofSeconds(5));

        c.queryRange("compute", "up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(3600), Duration.ofHours(1));

        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.orgId()).isEqualTo("tenant-a");
            assertThat(r.authorization()).isEqualTo("Bearer s3cr3t-token");
        });
    }

    @Test
    void theTokenFileIsReadForEachQuerySoARotatedTokenIsUsed() throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "first");
        PrometheusClient c = client(base(), Optional.of(token), Map.of(), Duration.ofSeconds(5));
        c.query("p", "up", Instant.ofEpochSecond(0));
        Files.writeString(token, "second");
        c.query("p", "up", Instant.ofEpochSecond(0));
        assertThat(requests).extracting(Recorded::authorization).containsExactly("Bearer first", "Bearer second");
    }

    @Test
    void basicAuthFromFilesIsSentAndTheFilesAreReadForEachQuery() throws IOException {
        Path user = Files.writeString(dir.resolve("username"), "123456\n");
        Path password = Files.writeString(dir.resolve("password"), "glc_first\n");
        PrometheusClient c = new PrometheusClient(
                ConfigLoader.load(Map.of(
                                "COSTGUARD_PROMETHEUS_URL",
                                base().toString(),
                                "COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE",
                                user.toString(),
                                "COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE",
                                password.toString()))
                        .prometheus(),
                QueryObserver.NONE);
        c.query("p", "up", Instant.ofEpochSecond(0));
        Files.writeString(password, "glc_second");
        c.query("p", "up", Instant.ofEpochSecond(0));
        assertThat(requests)
                .extracting(Recorded::authorization)
                .containsExactly(
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString("123456:glc_first".getBytes(StandardCharsets.UTF_8)),
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString("123456:glc_second".getBytes(StandardCharsets.UTF_8)));
        Files.delete(password);
        QueryOutcome o = c.query("p", "up", Instant.ofEpochSecond(0));
        assertThat(((Failure) o).message()).contains("basic auth file").doesNotContain("glc_");
        assertThat(requests).hasSize(2);
    }

    @Test
    void aUserAndPasswordInTheUrlAreSentAsBasicAuthAndAppearInNoMessage() throws IOException {
        String secret = "p4ss-w0rd";
        PrometheusClient c = new PrometheusClient(
                ConfigLoader.load(Map.of(
                                "COSTGUARD_PROMETHEUS_URL",
                                        "http://grafana-user:" + secret + "@127.0.0.1:"
                                                + server.getAddress().getPort() + "/prom",
                                "COSTGUARD_PROMETHEUS_HEADERS", "X-Scope-OrgID=org-secret-1",
                                "COSTGUARD_PROMETHEUS_TIMEOUT", "300ms"))
                        .prometheus(),
                QueryObserver.NONE);

        assertThat(c.query("p", "up", Instant.ofEpochSecond(0))).isInstanceOf(Success.class);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/prom/api/v1/query");
            assertThat(r.authorization())
                    .isEqualTo("Basic "
                            + Base64.getEncoder()
                                    .encodeToString(("grafana-user:" + secret).getBytes(StandardCharsets.UTF_8)));
        });
        assertThat(c.baseUrl().toString()).doesNotContain(secret).doesNotContain("grafana-user");

        List<String> messages = new ArrayList<>();
        // a backend that echoes what it was sent into its error, then a slow one
        answer = new Answer(
                401,
                "{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"no access for grafana-user:" + secret
                        + " in org-secret-1 at http://grafana-user:" + secret + "@127.0.0.1/prom?token=abcdef\"}",
                Duration.ZERO);
        messages.add(((Failure) c.query("p", "up", Instant.ofEpochSecond(0))).message());
        answer = new Answer(200, OK_VECTOR, Duration.ofSeconds(10));
        messages.add(((Failure) c.query("p", "up", Instant.ofEpochSecond(0))).message());
        assertThat(messages)
                .allSatisfy(m -> assertThat(m)
                        .doesNotContain(secret)
                        .doesNotContain("org-secret-1")
                        .doesNotContain("abcdef"));
        assertThat(messages.get(0)).contains("no access for ***:*** in *** at http://***@127.0.0.1/prom?token=***");
        assertThat(messages.get(1)).contains("127.0.0.1:" + server.getAddress().getPort() + "/prom");
    }

    @Test
    void aBasePathIsKeptForMimirAndThanosStyleEndpoints() {
        PrometheusClient c =
                client(URI.create(base() + "/prometheus"), Optional.empty(), Map.of(), Duration.ofSeconds(5));
        c.queryRange("compute", "up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(3600), Duration.ofHours(1));
        assertThat(requests.get(0).path()).isEqualTo("/prometheus/api/v1/query_range");
        assertThat(c.baseUrl()).isEqualTo(URI.create(base() + "/prometheus"));
    }

    @Test
    void aServerSlowerThanTheTimeoutGivesTimeout() {
        answer = new Answer(200, OK_MATRIX, Duration.ofSeconds(10));
        PrometheusClient c = client(base(), Optional.empty(), Map.of(), Duration.ofMillis(300));

        long t0 = System.nanoTime();
        QueryOutcome o = c.query("compute", "up", Instant.ofEpochSecond(0));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(o).isInstanceOf(Failure.class);
        assertThat(((Failure) o).kind()).isEqualTo(FailureKind.Timeout);
        assertThat(((Failure) o).message()).contains(base().toString());
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClosedPortGivesUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        PrometheusClient c =
                client(URI.create("http://127.0.0.1:" + port), Optional.empty(), Map.of(), Duration.ofSeconds(2));
        QueryOutcome o = c.queryRange(
                "compute", "up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(3600), Duration.ofHours(1));
        assertThat(o).isInstanceOf(Failure.class);
        assertThat(((Failure) o).kind()).isEqualTo(FailureKind.Unreachable);
        assertThat(((Failure) o).message()).contains("127.0.0.1:" + port);
    }

    @Test
    void aGatewayErrorPageGivesHttpError() {
        answer = new Answer(502, "<html><body>502 Bad Gateway</body></html>", Duration.ZERO);
        QueryOutcome o = client().query("compute", "up", Instant.ofEpochSecond(0));
        assertThat(o).isInstanceOf(Failure.class);
        assertThat(((Failure) o).kind()).isEqualTo(FailureKind.HttpError);
        assertThat(((Failure) o).message()).contains("502");
    }

    @Test
    void aPrometheusErrorBodyGivesItsKind() {
        answer = new Answer(400, BAD_DATA, Duration.ZERO);
        QueryOutcome o = client().query("compute", "sum(", Instant.ofEpochSecond(0));
        assertThat(o).isInstanceOf(Failure.class);
        assertThat(((Failure) o).kind()).isEqualTo(FailureKind.BadQuery);
        assertThat(((Failure) o).message()).contains("parse error");
    }

    @Test
    void anUnreadableTokenFileIsAFailureNotAnException() throws IOException {
        Path token = dir.resolve("token");
        Files.writeString(token, "t");
        PrometheusClient c = client(base(), Optional.of(token), Map.of(), Duration.ofSeconds(5));
        Files.delete(token);
        QueryOutcome o = c.query("compute", "up", Instant.ofEpochSecond(0));
        assertThat(o).isInstanceOf(Failure.class);
        assertThat(((Failure) o).message()).contains("bearer token file");
        assertThat(requests).isEmpty();
    }

    @Test
    void theObserverSeesEveryQueryWithItsPurposeTypeAndFailureKind() {
        PrometheusClient c = client(base(), Optional.empty(), Map.of(), Duration.ofMillis(300));
        c.queryRange("compute", "up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(3600), Duration.ofHours(1));
        answer = new Answer(400, BAD_DATA, Duration.ZERO);
        c.query("volume", "sum(", Instant.ofEpochSecond(0));
        answer = new Answer(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}",
                Duration.ZERO);
        c.query("llm", "x", Instant.ofEpochSecond(0));
        answer = new Answer(200, OK_MATRIX, Duration.ofSeconds(10));
        c.queryRange("compute", "up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(3600), Duration.ofHours(1));

        assertThat(observed)
                .containsExactly(
                        "compute/range/ok",
                        "volume/instant/BadQuery",
                        "llm/instant/NaNValues",
                        "compute/range/Timeout");
    }

    @Test
    void theObserverSeesUnreachableToo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        client(URI.create("http://127.0.0.1:" + port), Optional.empty(), Map.of(), Duration.ofSeconds(2))
                .query("compute", "up", Instant.ofEpochSecond(0));
        assertThat(observed).containsExactly("compute/instant/Unreachable");
    }

    @Test
    void theObserverIsToldTheLatency() {
        List<Duration> latencies = new CopyOnWriteArrayList<>();
        answer = new Answer(200, OK_VECTOR, Duration.ofMillis(150));
        new PrometheusClient(
                        new PrometheusSettings(
                                base(),
                                Optional.empty(),
                                Optional.empty(),
                                Map.of(),
                                Duration.ofSeconds(5),
                                Optional.empty()),
                        (purpose, type, latency, failure) -> latencies.add(latency))
                .query("compute", "up", Instant.ofEpochSecond(0));
        assertThat(latencies)
                .singleElement()
                .satisfies(l -> assertThat(l).isGreaterThanOrEqualTo(Duration.ofMillis(100)));
    }
}

package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.testing.OpaStandIn;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OPA client against a stand-in that speaks the Data API: answers, undefined results, slowness, absence. */
class OpaClientTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<OpaClient.Answer> observed = new ArrayList<>();
    OpaStandIn opa;

    @AfterEach
    void stop() {
        if (opa != null) {
            opa.close();
        }
    }

    OpaClient client(URI url, Duration timeout) {
        return new OpaClient(url, "costguard/admission/deny", timeout, JSON, (latency, answer) -> observed.add(answer));
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aUserAndPasswordInTheUrlAreSentAsBasicAuthAndNeverShown() throws Exception {
        opa = new OpaStandIn("costguard/admission/deny", input -> json("[]"));
        URI withUser = URI.create(opa.url().toString().replace("://", "://admission:0pa-s3cret@"));
        OpaClient c = client(withUser, Duration.ofSeconds(2));
        assertThat(c.ask(json("{\"request\":{\"uid\":\"1\"}}")).get()).isInstanceOf(OpaClient.NoObjection.class);
        assertThat(opa.authorizations())
                .containsExactly("Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        "admission:0pa-s3cret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(c.endpoint().toString()).doesNotContain("0pa-s3cret").doesNotContain("admission:");
        opa.close();
        OpaClient.Answer down = c.ask(json("{}")).get();
        assertThat(((OpaClient.Unavailable) down).detail())
                .contains(opa.url().getAuthority())
                .doesNotContain("0pa-s3cret");
        opa = null;
    }

    @Test
    void sendsTheWholeReviewAsInputAndReadsDenyMessages() throws Exception {
        opa = new OpaStandIn(
                "costguard/admission/deny",
                input -> json(
                        input.at("/request/namespace").asText().equals("team-x") ? "[\"team-x is closed\"]" : "[]"));
        OpaClient c = client(opa.url(), Duration.ofSeconds(2));
        JsonNode review = json(
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"namespace\":\"team-x\"}}");
        assertThat(c.ask(review).get()).isEqualTo(new OpaClient.Denied(List.of("team-x is closed")));
        assertThat(opa.inputs().get(0).path("request").path("uid").asText()).isEqualTo("1");
        JsonNode other = json("{\"request\":{\"uid\":\"2\",\"namespace\":\"team-y\"}}");
        assertThat(c.ask(other).get()).isInstanceOf(OpaClient.NoObjection.class);
        assertThat(observed).hasSize(2);
    }

    @Test
    void anUndefinedResultIsNoObjection() throws Exception {
        opa = new OpaStandIn("costguard/admission/deny", input -> null);
        assertThat(client(opa.url(), Duration.ofSeconds(2)).ask(json("{}")).get())
                .isInstanceOf(OpaClient.NoObjection.class);
    }

    @Test
    void policyValuesOfEveryShape() {
        assertThat(OpaClient.interpret(json("true"))).isInstanceOf(OpaClient.NoObjection.class);
        assertThat(OpaClient.interpret(json("false"))).isInstanceOf(OpaClient.Denied.class);
        assertThat(OpaClient.interpret(json("{\"allowed\":false,\"reason\":\"nope\"}")))
                .isEqualTo(new OpaClient.Denied(List.of("nope")));
        assertThat(OpaClient.interpret(json("{\"allowed\":true}"))).isInstanceOf(OpaClient.NoObjection.class);
        assertThat(OpaClient.interpret(json("{\"deny\":[\"a\",\"b\"]}")))
                .isEqualTo(new OpaClient.Denied(List.of("a", "b")));
        assertThat(OpaClient.interpret(json("{}"))).isInstanceOf(OpaClient.NoObjection.class);
        assertThat(OpaClient.interpret(json("[]"))).isInstanceOf(OpaClient.NoObjection.class);
        assertThat(OpaClient.interpret(json("42"))).isInstanceOf(OpaClient.Unavailable.class);
        assertThat(OpaClient.interpret(json("{\"x\":1}"))).isInstanceOf(OpaClient.Unavailable.class);
    }

    @Test
    void slowDownAndBrokenAreUnavailableWithinTheTimeout() throws Exception {
        opa = new OpaStandIn("costguard/admission/deny", input -> json("[\"no\"]"));
        opa.delay(10_000);
        long start = System.nanoTime();
        OpaClient.Answer slow =
                client(opa.url(), Duration.ofMillis(150)).ask(json("{}")).get();
        assertThat(slow).isInstanceOf(OpaClient.Unavailable.class);
        assertThat(((OpaClient.Unavailable) slow).kind()).isEqualTo("timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("gives up at the timeout, not when OPA answers")
                .isLessThan(Duration.ofSeconds(5));
        opa.delay(0);
        opa.status(500);
        assertThat(((OpaClient.Unavailable) client(opa.url(), Duration.ofSeconds(2))
                                .ask(json("{}"))
                                .get())
                        .kind())
                .isEqualTo("http_500");
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        OpaClient.Answer down = client(URI.create("http://127.0.0.1:" + freePort), Duration.ofMillis(500))
                .ask(json("{}"))
                .get();
        assertThat(((OpaClient.Unavailable) down).kind()).isEqualTo("unreachable");
    }

    @Test
    void opaDownNeverOpensWhatTheBuiltInRulesDeny() throws Exception {
        opa = new OpaStandIn("costguard/admission/deny", input -> json("[]"));
        opa.delay(2_000);
        var registry = new PrometheusRegistry();
        AdmissionMetrics metrics = new AdmissionMetrics(registry);
        AdmissionPolicy base =
                AdmissionFixturesTest.policy(new StaticCluster(), Clock.systemUTC(), AdmissionNotices.NONE);
        var config = io.costguard.testing.TestConfigs.operator(URI.create("http://127.0.0.1:9"), "60s", Map.of());
        AdmissionRules rules = AdmissionRules.from(config);
        AdmissionPolicy withOpa = new AdmissionPolicy(
                rules.labels(),
                rules.freeze(),
                Optional.of(rules.preview()),
                new OwnResourceRule(
                        JSON,
                        new io.costguard.budget.BudgetSpecValidator(config.allocationKeys(), java.util.Map.of(), "USD"),
                        "costguard-system",
                        new io.costguard.bench.BenchSpecValidator(
                                java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE))),
                Optional.of(
                        new OpaClient(opa.url(), "costguard/admission/deny", Duration.ofMillis(100), JSON, metrics)),
                new StaticCluster(),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC),
                metrics,
                AdmissionNotices.NONE);
        byte[] body =
                ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\","
                                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"namespace\":\"a\",\"object\":{\"metadata\":{\"name\":\"p\"}}}}")
                        .getBytes();
        var parsed = (ReviewCodec.Parsed) new ReviewCodec(JSON).parse(body);
        Verdict v = withOpa.decide(parsed.request(), null);
        assertThat(v.allowed()).isFalse();
        assertThat(v.message()).contains("lacks cost-allocation labels");
        assertThat(v.warnings())
                .anySatisfy(w -> assertThat(w).contains("OPA is unavailable (OPA did not answer within 100ms)"));
        assertThat(base.decide(parsed.request(), null).allowed()).isFalse();
        String scrape = scrape(registry);
        assertThat(scrape)
                .contains("costguard_opa_errors_total{reason=\"timeout\"} 1")
                .contains("costguard_opa_up 0");
        // OPA denies what the built-ins allow: denied, with OPA's message
        opa.delay(0);
        opa.policy(input -> json("[\"images must come from registry.example.com\"]"));
        byte[] labelled =
                ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\","
                                + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"namespace\":\"a\",\"object\":{\"metadata\":{\"name\":\"p\",\"labels\":"
                                + "{\"tenant\":\"a\",\"feature\":\"b\",\"team\":\"c\",\"environment\":\"d\"}}}}}")
                        .getBytes();
        var ok = (ReviewCodec.Parsed) new ReviewCodec(JSON).parse(labelled);
        Verdict denied = withOpa.decide(ok.request(), null);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.message()).isEqualTo("OPA: images must come from registry.example.com");
        assertThat(scrape(registry)).contains("costguard_opa_up 1");
    }

    static String scrape(PrometheusRegistry registry) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        new io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString();
    }
}

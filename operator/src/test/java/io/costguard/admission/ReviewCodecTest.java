package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed AdmissionReviews: 400 with a message when unanswerable, a denial with the reason when answerable, never a 500. */
class ReviewCodecTest {
    final ObjectMapper json = new ObjectMapper();
    final ReviewCodec codec = new ReviewCodec(json);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "[1,2]",
                "42",
                "{\"kind\":\"AdmissionReview\"}",
                "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":[]}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"",
            })
    void unanswerableBodiesAreMalformedWithAMessage(String body) {
        ReviewCodec.Outcome o = codec.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(o).isInstanceOf(ReviewCodec.Malformed.class);
        assertThat(((ReviewCodec.Malformed) o).message()).isNotBlank();
    }

    @Test
    void theWrongVersionSaysHowToFixTheWebhookConfiguration() {
        var o = (ReviewCodec.Malformed)
                codec.parse("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}".getBytes());
        assertThat(o.message()).contains("admission.k8s.io/v1").contains("admissionReviewVersions");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"uid\":\"u1\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"namespace\":\"a\"}|request.object is missing",
                "{\"uid\":\"u1\",\"operation\":\"UPDATE\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"namespace\":\"a\",\"object\":{}}|request.oldObject is missing",
                "{\"uid\":\"u1\",\"operation\":\"PATCH\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"}}|request.operation 'PATCH'",
                "{\"uid\":\"u1\",\"operation\":\"CREATE\",\"object\":{}}|request.kind is missing",
                "{\"uid\":\"u1\",\"operation\":\"CREATE\",\"kind\":\"Deployment\",\"object\":{}}|request.kind is missing",
                "{\"uid\":\"u1\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"object\":\"oops\"}|request.object is missing",
            })
    void answerableButIncompleteReviewsAreDeniedWithTheReason(String spec) throws Exception {
        String[] parts = spec.split("\\|");
        byte[] body = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + parts[0]
                        + "}")
                .getBytes();
        var parsed = (ReviewCodec.Parsed) codec.parse(body);
        assertThat(parsed.problem()).contains(parts[1]);
        Verdict v = policy().decide(parsed.request(), parsed.problem());
        JsonNode answer = json.readTree(codec.encode(parsed.request().uid(), v)).path("response");
        assertThat(answer.path("uid").asText()).isEqualTo("u1");
        assertThat(answer.path("allowed").asBoolean()).isFalse();
        assertThat(answer.path("status").path("message").asText()).contains(parts[1]);
    }

    @Test
    void deleteNeedsNoObject() {
        byte[] body =
                ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"DELETE\","
                                + "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"namespace\":\"a\",\"name\":\"api\"}}")
                        .getBytes();
        var parsed = (ReviewCodec.Parsed) codec.parse(body);
        assertThat(parsed.problem()).isNull();
        assertThat(policy().decide(parsed.request(), null).allowed()).isTrue();
    }

    @Test
    void aHugeObjectIsJudgedLikeAnyOther() throws Exception {
        StringBuilder env = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            env.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"V")
                    .append(i)
                    .append("\",\"value\":\"")
                    .append("x".repeat(80))
                    .append("\"}");
        }
        String deployment =
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"big\",\"labels\":{\"tenant\":\"a\"}},"
                        + "\"spec\":{\"template\":{\"metadata\":{\"labels\":{}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"env\":["
                        + env + "]}]}}}}";
        byte[] body =
                ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"big\",\"operation\":\"CREATE\","
                                + "\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"namespace\":\"a\",\"object\":"
                                + deployment + "}}")
                        .getBytes();
        assertThat(body.length).isGreaterThan(2_000_000);
        var parsed = (ReviewCodec.Parsed) codec.parse(body);
        Verdict v = policy().decide(parsed.request(), parsed.problem());
        assertThat(v.allowed()).isFalse();
        assertThat(v.message()).contains("metadata.labels.feature is missing");
    }

    @Test
    void warningsAndDenialsAreEncodedAsTheApiServerExpects() throws Exception {
        JsonNode allow = json.readTree(codec.encode("u", new Verdict(true, null, List.of("w1", "w2"))));
        assertThat(allow.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(allow.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(allow.path("response").path("allowed").asBoolean()).isTrue();
        assertThat(allow.path("response").has("status")).isFalse();
        assertThat(allow.path("response").path("warnings")).hasSize(2);
        JsonNode deny = json.readTree(codec.encode("u", Verdict.deny("no \"quotes\" lost\nsecond line")));
        assertThat(deny.path("response").path("status").path("message").asText())
                .isEqualTo("no \"quotes\" lost\nsecond line");
        assertThat(deny.path("response").has("warnings")).isFalse();
    }

    private AdmissionPolicy policy() {
        return AdmissionFixturesTest.policy(
                new StaticCluster(),
                Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC),
                AdmissionNotices.NONE);
    }

    @Test
    void metricsCountMalformedAndDecisions() {
        var registry = new PrometheusRegistry();
        AdmissionMetrics metrics = new AdmissionMetrics(registry);
        assertThat(counter(registry, "costguard_admission_malformed", java.util.Map.of()))
                .as("not exported before the first")
                .isNaN();
        metrics.malformed();
        metrics.malformed();
        metrics.decision("labels", "deny");
        assertThat(counter(registry, "costguard_admission_malformed", java.util.Map.of()))
                .isEqualTo(2.0);
        assertThat(counter(
                        registry,
                        "costguard_admission_decisions",
                        java.util.Map.of("rule", "labels", "result", "deny")))
                .isEqualTo(1.0);
    }

    /** The value of a counter's series with exactly these labels; NaN when the counter or the series is not exported. */
    private static double counter(PrometheusRegistry registry, String name, java.util.Map<String, String> labels) {
        return registry.scrape().stream()
                .filter(s -> s.getMetadata().getName().equals(name))
                .flatMap(s -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) s).getDataPoints().stream())
                .filter(d -> d.getLabels().size() == labels.size()
                        && labels.entrySet().stream()
                                .allMatch(e -> e.getValue().equals(d.getLabels().get(e.getKey()))))
                .mapToDouble(io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot::getValue)
                .findFirst()
                .orElse(Double.NaN);
    }
}

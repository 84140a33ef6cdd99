package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.costguard.testing.TestConfigs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture in policies/fixtures (labels and admission) through the whole decision: AdmissionReview parsed,
 * all built-in rules, answer encoded and read back — the same files the Rego policies are tested with.
 */
class AdmissionFixturesTest {
    static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static Stream<Path> fixtures() throws Exception {
        Path root = Path.of(System.getProperty("costguard.crds.dir", "../crds"))
                .resolveSibling("policies")
                .resolve("fixtures");
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("labels", "admission")) {
            try (Stream<Path> s = Files.list(root.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    /** The policy as the operator builds it (namespace defaults on, as the label fixtures assume). */
    static AdmissionPolicy policy(ClusterState cluster, Clock clock, AdmissionNotices notices) {
        return policy(cluster, clock, notices, new AdmissionMetrics(new PrometheusRegistry()));
    }

    static AdmissionPolicy policy(
            ClusterState cluster, Clock clock, AdmissionNotices notices, AdmissionMetrics metrics) {
        OperatorConfig config = TestConfigs.operator(
                URI.create("http://127.0.0.1:9"), "60s", Map.of("COSTGUARD_LABEL_NAMESPACE_DEFAULTS", "true"));
        AdmissionRules rules = AdmissionRules.from(config);
        return new AdmissionPolicy(
                rules.labels(),
                rules.freeze(),
                Optional.of(rules.preview()),
                new OwnResourceRule(
                        JSON,
                        new BudgetSpecValidator(config.allocationKeys(), java.util.Map.of(), "USD"),
                        config.operatorNamespace(),
                        new io.costguard.bench.BenchSpecValidator(config.bench().allowedImages())),
                Optional.empty(),
                cluster,
                clock,
                metrics,
                notices);
    }

    static byte[] review(JsonNode request) throws Exception {
        ObjectNode r = ((ObjectNode) request.deepCopy());
        if (!r.has("uid")) {
            r.put("uid", "0f7c1d2e-fixture");
        }
        ObjectNode root =
                JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        root.set("request", r);
        return JSON.writeValueAsBytes(root);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decidesAsTheFixtureSays(Path file) throws Exception {
        JsonNode fixture = JSON.readTree(file.toFile());
        Instant now = Instant.parse(fixture.path("now").asText("2026-11-23T10:00:00Z"));
        RecordedNotices notices = new RecordedNotices();
        ReviewCodec codec = new ReviewCodec(JSON);
        ReviewCodec.Parsed parsed = (ReviewCodec.Parsed) codec.parse(review(fixture.path("request")));
        PrometheusRegistry registry = new PrometheusRegistry();
        Verdict v = policy(
                        StaticCluster.from(fixture),
                        Clock.fixed(now, ZoneOffset.UTC),
                        notices,
                        new AdmissionMetrics(registry))
                .decide(parsed.request(), parsed.problem());
        JsonNode answer = JSON.readTree(codec.encode(parsed.request().uid(), v)).path("response");

        String name = fixture.path("name").asText();
        JsonNode expect = fixture.path("expect");
        assertThat(answer.path("uid").asText()).isEqualTo(parsed.request().uid());
        assertThat(answer.path("allowed").asBoolean())
                .as(name + ": " + v)
                .isEqualTo(expect.path("allowed").asBoolean());
        for (JsonNode m : expect.path("messageContains")) {
            assertThat(answer.path("status").path("message").asText()).as(name).contains(m.asText());
        }
        if (!expect.path("allowed").asBoolean()) {
            assertThat(answer.path("status").path("code").asInt()).isEqualTo(403);
        }
        List<String> warnings = new ArrayList<>();
        answer.path("warnings").forEach(w -> warnings.add(w.asText()));
        for (JsonNode w : expect.path("warningsContain")) {
            assertThat(warnings).as(name).anySatisfy(x -> assertThat(x).contains(w.asText()));
        }
        assertThat(!notices.breakGlass.isEmpty())
                .as(name + ": break-glass recorded")
                .isEqualTo(expect.path("breakGlass").asBoolean(false));
        assertThat(OpaClientTest.scrape(registry).contains("costguard_admission_break_glass_total{"))
                .as(name + ": break-glass counted")
                .isEqualTo(expect.path("breakGlass").asBoolean(false));
    }
}

package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.config.OperatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The label rule on the fixtures in policies/fixtures/labels (input → expected decision), shared with the Rego policies. */
class LabelRuleFixturesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final LabelRule.Settings SETTINGS = new LabelRule.Settings(
            OperatorConfig.DEFAULT_ALLOCATION_KEYS,
            Map.of(),
            LabelRule.Mode.Enforce,
            true,
            List.of("kube-system", "costguard-system"));
    final LabelRule rule = new LabelRule(SETTINGS, new Workloads(Workloads.DEFAULT));

    static Stream<Path> fixtures() throws Exception {
        Path dir = Path.of(System.getProperty("costguard.crds.dir", "../crds"))
                .resolveSibling("policies")
                .resolve("fixtures/labels");
        return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }

    static LabelRule.Review review(JsonNode fixture) {
        JsonNode req = fixture.path("request");
        Map<String, String> nsLabels = new HashMap<>();
        fixture.path("namespaceLabels")
                .fields()
                .forEachRemaining(e -> nsLabels.put(e.getKey(), e.getValue().asText()));
        return new LabelRule.Review(
                req.path("operation").asText(),
                req.path("kind").path("group").asText(""),
                req.path("kind").path("kind").asText(),
                req.path("namespace").asText(),
                req.has("object") ? req.get("object") : null,
                req.has("oldObject") ? req.get("oldObject") : null,
                nsLabels);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decidesAsTheFixtureSays(Path file) throws Exception {
        JsonNode fixture = JSON.readTree(file.toFile());
        LabelRule.Decision d = rule.check(review(fixture));
        JsonNode expect = fixture.path("expect");
        assertThat(d.allowed())
                .as(fixture.path("name").asText())
                .isEqualTo(expect.path("allowed").asBoolean());
        for (JsonNode m : expect.path("messageContains")) {
            assertThat(d.message()).contains(m.asText());
        }
        for (JsonNode w : expect.path("warningsContain")) {
            assertThat(d.warnings()).anySatisfy(x -> assertThat(x).contains(w.asText()));
        }
    }

    @Test
    void warnAndAuditModesAdmit() throws Exception {
        JsonNode fixture = JSON.readTree(fixtures()
                .filter(p -> p.toString().contains("missing-template-label"))
                .findFirst()
                .orElseThrow()
                .toFile());
        LabelRule warn = new LabelRule(
                new LabelRule.Settings(
                        SETTINGS.keys(), Map.of(), LabelRule.Mode.Warn, true, SETTINGS.exemptNamespaces()),
                new Workloads(Workloads.DEFAULT));
        LabelRule.Decision w = warn.check(review(fixture));
        assertThat(w.allowed()).isTrue();
        assertThat(w.violation()).isTrue();
        assertThat(w.warnings()).anySatisfy(x -> assertThat(x).contains("team is missing"));
        LabelRule audit = new LabelRule(
                new LabelRule.Settings(
                        SETTINGS.keys(), Map.of(), LabelRule.Mode.Audit, true, SETTINGS.exemptNamespaces()),
                new Workloads(Workloads.DEFAULT));
        LabelRule.Decision a = audit.check(review(fixture));
        assertThat(a.allowed()).isTrue();
        assertThat(a.violation()).isTrue();
        assertThat(a.warnings()).isEmpty();
    }

    @Test
    void aPerKeyPatternReplacesTheDnsLabelCheck() throws Exception {
        LabelRule withPattern = new LabelRule(
                new LabelRule.Settings(
                        SETTINGS.keys(),
                        Map.of("team", java.util.regex.Pattern.compile("^T-[0-9]+$")),
                        LabelRule.Mode.Enforce,
                        false,
                        List.of()),
                new Workloads(Workloads.DEFAULT));
        JsonNode pod = JSON.readTree(
                "{\"metadata\":{\"name\":\"p\",\"labels\":{\"tenant\":\"a\",\"feature\":\"b\",\"team\":\"T-42\",\"environment\":\"prod\"}}}");
        assertThat(withPattern
                        .check(new LabelRule.Review("CREATE", "", "Pod", "ns", pod, null, Map.of()))
                        .allowed())
                .isTrue();
        JsonNode bad = JSON.readTree(
                "{\"metadata\":{\"name\":\"p\",\"labels\":{\"tenant\":\"a\",\"feature\":\"b\",\"team\":\"alpha\",\"environment\":\"prod\"}}}");
        assertThat(withPattern
                        .check(new LabelRule.Review("CREATE", "", "Pod", "ns", bad, null, Map.of()))
                        .message())
                .contains("metadata.labels.team 'alpha' is not a valid value (pattern ^T-[0-9]+$)");
    }
}

package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.costguard.demo.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule (helm/costguard/files/alerts.yaml) as helm renders it: checked by the real
 * {@code promtool check rules} and unit-tested by {@code promtool test rules} over the series fixtures in
 * src/test/resources/alerts/alerts-test.yaml, where every alert both fires and stays silent.
 */
class AlertRulesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> OPERATOR_GROUPS = Set.of("costguard.operator", "costguard.webhook");

    private static Path repo;
    private static Path fixtures;

    @TempDir
    Path dir;

    @BeforeAll
    static void locate() {
        repo = Path.of(System.getProperty("costguard.repo", ".."))
                .toAbsolutePath()
                .normalize();
        fixtures = repo.resolve("e2e/src/test/resources/alerts/alerts-test.yaml");
        assertThat(repo.resolve(".tools/bin/helm"))
                .as("helm: run scripts/install-tools.sh")
                .isExecutable();
    }

    @Test
    void thePrometheusRuleRendersOnlyWhenEnabled() throws Exception {
        assertThat(render(dir.resolve("default")))
                .as("PrometheusRule by default")
                .isEmpty();

        List<JsonNode> rules = render(
                dir.resolve("enabled"),
                "--set",
                "prometheusRule.enabled=true",
                "--set",
                "prometheusRule.labels.release=kube-prometheus-stack",
                "--set",
                "prometheusRule.namespace=monitoring");
        assertThat(rules).hasSize(1);
        JsonNode rule = rules.get(0);
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/metadata/namespace").asText()).isEqualTo("monitoring");
        assertThat(rule.at("/metadata/labels/release").asText())
                .as("the label a ruleSelector matches")
                .isEqualTo("kube-prometheus-stack");
    }

    @Test
    void theServiceMonitorKeepsTheNamespaceLabelTheAlertsRouteOn() throws Exception {
        List<JsonNode> monitors =
                render("ServiceMonitor", dir.resolve("monitor"), "--set", "serviceMonitor.enabled=true");
        assertThat(monitors).hasSize(1);
        assertThat(monitors.get(0).at("/spec/endpoints/0/honorLabels").asBoolean())
                .as("honorLabels: without it a budget's namespace label becomes exported_namespace")
                .isTrue();
    }

    @Test
    void everyAlertHasARunbookASeverityAnOwnerAndBothAFiringAndASilentTest() throws Exception {
        JsonNode spec = enabledSpec();
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : spec.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String alert = rule.path("alert").asText();
                alerts.add(alert);
                assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
                for (String annotation : List.of("summary", "description", "runbook")) {
                    assertThat(rule.at("/annotations/" + annotation).asText())
                            .as("%s annotation %s", alert, annotation)
                            .isNotBlank();
                }
                assertThat(rule.at("/annotations/runbook").asText())
                        .as(alert)
                        .contains("Check:")
                        .contains("Do:");
                if (OPERATOR_GROUPS.contains(group.path("name").asText())) {
                    assertThat(rule.at("/labels/team").asText())
                            .as("%s carries prometheusRule.operatorLabels", alert)
                            .isEqualTo("platform");
                    assertThat(rule.at("/labels/namespace").asText()).as(alert).isEqualTo("costguard-system");
                } else {
                    assertThat(rule.path("expr").asText())
                            .as("%s keeps the namespace of what it concerns", alert)
                            .contains("namespace");
                }
            }
        }
        assertThat(alerts).hasSize(14);

        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (JsonNode test : YAML.readTree(fixtures.toFile()).get("tests")) {
            for (JsonNode check : test.get("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? silent : fires)
                        .add(check.path("alertname").asText());
            }
        }
        assertThat(fires)
                .as("alerts with a firing case in %s", fixtures.getFileName())
                .containsAll(alerts);
        assertThat(silent)
                .as("alerts with a silent case in %s", fixtures.getFileName())
                .containsAll(alerts);
    }

    @Test
    void promtoolChecksTheRulesAndTheirUnitTestsPass() throws Exception {
        JsonNode spec = enabledSpec();
        Path full = dir.resolve("alerts-full.yaml");
        YAML.writeValue(full.toFile(), spec);
        ChildProcess check = promtool("check", "rules", full.toString());
        assertThat(check.exit()).as("promtool check rules:%n%s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 14 rules found");

        ChildProcess test = unitTest(spec);
        assertThat(test.exit()).as("promtool test rules:%n%s", test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void theThresholdsComeFromTheValues() throws Exception {
        JsonNode spec = enabledSpec("--set", "prometheusRule.budget.warningRatio=0.95");

        ChildProcess test = unitTest(spec);
        assertThat(test.exit())
                .as("a budget at 90%% does not reach a 0.95 warning ratio:%n%s", test.output())
                .isNotZero();
        assertThat(test.output()).contains("alertname: CostguardBudgetNearlySpent");
    }

    /**
     * Runs the fixtures against the rules with only their summary annotation: promtool compares annotations
     * exactly, and description and runbook are prose checked above.
     */
    private ChildProcess unitTest(JsonNode spec) throws Exception {
        JsonNode rules = spec.deepCopy();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                ObjectNode annotations = (ObjectNode) rule.get("annotations");
                annotations.retain("summary");
            }
        }
        Path unit = Files.createDirectories(dir.resolve("unit-" + System.nanoTime()));
        YAML.writeValue(unit.resolve("alerts.yaml").toFile(), rules);
        Files.copy(fixtures, unit.resolve("alerts-test.yaml"));
        return promtool("test", "rules", unit.resolve("alerts-test.yaml").toString());
    }

    private JsonNode enabledSpec(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--set", "prometheusRule.enabled=true", "--set", "prometheusRule.operatorLabels.team=platform"));
        args.addAll(List.of(extra));
        List<JsonNode> rules = render(Files.createTempDirectory(dir, "render"), args.toArray(String[]::new));
        assertThat(rules).hasSize(1);
        return rules.get(0).get("spec");
    }

    private List<JsonNode> render(Path out, String... flags) throws Exception {
        return render("PrometheusRule", out, flags);
    }

    /** The objects of a kind {@code helm template costguard} (release namespace costguard-system) renders with the given flags. */
    private List<JsonNode> render(String kind, Path out, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                repo.resolve(".tools/bin/helm").toString(),
                "template",
                "costguard",
                "helm/costguard",
                "--namespace",
                "costguard-system",
                "--output-dir",
                out.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile());
        builder.environment().put("HELM_CACHE_HOME", dir.resolve("helm-cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", dir.resolve("helm-config").toString());
        builder.environment().put("HELM_DATA_HOME", dir.resolve("helm-data").toString());
        ChildProcess helm = ChildProcess.run(builder, TIMEOUT);
        assertThat(helm.exit()).as("helm template:%n%s", helm.output()).isZero();
        List<JsonNode> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        for (Path file : files) {
            try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                for (JsonNode doc : docs.readAll()) {
                    if (doc != null && kind.equals(doc.path("kind").asText())) {
                        found.add(doc);
                    }
                }
            }
        }
        return found;
    }

    private ChildProcess promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PrometheusProcess.binary("promtool")));
        command.addAll(List.of(args));
        return ChildProcess.run(new ProcessBuilder(command).directory(dir.toFile()), TIMEOUT);
    }
}

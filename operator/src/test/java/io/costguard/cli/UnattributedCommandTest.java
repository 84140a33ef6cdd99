package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.ScriptedPrometheus.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnattributedCommandTest {
    ScriptedPrometheus prometheus;

    @BeforeEach
    void start() throws Exception {
        prometheus = new ScriptedPrometheus()
                .instant(
                        "costguard_unattributed_cost",
                        () -> List.of(
                                new Sample(Map.of("namespace", "shop"), 0.125),
                                new Sample(Map.of("namespace", "platform"), 1.5)));
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    @Test
    void tableByNamespaceWithTotalFromTheOperatorMetric() {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("unattributed", "--prometheus-url", prometheus.url().toString()))
                .isZero();
        assertThat(cli.out.toString()).isEqualTo("""
        NAMESPACE   UNATTRIBUTED/HOUR
        platform    1.5000
        shop        0.1250
        TOTAL       1.6250
        """);
        assertThat(prometheus.queries()).containsExactly("max by (namespace) (costguard_unattributed_cost)");
    }

    @Test
    void jsonYamlAndNamespaceFilter() throws Exception {
        CliRunner json = new CliRunner();
        assertThat(json.run("unattributed", "--prometheus-url", prometheus.url().toString(), "-o", "json"))
                .isZero();
        JsonNode rows = new ObjectMapper().readTree(json.out.toString());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("namespace").asText()).isEqualTo("platform");
        assertThat(rows.get(0).get("cost").asDouble()).isEqualTo(1.5);
        prometheus.clear();
        prometheus.instant("namespace=\"shop\"", () -> List.of(new Sample(Map.of("namespace", "shop"), 0.125)));
        CliRunner yaml = new CliRunner();
        assertThat(yaml.run(
                        "unattributed", "--prometheus-url", prometheus.url().toString(), "-n", "shop", "-o", "yaml"))
                .isZero();
        assertThat(new ObjectMapper(new YAMLFactory())
                        .readTree(yaml.out.toString())
                        .get(0)
                        .get("cost")
                        .asDouble())
                .isEqualTo(0.125);
        assertThat(prometheus.queries())
                .last()
                .isEqualTo("max by (namespace) (costguard_unattributed_cost{namespace=\"shop\"})");
    }

    @Test
    void noSeriesIsSaidNotShownAsZero() {
        prometheus.clear();
        CliRunner cli = new CliRunner();
        assertThat(cli.run("unattributed", "--prometheus-url", prometheus.url().toString()))
                .isEqualTo(1);
        assertThat(cli.err.toString())
                .contains("has no costguard_unattributed_cost series")
                .contains("not finished a cost cycle");
        assertThat(cli.out.toString()).isEmpty();
    }

    @Test
    void prometheusDownIsOneLineExit2() {
        prometheus.down(true);
        CliRunner cli = new CliRunner();
        assertThat(cli.run("unattributed", "--prometheus-url", prometheus.url().toString()))
                .isEqualTo(2);
        assertThat(cli.err.toString().strip())
                .startsWith("costguard unattributed: cannot read costguard_unattributed_cost from")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }
}

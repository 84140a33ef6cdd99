package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.ScriptedPrometheus.Sample;
import io.costguard.testing.StubPrometheus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * costguard report against stand-in Prometheus servers: per hour alpha 1, beta 0.5, the shared monitoring namespace
 * 3.5 (split Weighted: alpha 7/3, beta 7/6) and unlabelled pods 0.25, over the 24 hours of 2026-11-01.
 */
class ReportCommandTest {
    @TempDir
    Path dir;

    StubPrometheus cluster() throws Exception {
        return new StubPrometheus()
                .costSeries(1.0, "team-a", "alpha", "search", "a", "prod")
                .costSeries(0.5, "team-a", "beta", "search", "a", "prod")
                .costSeries(3.5, "monitoring", "platform", "observability", "sre", "prod")
                .costSeries(0.25, "team-a", "", "search", "a", "prod");
    }

    Path config() throws Exception {
        return Files.writeString(
                dir.resolve("costguard.yaml"),
                "attribution:\n  shared:\n    - name: monitoring\n      namespaces: [monitoring]\n");
    }

    /** The arguments of {@code costguard report} against {@code prometheus} with {@link #config()}, then {@code more}. */
    String[] withConfig(StubPrometheus prometheus, String... more) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("report", "--prometheus-url", prometheus.url().toString(), "--config", config().toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void theTableSplitsSharedCostAndAddsUpToTheClusterTotal() throws Exception {
        try (StubPrometheus prometheus = cluster()) {
            CliRunner cli = new CliRunner();
            assertThat(cli.run(withConfig(prometheus, "--from", "2026-11-01", "--to", "2026-11-02")))
                    .as(cli.err.toString())
                    .isZero();
            assertThat(cli.out.toString())
                    .contains(
                            "TENANT                DIRECT        SHARED          IDLE         TOTAL",
                            "alpha                  24.00         56.00          0.00         80.00",
                            "beta                   12.00         28.00          0.00         40.00",
                            "(unattributed)          6.00                                      6.00",
                            "CLUSTER TOTAL                                                   126.00",
                            "difference 0.00 (0.000%)");
            assertThat(cli.out.toString()).doesNotContain("platform");
        }
    }

    @Test
    void jsonAndCsvCarryTheSameFigures() throws Exception {
        try (StubPrometheus prometheus = cluster()) {
            CliRunner json = new CliRunner();
            assertThat(json.run(withConfig(
                            prometheus,
                            "--from",
                            "2026-11-01T00:00:00Z",
                            "--to",
                            "2026-11-02T00:00:00Z",
                            "--by",
                            "tenant,team",
                            "-o",
                            "json")))
                    .as(json.err.toString())
                    .isZero();
            JsonNode report = new ObjectMapper().readTree(json.out.toString());
            assertThat(report.path("rows").get(0).path("values").toString()).isEqualTo("[\"alpha\",\"a\"]");
            assertThat(report.path("rows").get(0).path("shared").asDouble()).isCloseTo(56, within(1e-3));
            assertThat(report.path("clusterTotal").asDouble()).isCloseTo(126, within(1e-3));
            assertThat(report.path("total").asDouble()).isCloseTo(126, within(1e-3));
            CliRunner csv = new CliRunner();
            assertThat(csv.run(withConfig(prometheus, "--from", "2026-11-01", "--to", "2026-11-02", "-o", "csv")))
                    .isZero();
            assertThat(csv.out.toString())
                    .startsWith("tenant,direct,shared,idle,total,currency\nalpha,24.00,56.00,0.00,80.00,USD\n")
                    .contains("unattributed,6.00,0.00,0.00,6.00,USD\n");
        }
    }

    @Test
    void badInputIsNamedWithoutAStackTrace() throws Exception {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("report", "--from", "2026-11-01", "--to", "2026-11-01T00:30:00Z"))
                .isEqualTo(2);
        assertThat(cli.err.toString()).contains("--to 2026-11-01T00:30:00Z must be on a whole hour");
        CliRunner by = new CliRunner();
        assertThat(by.run("report", "--from", "2026-11-01", "--to", "2026-11-02", "--by", "owner"))
                .isEqualTo(2);
        assertThat(by.err.toString())
                .contains("--by owner is not an allocation key")
                .doesNotContain("Exception");
    }

    @Test
    void theUnattributedListNamesWorkloadsAndTheirMissingLabelsMostExpensiveFirst() throws Exception {
        try (ScriptedPrometheus prometheus = new ScriptedPrometheus()
                .instant(
                        "kube_pod_owner",
                        () -> List.of(
                                new Sample(
                                        Map.of(
                                                "namespace",
                                                "shop",
                                                "owner_kind",
                                                "ReplicaSet",
                                                "owner_name",
                                                "cart-7d9",
                                                "label_tenant",
                                                "alpha",
                                                "label_feature",
                                                "cart",
                                                "label_team",
                                                "web"),
                                        2.0),
                                new Sample(
                                        Map.of("namespace", "shop", "owner_kind", "Job", "owner_name", "nightly"), 3.0),
                                new Sample(
                                        Map.of(
                                                "namespace",
                                                "shop",
                                                "owner_kind",
                                                "ReplicaSet",
                                                "owner_name",
                                                "tagged",
                                                "label_tenant",
                                                "alpha",
                                                "label_feature",
                                                "cart",
                                                "label_team",
                                                "web",
                                                "label_environment",
                                                "prod"),
                                        9.0)))) {
            CliRunner cli = new CliRunner();
            assertThat(cli.run(
                            "report",
                            "--unattributed",
                            "--prometheus-url",
                            prometheus.url().toString(),
                            "--from",
                            "2026-11-01",
                            "--to",
                            "2026-11-03",
                            "-o",
                            "csv"))
                    .as(cli.err.toString())
                    .isZero();
            // two days, one query each, both answering the same figures
            assertThat(cli.out.toString())
                    .isEqualTo("namespace,ownerKind,ownerName,missingLabels,cost,currency\n"
                            + "shop,Job,nightly,\"tenant,feature,team,environment\",6.00,USD\n"
                            + "shop,ReplicaSet,cart-7d9,environment,4.00,USD\n");
            assertThat(prometheus.queries())
                    .hasSize(2)
                    .allSatisfy(q -> assertThat(q).contains("[23h59m55s:5m]").contains("kube_pod_owner"));
        }
    }
}

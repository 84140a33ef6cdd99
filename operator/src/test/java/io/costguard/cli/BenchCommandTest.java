package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.BenchComparison;
import io.costguard.api.BenchResults;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunSpec;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.BenchVerdict;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class BenchCommandTest {
    KubernetesClient client;

    @TempDir
    Path dir;

    Path kubeconfig;

    @BeforeEach
    void kubeconfig() throws Exception {
        kubeconfig = Files.writeString(
                dir.resolve("kubeconfig"),
                "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n    server: "
                        + client.getMasterUrl()
                        + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: m\n  context:\n    cluster: m\n    user: u\n"
                        + "    namespace: team-alpha\ncurrent-context: m\nusers:\n- name: u\n  user:\n    token: t\n");
    }

    BenchRun run(String name, String phase, String verdict, List<String> reasons) {
        BenchRun r = new BenchRun();
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .withNamespace("team-alpha")
                .build());
        r.setSpec(Serialization.unmarshal("""
        target: {url: "http://expense-api:8080/expense", workload: {kind: Deployment, name: expense-api}}
        load: {script: {inline: x}, rate: 100, duration: 30m, warmup: 5m}
        thresholds: {latencyP95: 300ms, errorRatio: "0.002", maxCostPer1kRequests: "0.12"}
        baselineRef: expense-api
        """, BenchRunSpec.class));
        BenchRunStatus s = new BenchRunStatus();
        s.phase = phase;
        s.jobName = name + "-k6";
        if (verdict != null) {
            s.startTime = "2026-11-20T10:00:00Z";
            s.completionTime = "2026-11-20T10:30:00Z";
            s.results = new BenchResults();
            s.results.requests = 150000L;
            s.results.throughput = "100";
            s.results.latencyP50 = "85ms";
            s.results.latencyP95 = "210ms";
            s.results.latencyP99 = "260ms";
            s.results.errorRatio = "0.0008";
            s.results.costUSD = "9.3";
            s.results.costPer1kRequests = "0.062";
            BenchComparison c = new BenchComparison();
            c.metric = "latencyP95";
            c.baseline = "200ms";
            c.current = "210ms";
            c.changePercent = 5.0;
            c.verdict = "Pass";
            s.comparison = List.of(c);
            s.verdict = new BenchVerdict(verdict, reasons);
        } else {
            s.conditions = List.of(new ConditionBuilder()
                    .withType("Complete")
                    .withStatus("False")
                    .withReason("Running")
                    .withMessage("k6 is loading Deployment expense-api")
                    .build());
        }
        r.setStatus(s);
        return client.resources(BenchRun.class).resource(r).create();
    }

    @Test
    void aPassPrintsTheTableAndExitsZero() {
        run("expense-api-20261120", "Passed", "Pass", List.of());
        CliRunner cli = new CliRunner();
        assertThat(cli.run("bench", "report", "expense-api-20261120", "--kubeconfig", kubeconfig.toString()))
                .as(cli.err.toString())
                .isZero();
        String out = cli.out.toString();
        assertThat(out)
                .contains("BenchRun team-alpha/expense-api-20261120   target Deployment expense-api   phase Passed")
                .contains(
                        "load     constant-arrival-rate, 100/s for 30m (first 5m discarded)   job expense-api-20261120-k6")
                .contains("window   2026-11-20T10:00:00Z .. 2026-11-20T10:30:00Z")
                .contains("VERDICT: Pass");
        assertThat(out.lines()
                        .filter(l -> l.startsWith("latency p95"))
                        .findFirst()
                        .orElseThrow())
                .matches("latency p95 +210ms +300ms +200ms +\\+5.0 % +Pass");
        assertThat(out.lines()
                        .filter(l -> l.startsWith("cost per 1k requests"))
                        .findFirst()
                        .orElseThrow())
                .matches("cost per 1k requests +0.062 +0.12");
    }

    @Test
    void aFailListsEveryReasonAndExitsOne() {
        run(
                "r2",
                "Failed",
                "Fail",
                List.of(
                        "latencyP95 350ms is above spec.thresholds.latencyP95 300ms",
                        "k6's own thresholds failed: checks rate>0.99"));
        CliRunner cli = new CliRunner();
        assertThat(cli.run("bench", "report", "r2", "-n", "team-alpha", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(1);
        CliRunner json = new CliRunner();
        assertThat(json.run("bench", "report", "r2", "-o", "json", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(1);
        assertThat(json.out.toString())
                .contains("\"namespace\" : \"team-alpha\"")
                .contains("\"phase\" : \"Failed\"")
                .contains("latencyP95 350ms is above spec.thresholds.latencyP95 300ms")
                .doesNotContain("VERDICT");
        assertThat(cli.out.toString())
                .contains("VERDICT: Fail\n  - latencyP95 350ms is above spec.thresholds.latencyP95 300ms\n"
                        + "  - k6's own thresholds failed: checks rate>0.99\n");
    }

    @Test
    void anUnfinishedRunSaysWhereItIsAndExitsThree() {
        run("r3", "Running", null, List.of());
        CliRunner cli = new CliRunner();
        assertThat(cli.run("bench", "report", "r3", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(3);
        assertThat(cli.out.toString())
                .contains("Running: k6 is loading Deployment expense-api")
                .contains("VERDICT: none yet (phase Running)");
    }

    @Test
    void waitBlocksUntilTheRunFinishes() throws Exception {
        run("r4", "Running", null, List.of());
        Thread finisher = new Thread(() -> {
            try {
                Thread.sleep(1500);
                BenchRun r = client.resources(BenchRun.class)
                        .inNamespace("team-alpha")
                        .withName("r4")
                        .get();
                r.getStatus().phase = "Failed";
                r.getStatus().verdict = new BenchVerdict("Fail", List.of("no requests completed"));
                client.resources(BenchRun.class).resource(r).update();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        finisher.start();
        CliRunner cli = new CliRunner();
        assertThat(cli.run("bench", "report", "r4", "--wait", "1m", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(1);
        assertThat(cli.out.toString()).contains("  - no requests completed");
        finisher.join();
    }

    @Test
    void waitAlsoWaitsForARunNotCreatedYet() throws Exception {
        Thread creator = new Thread(() -> {
            try {
                Thread.sleep(1500);
                run("r5", "Passed", "Pass", List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        creator.start();
        CliRunner cli = new CliRunner();
        assertThat(cli.run("bench", "report", "r5", "--wait", "1m", "--kubeconfig", kubeconfig.toString()))
                .as(cli.err.toString())
                .isZero();
        assertThat(cli.out.toString()).contains("VERDICT: Pass");
        creator.join();
        CliRunner never = new CliRunner();
        assertThat(never.run("bench", "report", "nope", "--wait", "2s", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(2);
        assertThat(never.err.toString()).contains("BenchRun nope not found in namespace team-alpha within 2s");
    }

    @Test
    void problemsExitTwoWithAMessage() {
        CliRunner missing = new CliRunner();
        assertThat(missing.run("bench", "report", "nope", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(2);
        assertThat(missing.err.toString()).contains("BenchRun nope not found in namespace team-alpha");
        CliRunner badWait = new CliRunner();
        assertThat(badWait.run("bench", "report", "x", "--wait", "soon", "--kubeconfig", kubeconfig.toString()))
                .isEqualTo(2);
        assertThat(badWait.err.toString()).contains("--wait 'soon' is not a duration");
    }
}

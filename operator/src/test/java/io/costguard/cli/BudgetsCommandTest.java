package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.CostBudgetStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class BudgetsCommandTest {
    KubernetesClient client;

    @TempDir
    Path dir;

    Path kubeconfig;

    @BeforeEach
    void budgets() throws Exception {
        budget("team-a", "web", "500", "Warning", "Ready", "True", "ThresholdCrossed", "spent 80% of 500 USD");
        budget(
                "team-b",
                "batch",
                "100",
                "Unknown",
                "DataAvailable",
                "False",
                "PrometheusUnreachable",
                "no answer from Prometheus");
        kubeconfig = kubeconfig(client.getMasterUrl().toString(), "team-a");
    }

    @Test
    void tableOfTheContextNamespaceWithWhy() {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("budgets", "--kubeconfig", kubeconfig.toString())).isZero();
        String table = cli.out.toString();
        assertThat(table.lines().findFirst().orElseThrow())
                .startsWith("NAMESPACE")
                .contains("SPENT", "BUDGET", "USED", "FORECAST", "STATE", "AGE")
                .endsWith("WHY");
        assertThat(table)
                .contains("team-a")
                .contains("web")
                .contains("Warning")
                .contains("ThresholdCrossed")
                .doesNotContain("batch");
    }

    @Test
    void namespaceAndAllNamespaces() {
        CliRunner one = new CliRunner();
        assertThat(one.run("budgets", "--kubeconfig", kubeconfig.toString(), "-n", "team-b"))
                .isZero();
        assertThat(one.out.toString())
                .contains("batch")
                .contains("PrometheusUnreachable")
                .doesNotContain("web");
        CliRunner all = new CliRunner();
        assertThat(all.run("budgets", "--kubeconfig", kubeconfig.toString(), "-A"))
                .isZero();
        assertThat(all.out.toString()).contains("batch").contains("web");
        CliRunner none = new CliRunner();
        assertThat(none.run("budgets", "--kubeconfig", kubeconfig.toString(), "-n", "empty"))
                .isZero();
        assertThat(none.out.toString()).contains("No CostBudgets found in namespace empty.");
    }

    @Test
    void jsonAndYamlUseTheStatusFieldNames() throws Exception {
        CliRunner json = new CliRunner();
        assertThat(json.run("budgets", "--kubeconfig", kubeconfig.toString(), "-A", "-o", "json"))
                .isZero();
        JsonNode list = new ObjectMapper().readTree(json.out.toString());
        assertThat(list).hasSize(2);
        JsonNode web = list.get(0);
        assertThat(web.get("namespace").asText()).isEqualTo("team-a");
        assertThat(web.get("name").asText()).isEqualTo("web");
        assertThat(web.get("spent").asText()).isEqualTo("400.00");
        assertThat(web.get("amount").asText()).isEqualTo("500");
        assertThat(web.get("currency").asText()).isEqualTo("USD");
        assertThat(web.get("usedPercent").asInt()).isEqualTo(80);
        assertThat(web.get("forecast").asText()).isEqualTo("520.00");
        assertThat(web.get("state").asText()).isEqualTo("Warning");
        assertThat(web.get("reason").asText()).isEqualTo("ThresholdCrossed");
        assertThat(web.get("message").asText()).isEqualTo("spent 80% of 500 USD");
        CliRunner yaml = new CliRunner();
        assertThat(yaml.run("budgets", "--kubeconfig", kubeconfig.toString(), "-n", "team-b", "-o", "yaml"))
                .isZero();
        JsonNode batch = new ObjectMapper(new YAMLFactory())
                .readTree(yaml.out.toString())
                .get(0);
        assertThat(batch.get("name").asText()).isEqualTo("batch");
        assertThat(batch.get("state").asText()).isEqualTo("Unknown");
        assertThat(batch.get("reason").asText()).isEqualTo("PrometheusUnreachable");
        assertThat(batch.get("message").asText()).isEqualTo("no answer from Prometheus");
    }

    @Test
    void unreachableApiOrBadKubeconfigIsOneLineAndExit2() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRunner down = new CliRunner();
        assertThat(down.run(
                        "budgets",
                        "--kubeconfig",
                        kubeconfig("https://127.0.0.1:" + port, null).toString()))
                .isEqualTo(2);
        assertThat(down.err.toString().strip())
                .startsWith("costguard budgets: cannot list CostBudgets from https://127.0.0.1:" + port)
                .contains("unreachable")
                .doesNotContain("\n")
                .doesNotContain("Exception");
        CliRunner missing = new CliRunner();
        assertThat(missing.run("budgets", "--kubeconfig", dir.resolve("nope").toString()))
                .isEqualTo(2);
        assertThat(missing.err.toString().strip())
                .startsWith("costguard budgets: cannot read the kubeconfig")
                .doesNotContain("\n");
        CliRunner context = new CliRunner();
        assertThat(context.run("budgets", "--kubeconfig", kubeconfig.toString(), "--context", "other"))
                .isEqualTo(2);
        assertThat(context.err.toString()).contains("--context other: no such context");
    }

    private void budget(
            String ns,
            String name,
            String amount,
            String state,
            String type,
            String status,
            String reason,
            String message) {
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
        CostBudgetSpec spec = new CostBudgetSpec();
        spec.amount = amount;
        spec.currency = "USD";
        b.setSpec(spec);
        CostBudgetStatus s = new CostBudgetStatus();
        s.state = state;
        if (state.equals("Warning")) {
            s.spent = "400.00";
            s.usedPercent = 80;
            s.used = "80%";
            s.forecast = "520.00";
        }
        s.conditions.add(new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .build());
        b.setStatus(s);
        client.resources(CostBudget.class).inNamespace(ns).resource(b).create();
    }

    private Path kubeconfig(String server, String namespace) throws Exception {
        return Files.writeString(
                Files.createTempFile(dir, "kubeconfig", ""),
                "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n    server: "
                        + server
                        + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: m\n  context:\n    cluster: m\n    user: u\n"
                        + (namespace == null ? "" : "    namespace: " + namespace + "\n")
                        + "current-context: m\nusers:\n- name: u\n  user:\n    token: t\n");
    }
}

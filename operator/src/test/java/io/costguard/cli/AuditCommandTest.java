package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class AuditCommandTest {
    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void listsWhatEnforceWouldDenyPerNamespace() throws Exception {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("team-a")
                        .endMetadata()
                        .build())
                .create();
        deploy("team-a", "good", Map.of("tenant", "a", "feature", "f", "team", "t", "environment", "prod"));
        deploy("team-a", "bad", Map.of("tenant", "a"));
        Path kubeconfig = Files.writeString(
                dir.resolve("kubeconfig"),
                "apiVersion: v1\nkind: Config\nclusters:\n- name: m\n  cluster:\n    server: "
                        + client.getMasterUrl()
                        + "\n    insecure-skip-tls-verify: true\ncontexts:\n- name: m\n  context:\n    cluster: m\n    user: u\n"
                        + "current-context: m\nusers:\n- name: u\n  user:\n    token: t\n");
        CliRunner cli = new CliRunner();
        assertThat(cli.run("audit", "--kubeconfig", kubeconfig.toString(), "--fail"))
                .isEqualTo(1);
        assertThat(cli.out.toString())
                .contains("NAMESPACE")
                .contains("team-a      Deployment   bad ")
                .contains("metadata.labels.feature is missing")
                .doesNotContain(" good ")
                .contains("team-a: 1 workload(s) would be denied under Enforce");
        CliRunner quiet = new CliRunner();
        assertThat(quiet.run("audit", "--kubeconfig", kubeconfig.toString(), "-n", "other"))
                .isZero();
        assertThat(quiet.out.toString()).contains("every audited workload carries valid");
        CliRunner json = new CliRunner();
        assertThat(json.run("audit", "--kubeconfig", kubeconfig.toString(), "-A", "-o", "json", "--fail"))
                .isEqualTo(1);
        var findings = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out.toString());
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).get("namespace").asText()).isEqualTo("team-a");
        assertThat(findings.get(0).get("kind").asText()).isEqualTo("Deployment");
        assertThat(findings.get(0).get("name").asText()).isEqualTo("bad");
        assertThat(findings.get(0).get("problems").toString()).contains("metadata.labels.feature is missing");
        CliRunner otherContext = new CliRunner();
        assertThat(otherContext.run("audit", "--kubeconfig", kubeconfig.toString(), "--context", "nope"))
                .isEqualTo(2);
        assertThat(otherContext.err.toString()).contains("--context nope: no such context");
        CliRunner missing = new CliRunner();
        assertThat(missing.run("audit", "--kubeconfig", dir.resolve("nope").toString()))
                .isEqualTo(2);
        assertThat(missing.err.toString())
                .contains("costguard audit: cannot read the kubeconfig")
                .contains("no such file");
    }

    private void deploy(String ns, String name, Map<String, String> labels) {
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewMetadata()
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("i")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }
}

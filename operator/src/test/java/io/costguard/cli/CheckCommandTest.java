package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    final CliRunner cli = new CliRunner();
    final java.io.StringWriter out = cli.out;
    final java.io.StringWriter err = cli.err;

    int run(String... args) {
        return cli.run(args);
    }

    static final String GOOD = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        namespace: team-alpha
        labels: {tenant: alpha, feature: search, team: alpha, environment: prod}
      spec:
        template:
          metadata:
            labels: {tenant: alpha, feature: search, team: alpha, environment: prod}
      """;

    @Test
    void deniesWhatTheWebhookWouldDenyAndSaysWhy() throws Exception {
        Path f = Files.writeString(dir.resolve("all.yaml"), GOOD + """
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: sandbox
          labels: {costguard.io/exempt: "true"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: scratch, namespace: sandbox}
        spec: {template: {metadata: {}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: numbers
          namespace: team-alpha
          labels: {tenant: alpha, feature: search, team: 7, environment: prod}
        spec:
          template:
            metadata:
              labels: {tenant: alpha, feature: search, team: "7", environment: prod}
        ---
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: team-alpha}
        """);
        assertThat(run("check", "-f", f.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains("DENY " + f + " (document 4) Deployment team-alpha/numbers: ")
                .contains("metadata.labels.team is 7, not a string: quote it")
                .contains("DENY " + f + " (document 5) Pod team-alpha/debug: ")
                .contains("metadata.labels.tenant is missing")
                .doesNotContain("scratch")
                .contains("5 documents checked, 2 denied");
    }

    @Test
    void aCleanDirectoryPasses() throws Exception {
        Files.createDirectories(dir.resolve("k8s"));
        Files.writeString(dir.resolve("k8s/api.yaml"), GOOD);
        assertThat(run("check", "-f", dir.resolve("k8s").toString())).isZero();
        assertThat(out.toString()).contains("1 documents checked, 0 denied");
    }

    @Test
    void unreadableInputIsExitTwoWithOneLine() throws Exception {
        assertThat(run("check", "-f", dir.resolve("nope.yaml").toString())).isEqualTo(2);
        assertThat(err.toString().strip()).endsWith("nope.yaml: no such file or directory");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "kind: [unclosed\n");
        assertThat(run("check", "-f", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not YAML or JSON");
    }

    @Test
    void jsonListsEveryDocumentWithItsDecisionAndKeepsTheExitCode() throws Exception {
        Path f = Files.writeString(dir.resolve("two.yaml"), GOOD + """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: bare, namespace: team-alpha}
        spec: {template: {metadata: {}}}
        """);
        assertThat(run("check", "-f", f.toString(), "-o", "json")).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode json =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(json.path("checked").asInt()).isEqualTo(2);
        assertThat(json.path("denied").asInt()).isEqualTo(1);
        assertThat(json.path("results").get(0).path("decision").asText()).isEqualTo("Allow");
        assertThat(json.path("results").get(0).has("message")).isFalse();
        com.fasterxml.jackson.databind.JsonNode deny = json.path("results").get(1);
        assertThat(deny.path("decision").asText()).isEqualTo("Deny");
        assertThat(deny.path("name").asText()).isEqualTo("bare");
        assertThat(deny.path("namespace").asText()).isEqualTo("team-alpha");
        assertThat(deny.path("kind").asText()).isEqualTo("Deployment");
        assertThat(deny.path("document").asInt()).isEqualTo(2);
        assertThat(deny.path("message").asText()).contains("tenant");
        assertThat(out.toString()).doesNotContain("DENY ");

        cli.out.getBuffer().setLength(0);
        assertThat(run("check", "-f", dir.resolve("two.yaml").toString(), "-o", "yaml"))
                .isEqualTo(1);
        assertThat(out.toString()).contains("checked: 2", "decision: \"Deny\"");
    }
}

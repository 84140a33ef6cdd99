package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.config.OperatorConfig;
import io.costguard.kube.OperatorClient;
import io.costguard.testing.TestConfigs;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failure to start is one line on stderr and a non-zero exit, never a stack trace. */
@EnableKubernetesMockClient(crud = true)
class OperatorCommandTest {
    KubernetesClient client;
    KubernetesMockServer server;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private List<String> lines() {
        return err.toString(StandardCharsets.UTF_8).strip().lines().toList();
    }

    private KubernetesClient fresh() {
        return OperatorClient.build(new ConfigBuilder(client.getConfiguration()).build());
    }

    @Test
    void aLeaseTheOperatorMayNotUseIsOneLine() throws Exception {
        // the API says the operator may read ConfigMaps and nothing else: JOSDK's Lease access check fails
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,"
                                + "\"resourceRules\":[{\"verbs\":[\"get\"],\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"]}],\"nonResourceRules\":[]}}")
                .always();
        OperatorConfig config = TestConfigs.operator(
                URI.create("http://127.0.0.1:9"), "60s", Map.of("COSTGUARD_LEADER_ELECTION", "true"));
        int exit = OperatorCommand.run(config, fresh(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(OperatorCommand.CANNOT_START);
        assertThat(lines())
                .singleElement()
                .satisfies(l ->
                        assertThat(l).startsWith("costguard: cannot start: ").containsIgnoringCase("lease"));
    }

    @Test
    void aPortInUseIsOneLineNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            OperatorConfig config = TestConfigs.operator(
                    URI.create("http://127.0.0.1:9"),
                    "60s",
                    Map.of("COSTGUARD_HTTP_PORT", Integer.toString(taken.getLocalPort())));
            int exit = OperatorCommand.run(config, fresh(), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).isEqualTo(OperatorCommand.CANNOT_START);
            assertThat(lines())
                    .containsExactly("costguard: cannot start: a port is in use: http.port " + taken.getLocalPort()
                            + " (Address already in use)");
        }
    }

    @Test
    void anUnreachableApiServerIsOneLineNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        KubernetesClient dead = OperatorClient.build(new ConfigBuilder()
                .withMasterUrl("https://user:s3cret@127.0.0.1:" + port)
                .withRequestRetryBackoffLimit(0)
                .build());
        OperatorConfig config = TestConfigs.operator(URI.create("http://127.0.0.1:9"), "60s", Map.of());
        int exit = OperatorCommand.run(config, dead, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(OperatorCommand.CANNOT_START);
        assertThat(lines())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("costguard: cannot start: cannot reach the Kubernetes API at https://")
                        .contains("127.0.0.1:" + port)
                        .doesNotContain("s3cret"));
    }
}

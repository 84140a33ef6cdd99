package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.demo.LocalKubernetes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad setting stops the jar at start with one line naming it, not a stack trace. */
class StartupIT {

    @ParameterizedTest
    @CsvSource({
        "COSTGUARD_PROMETHEUS_URL, prometheus:9090, prometheus.url",
        "COSTGUARD_EVALUATION_INTERVAL, 1 minute, evaluationInterval",
        "COSTGUARD_PRICE_CPU_CORE_HOUR, -1, pricing.cpuCoreHour",
        "COSTGUARD_COST_SOURCE, kubecost, cost.source",
        "COSTGUARD_PROMETHEUS_CA_FILE, /nonexistent/ca.pem, prometheus.caFile"
    })
    void aBadSettingIsOneLineNamingIt(String env, String value, String setting) throws Exception {
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "operator")
                .redirectErrorStream(true);
        pb.environment().putAll(Map.of(env, value));
        ChildProcess p = ChildProcess.run(pb, Duration.ofSeconds(60));
        assertThat(p.exit()).isEqualTo(2);
        List<String> lines = p.output().strip().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith("costguard: invalid setting " + setting)
                .contains(env);
    }

    @Test
    void anUnreachableApiServerIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(
                dir.resolve("kubeconfig"),
                "apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n"
                        + "    server: http://127.0.0.1:" + port
                        + "\ncontexts:\n- name: x\n  context:\n    cluster: x\n    user: u\ncurrent-context: x\n"
                        + "users:\n- name: u\n  user:\n    token: t\n");
        ChildProcess p = operator(Map.of(
                "KUBECONFIG", kubeconfig.toString(), "COSTGUARD_HTTP_PORT", "0", "COSTGUARD_LEADER_ELECTION", "true"));
        assertThat(p.exit()).isEqualTo(1);
        assertThat(p.output().strip().lines().toList())
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .startsWith("costguard: cannot start: cannot reach the Kubernetes API at http://127.0.0.1:"
                                + port));
    }

    @Test
    void aPortInUseIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        try (LocalKubernetes kube = new LocalKubernetes().start();
                ServerSocket taken = new ServerSocket(0)) {
            Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), "default");
            ChildProcess p = operator(Map.of(
                    "KUBECONFIG",
                    kubeconfig.toString(),
                    "COSTGUARD_HTTP_PORT",
                    Integer.toString(taken.getLocalPort())));
            assertThat(p.exit()).isEqualTo(1);
            assertThat(p.output().strip().lines().toList())
                    .containsExactly("costguard: cannot start: a port is in use: http.port " + taken.getLocalPort()
                            + " (Address already in use)");
        }
    }

    private static ChildProcess operator(Map<String, String> env) throws Exception {
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "operator")
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        return ChildProcess.run(pb, Duration.ofSeconds(90));
    }
}

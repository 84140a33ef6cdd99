package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.kube.Conflicts;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas of the jar with leader election: one leads, the other takes over when it stops. */
class LeaderElectionIT {
    @TempDir
    Path work;

    PrometheusProcess prometheus;
    LocalKubernetes kube;
    KubernetesClient client;
    OperatorProcess a;
    OperatorProcess b;

    @AfterEach
    void stop() throws Exception {
        for (OperatorProcess p : new OperatorProcess[] {a, b}) {
            if (p != null) {
                System.out.println("---- operator log ----\n" + p.log());
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, client, kube, prometheus}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void oneReplicaLeadsAndTheOtherTakesOver() throws Exception {
        DailyBudgetCluster cluster = new DailyBudgetCluster(work);
        prometheus = cluster.prometheus;
        kube = cluster.kube;
        client = cluster.client;
        Path kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));

        int metricsA = OperatorIT.freePort();
        int metricsB = OperatorIT.freePort();
        a = OperatorProcess.start(jar, env(kubeconfig, "replica-a", metricsA), work.resolve("a.log"));
        await().atMost(Waits.STARTED).until(() -> state("daily") != null);
        assertThat(holder()).isEqualTo("replica-a");
        await().atMost(Waits.CYCLES)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(AdmissionIT.metrics(metricsA))
                        .contains("costguard_leader 1.0")
                        .contains("costguard_cost_data_available 1.0"));

        b = OperatorProcess.start(jar, env(kubeconfig, "replica-b", metricsB), work.resolve("b.log"));
        await().atMost(Waits.STARTED).until(() -> b.log().contains("follows the leader replica-a"));
        assertThat(b.log()).doesNotContain("replica-b reads cost");
        // a standby says so, and exports none of the leader's signals (nor OPA's or the webhook's, not configured here)
        String standby = AdmissionIT.metrics(metricsB);
        assertThat(standby)
                .contains("costguard_leader 0.0")
                .doesNotContain("costguard_cost_data_available")
                .doesNotContain("costguard_budget_")
                .doesNotContain("costguard_cost_cycle")
                .doesNotContain("costguard_opa_")
                .doesNotContain("costguard_webhook_certificate");

        a.stop();
        await().atMost(Waits.RESTARTED)
                .until(() -> "replica-b".equals(holder()) && b.log().contains("replica-b reads cost"));
        await().atMost(Waits.CYCLES)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(AdmissionIT.metrics(metricsB))
                        .contains("costguard_leader 1.0")
                        .contains("costguard_cost_data_available"));
        Conflicts.retry(() -> client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName("daily")
                .edit(c -> {
                    c.getSpec().amount = "0.01";
                    return c;
                }));
        // the new leader acts on the edit: it evaluates generation 2, Exceeded unless nothing was spent yet today (the
        // day's first hour has no complete hour of data)
        await().atMost(Waits.CYCLES).ignoreExceptions().untilAsserted(() -> {
            CostBudget c = client.resources(CostBudget.class)
                    .inNamespace("team-alpha")
                    .withName("daily")
                    .get();
            assertThat(c.getStatus().observedGeneration)
                    .isEqualTo(c.getMetadata().getGeneration())
                    .isGreaterThan(1L);
            if (new java.math.BigDecimal(c.getStatus().spent).compareTo(new java.math.BigDecimal("0.01")) >= 0) {
                assertThat(c.getStatus().state).isEqualTo("Exceeded");
            }
        });
        assertThat(b.alive()).isTrue();
        long t0 = System.nanoTime();
        b.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("a leader stops promptly on SIGTERM")
                .isLessThan(Duration.ofSeconds(15));
    }

    String state(String name) {
        CostBudget c = client.resources(CostBudget.class)
                .inNamespace("team-alpha")
                .withName(name)
                .get();
        return c.getStatus() == null ? null : c.getStatus().state;
    }

    String holder() {
        Lease lease = client.leases()
                .inNamespace("costguard-system")
                .withName("costguard-leader")
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    Map<String, String> env(Path kubeconfig, String name, int httpPort) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("COSTGUARD_PROMETHEUS_URL", prometheus.url().toString());
        env.put("COSTGUARD_EVALUATION_INTERVAL", "2s");
        env.put("COSTGUARD_RATE_WINDOW", "10m");
        env.put("COSTGUARD_HTTP_PORT", Integer.toString(httpPort));
        env.put("COSTGUARD_LEADER_ELECTION", "true");
        env.put("POD_NAMESPACE", "costguard-system");
        env.put("POD_NAME", name);
        return env;
    }
}

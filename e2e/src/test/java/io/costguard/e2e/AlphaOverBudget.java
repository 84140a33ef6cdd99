package io.costguard.e2e;

import io.costguard.api.BudgetScope;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.costguard.testing.OpaStandIn;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus with this month's history and a local API where tenant alpha's budget is past its Freeze. */
abstract class AlphaOverBudget {
    @TempDir
    Path work;

    PrometheusProcess prometheus;
    LocalKubernetes kube;
    KubernetesClient client;
    OperatorProcess operator;
    OpaStandIn opa;
    MonthOfHistory history;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {operator, client, kube, prometheus, opa}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** The operator's environment: this set-up's API and Prometheus, the webhook on {@code port} with the certificate in {@code tls}. */
    Map<String, String> webhookEnv(Path kubeconfig, int port, int http, Path tls) {
        Map<String, String> env = new HashMap<>(history.clockEnv());
        env.putAll(Map.of(
                "KUBECONFIG",
                kubeconfig.toString(),
                "COSTGUARD_PROMETHEUS_URL",
                prometheus.url().toString(),
                "COSTGUARD_EVALUATION_INTERVAL",
                "1s",
                "COSTGUARD_RATE_WINDOW",
                "10m",
                "COSTGUARD_HTTP_PORT",
                String.valueOf(http),
                "POD_NAMESPACE",
                "costguard-system",
                "COSTGUARD_WEBHOOK_ENABLED",
                "true",
                "COSTGUARD_WEBHOOK_PORT",
                String.valueOf(port),
                "COSTGUARD_WEBHOOK_CERT_DIR",
                tls.toString()));
        return env;
    }

    /** The operator's clock now (the history may have moved it, see {@link MonthOfHistory}). */
    Instant operatorNow() {
        return history.now();
    }

    static Path jar() {
        return Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
    }

    /** Prometheus with this month's history, the API with a budget for tenant alpha at about 110 % (past its Freeze at 100 %). */
    Path setUp(Instant now) throws Exception {
        history = MonthOfHistory.start(work, now);
        prometheus = history.prometheus();
        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd()));
        double spent = history.alphaSpent();
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder()
                .withName("alpha")
                .withNamespace("team-alpha")
                .build());
        b.setSpec(new CostBudgetSpec());
        b.getSpec().amount = BigDecimal.valueOf(Math.max(spent / 1.10, 0.01))
                .setScale(2, RoundingMode.HALF_UP)
                .toPlainString();
        b.getSpec().scope = new BudgetScope();
        b.getSpec().scope.selector = Map.of("tenant", "alpha");
        client.resource(b).create();
        return kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
    }
}

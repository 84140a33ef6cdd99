package io.costguard.e2e;

import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real Prometheus holding yesterday's and today's synthetic cost, and a local API with the CostBudget CRD, the
 * namespaces team-alpha and costguard-system, and the budget team-alpha/daily (100000.00 a day).
 */
final class DailyBudgetCluster {
    final PrometheusProcess prometheus;
    final LocalKubernetes kube;
    final KubernetesClient client;

    DailyBudgetCluster(Path work) throws Exception {
        Instant now = Instant.now();
        SyntheticCluster cluster = SyntheticCluster.small(
                Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 86400) * 86400 - 86400),
                Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600 + 3 * 3600),
                3);
        prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(new OpenMetricsHistory(cluster, Duration.ofMinutes(5))
                .writeDaily(Files.createDirectories(work.resolve("history"))));
        prometheus.start();
        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        kube.installCrds(
                client,
                List.of(Serialization.unmarshal(
                        Files.readString(Path.of(System.getProperty("costguard.repo", ".."))
                                .resolve("crds/costbudgets.costguard.io-v1.yml")),
                        CustomResourceDefinition.class)));
        CostBudget budget = new CostBudget();
        budget.setMetadata(new ObjectMetaBuilder()
                .withName("daily")
                .withNamespace("team-alpha")
                .build());
        budget.setSpec(new CostBudgetSpec());
        budget.getSpec().amount = "100000.00";
        budget.getSpec().period = "Daily";
        client.resource(budget).create();
    }
}

package io.costguard.baseline;

import static io.costguard.baseline.PerfFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.cost.CostQueries;
import io.costguard.prometheus.Series;
import io.costguard.testing.TestConfigs;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Series summed by workload in Prometheus go to the target a pod of that name would go to. */
class WorkloadSeriesOwnersTest {
    static final PerfCollector.Target DB_DEPLOYMENT =
            new PerfCollector.Target("team-a", "db", plan("workload: {name: db}\nrightsizing: {mode: \"Off\"}"));
    static final PerfCollector.Target DB_STATEFULSET = new PerfCollector.Target(
            "team-a", "db-12345", plan("workload: {kind: StatefulSet, name: db-12345}\nrightsizing: {mode: \"Off\"}"));

    /** The pod db-12345-67890 could be the Deployment db's (hashes 12345, 67890) or the StatefulSet db-12345's. */
    static final Series EITHER = series(
            Map.of(SignalQueries.DEPLOYMENT_LABEL, "db", SignalQueries.STATEFULSET_LABEL, "db-12345", "le", "0.1"));

    @Test
    void theDeploymentWhenItIsATargetElseTheStatefulSetAsForAPodName() {
        var both = new PerfCollector.Owners("team-a", List.of(DB_DEPLOYMENT, DB_STATEFULSET));
        var onlyStatefulSet = new PerfCollector.Owners("team-a", List.of(DB_STATEFULSET));
        assertThat(both.namespacedOf(EITHER)).isEqualTo("team-a/Deployment/db");
        assertThat(both.of("db-12345-67890")).isEqualTo("Deployment/db");
        assertThat(onlyStatefulSet.namespacedOf(EITHER)).isEqualTo("team-a/StatefulSet/db-12345");
        assertThat(onlyStatefulSet.of("db-12345-67890")).isEqualTo("StatefulSet/db-12345");
        // asked again (the cached answer per name)
        assertThat(onlyStatefulSet.namespacedOf(EITHER)).isEqualTo("team-a/StatefulSet/db-12345");
    }

    @Test
    void aSeriesOfNoTargetOrOfPodsNamedLikeNoWorkloadBelongsToNone() {
        var owners = new PerfCollector.Owners("team-a", List.of(DB_DEPLOYMENT));
        assertThat(owners.namespacedOf(series(Map.of(SignalQueries.DEPLOYMENT_LABEL, "web", "le", "0.1"))))
                .isNull();
        assertThat(owners.namespacedOf(series(Map.of(SignalQueries.STATEFULSET_LABEL, "db", "le", "0.1"))))
                .isNull();
        // pods whose names fit neither kind: neither label
        assertThat(owners.namespacedOf(series(Map.of("le", "0.1")))).isNull();
    }

    @Test
    void theQueriesSplitPodsWithTheSameRulesAsTheOperator() {
        var config = TestConfigs.operator(URI.create("http://127.0.0.1:9"), "60s", Map.of());
        SignalQueries q = new SignalQueries(config.performance(), new CostQueries(config));
        for (String query :
                List.of(q.latencyBuckets(List.of("a")), q.requests(List.of("a", "b")), q.podCost(List.of("a")))) {
            assertThat(query)
                    .contains("\"" + SignalQueries.DEPLOYMENT_LABEL + "\", \"$1\", \"pod\", \""
                            + WorkloadPods.DEPLOYMENT_POD_RE + "\"")
                    .contains("\"" + SignalQueries.STATEFULSET_LABEL + "\", \"$1\", \"pod\", \""
                            + WorkloadPods.STATEFULSET_POD_RE + "\"");
        }
        // Prometheus anchors label_replace's regex; the operator's matches() does the same
        assertThat(WorkloadPods.deployment("web-6d5f7c8b9-abcde")).contains("web");
        assertThat(Pattern.compile(WorkloadPods.DEPLOYMENT_POD_RE)
                        .matcher("x-web-6d5f7c8b9-abcde-")
                        .matches())
                .isFalse();
    }

    static Series series(Map<String, String> labels) {
        return new Series(labels, new long[] {0}, new double[] {1});
    }
}

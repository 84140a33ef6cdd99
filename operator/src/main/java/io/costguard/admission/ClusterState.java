package io.costguard.admission;

import io.costguard.freeze.FreezeRegistry;
import java.util.Map;

/** What the webhook knows of the cluster, all in memory: namespace labels, frozen scopes, budgets, scaled workloads. */
public interface ClusterState {
    Map<String, String> namespaceLabels(String namespace);

    FreezeRegistry freezes();

    BudgetIndex budgets();

    /**
     * What this picture has not read yet of what freezes scopes (e.g. after a start, before the first list of
     * CostBudgets and PerfBaselines is in); empty once it has. While present, no scope is known to be free.
     */
    default java.util.Optional<String> loading() {
        return java.util.Optional.empty();
    }

    /**
     * The workload a {@code /scale} request scales, from memory (never a GET per review). A picture without a
     * workload cache knows none, which the freeze treats as it treats a cache still loading.
     */
    default ScaleTarget scaleTarget(Workloads.Kind kind, String namespace, String name) {
        return new ScaleTarget.Unknown("this webhook keeps no cache of workloads");
    }
}

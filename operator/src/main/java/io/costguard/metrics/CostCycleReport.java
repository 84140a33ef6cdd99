package io.costguard.metrics;

import io.costguard.config.OperatorConfig;
import io.costguard.cost.AllocationKey;
import io.costguard.cost.CostCollector;
import io.costguard.cost.DataStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What every cost cycle reports in metrics: the cycle's figures, the newest hour's cost per allocation key, shared and
 * idle cost when attribution is active, and unattributed cost per namespace.
 */
public final class CostCycleReport implements Consumer<DataStatus> {
    private final OperatorConfig config;
    private final CostCollector collector;
    private final OperatorMetrics metrics;
    private final AllocationCost allocationCost;
    private final SharedCostMetrics sharedCost;
    private final Set<String> reportedUnattributed = ConcurrentHashMap.newKeySet();

    public CostCycleReport(
            OperatorConfig config,
            CostCollector collector,
            OperatorMetrics metrics,
            AllocationCost allocationCost,
            SharedCostMetrics sharedCost) {
        this.config = config;
        this.collector = collector;
        this.metrics = metrics;
        this.allocationCost = allocationCost;
        this.sharedCost = sharedCost;
    }

    @Override
    public void accept(DataStatus status) {
        CostCollector.CycleStats stats = collector.lastCycle();
        metrics.cycle(stats.duration(), status.available(), stats.queries(), stats.samples(), stats.missingHours());
        if (status.dataThrough().isEmpty()) {
            return;
        }
        Instant through = status.dataThrough().get();
        Map<AllocationKey, Double> hour = collector.ledger().costByKey(through.minusSeconds(3600), through);
        allocationCost.hour(hour);
        if (config.attribution().active()) {
            Set<String> splitKeys = new TreeSet<>();
            config.attribution().shared().forEach(e -> splitKeys.add(e.splitBy()));
            if (config.attribution().idle() == OperatorConfig.IdleMode.Share) {
                splitKeys.add(config.allocationKeys().get(0));
            }
            sharedCost.hour(collector.allocation().snapshot(), splitKeys, through);
        }
        Map<String, Double> unattributed = new HashMap<>();
        for (Map.Entry<AllocationKey, Double> e : hour.entrySet()) {
            if (e.getKey().unattributed()) {
                unattributed.merge(e.getKey().namespace(), e.getValue(), Double::sum);
            }
        }
        // a namespace whose pods all got their labels drops to zero rather than keeping its last figure
        reportedUnattributed.forEach(ns -> unattributed.putIfAbsent(ns, 0.0));
        unattributed.forEach(metrics::unattributed);
        reportedUnattributed.addAll(unattributed.keySet());
    }
}

package io.costguard.metrics;

import io.costguard.kube.ObjectKeys;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code costguard_budget_info}: one series of value 1 per budget, its labels held in a map and turned into samples
 * when scraped. The library's Info keeps its series in a copy-on-write set, so adding one scans and copies every
 * series: at 10,000 budgets the first cycle spent seconds there.
 */
final class BudgetOwnerInfo implements Collector {
    static final String NAME = "costguard_budget_info";

    private final String[] labelNames;
    private final String help;
    private final Map<String, String[]> byBudget = new ConcurrentHashMap<>();

    BudgetOwnerInfo(List<String> labelNames, String help) {
        this.labelNames = labelNames.toArray(String[]::new);
        this.help = help;
    }

    /** Sets the budget's label values, in the order of the label names. */
    void put(String namespace, String name, String[] values) {
        byBudget.put(ObjectKeys.of(namespace, name), values.clone());
    }

    void remove(String namespace, String name) {
        byBudget.remove(ObjectKeys.of(namespace, name));
    }

    @Override
    public MetricSnapshot collect() {
        List<InfoDataPointSnapshot> points = new ArrayList<>(byBudget.size());
        for (String[] values : byBudget.values()) {
            points.add(new InfoDataPointSnapshot(Labels.of(labelNames.clone(), values.clone())));
        }
        // the exposition adds the _info suffix to an info metric's name
        return new InfoSnapshot(new MetricMetadata(NAME.substring(0, NAME.length() - "_info".length()), help), points);
    }

    @Override
    public String getPrometheusName() {
        return NAME.substring(0, NAME.length() - "_info".length());
    }
}

package io.costguard.metrics;

import io.costguard.kube.ObjectKeys;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Gauges with a fixed set of series per object (a CostBudget, a PerfBaseline), kept as one row of values per object
 * and turned into samples when scraped. A registered gauge keeps a data point, an atomic, a label list and a map node
 * for every series, about 130 bytes each: at 10 to 15 series per object that was 35 MB for 20,000 objects. In a row,
 * NaN means the series is not exported.
 */
public final class ObjectGauges implements MultiCollector {
    /**
     * One metric. Its labels are namespace and name, then the row's labels when {@code rowLabels} (e.g. the budget's
     * currency), then {@code labelNames} with one column per entry of {@code columns} (e.g. one per state).
     */
    public record Family(
            String name, String help, boolean rowLabels, List<String> labelNames, List<List<String>> columns) {
        /** A metric with one series per object. */
        public static Family single(String name, String help, boolean rowLabels) {
            return new Family(name, help, rowLabels, List.of(), List.of(List.of()));
        }

        /** A metric with a series per value of one label, e.g. a state's 1 or 0. */
        public static Family perValue(String name, String help, String label, List<String> values) {
            return new Family(
                    name,
                    help,
                    false,
                    List.of(label),
                    values.stream().map(List::of).toList());
        }
    }

    private record Row(String namespace, String name, String[] rowLabels, double[] values) {}

    private final List<Family> families;
    private final List<String> rowLabelNames;
    private final int[] offsets;
    private final String[][] labelNames;
    private final int width;
    private final Map<String, Row> rows = new ConcurrentHashMap<>();

    public ObjectGauges(List<String> rowLabelNames, List<Family> families) {
        this.rowLabelNames = List.copyOf(rowLabelNames);
        this.families = List.copyOf(families);
        this.offsets = new int[families.size()];
        this.labelNames = new String[families.size()][];
        int w = 0;
        for (int i = 0; i < families.size(); i++) {
            Family f = families.get(i);
            offsets[i] = w;
            w += f.columns().size();
            List<String> names = new ArrayList<>(List.of("namespace", "name"));
            if (f.rowLabels()) {
                names.addAll(rowLabelNames);
            }
            names.addAll(f.labelNames());
            labelNames[i] = names.toArray(String[]::new);
        }
        this.width = w;
    }

    /** The index in a row of {@code family}'s {@code column}. */
    public int at(int family, int column) {
        return offsets[family] + column;
    }

    /**
     * Changes one object's row: {@code change} gets the values as they are (NaN where nothing is exported) and sets
     * what changed. A null {@code rowLabels} keeps the row's labels.
     */
    public void update(String namespace, String name, String[] rowLabels, Consumer<double[]> change) {
        rows.compute(ObjectKeys.of(namespace, name), (k, old) -> {
            double[] values;
            if (old == null) {
                values = new double[width];
                Arrays.fill(values, Double.NaN);
            } else {
                values = old.values().clone();
            }
            change.accept(values);
            String[] labels = rowLabels != null ? rowLabels.clone() : old != null ? old.rowLabels() : emptyRowLabels();
            return new Row(namespace, name, labels, values);
        });
    }

    /** Changes a row that exists, and only then: a removed object's series do not come back. */
    public void updateIfPresent(String namespace, String name, Consumer<double[]> change) {
        rows.computeIfPresent(ObjectKeys.of(namespace, name), (k, old) -> {
            double[] values = old.values().clone();
            change.accept(values);
            return new Row(namespace, name, old.rowLabels(), values);
        });
    }

    private String[] emptyRowLabels() {
        String[] none = new String[rowLabelNames.size()];
        Arrays.fill(none, "");
        return none;
    }

    /** Every series of the object goes. */
    public void remove(String namespace, String name) {
        rows.remove(ObjectKeys.of(namespace, name));
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        for (int f = 0; f < families.size(); f++) {
            Family family = families.get(f);
            List<GaugeDataPointSnapshot> points = new ArrayList<>();
            for (Row row : rows.values()) {
                for (int c = 0; c < family.columns().size(); c++) {
                    double v = row.values()[offsets[f] + c];
                    if (!Double.isNaN(v)) {
                        points.add(new GaugeDataPointSnapshot(
                                v, Labels.of(labelNames[f], labelValues(family, row, c)), null));
                    }
                }
            }
            out.add(new GaugeSnapshot(new MetricMetadata(family.name(), family.help()), points));
        }
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return families.stream().map(Family::name).toList();
    }

    private String[] labelValues(Family family, Row row, int column) {
        List<String> values = new ArrayList<>(List.of(row.namespace(), row.name()));
        if (family.rowLabels()) {
            values.addAll(
                    Arrays.asList(row.rowLabels()).subList(0, Math.min(rowLabelNames.size(), row.rowLabels().length)));
        }
        values.addAll(family.columns().get(column));
        return values.toArray(String[]::new);
    }
}

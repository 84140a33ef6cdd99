package io.costguard.baseline;

import io.costguard.kube.ObjectKeys;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code costguard_rightsizing_recommended}: each PerfBaseline's recommendations, replaced whole by each evaluation,
 * so a container that left the workload, a rightsizing switched off or a deleted PerfBaseline takes its series with
 * it. One entry per PerfBaseline instead of a registered data point, atomic, label list and map node per series.
 */
final class RecommendationGauges implements MultiCollector {
    static final String NAME = "costguard_rightsizing_recommended";
    private static final String[] LABELS = {"namespace", "name", "container", "resource"};

    /** A container's recommended requests: CPU in cores, memory in bytes; NaN when there is none. */
    record Recommended(String container, double cpuCores, double memoryBytes) {}

    private record Entry(String namespace, String name, List<Recommended> containers) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The PerfBaseline's recommendations now; none removes its series. */
    void set(String namespace, String name, List<Recommended> containers) {
        if (containers.isEmpty()) {
            entries.remove(ObjectKeys.of(namespace, name));
        } else {
            entries.put(ObjectKeys.of(namespace, name), new Entry(namespace, name, List.copyOf(containers)));
        }
    }

    void remove(String namespace, String name) {
        entries.remove(ObjectKeys.of(namespace, name));
    }

    @Override
    public MetricSnapshots collect() {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        for (Entry e : entries.values()) {
            for (Recommended r : e.containers()) {
                add(points, e, r.container(), "cpu", r.cpuCores());
                add(points, e, r.container(), "memory", r.memoryBytes());
            }
        }
        return new MetricSnapshots(new GaugeSnapshot(
                new MetricMetadata(NAME, "Recommended request per container: cpu in cores, memory in bytes"), points));
    }

    private static void add(List<GaugeDataPointSnapshot> points, Entry e, String container, String resource, double v) {
        if (!Double.isNaN(v)) {
            points.add(new GaugeDataPointSnapshot(
                    v, Labels.of(LABELS, new String[] {e.namespace(), e.name(), container, resource}), null));
        }
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(NAME);
    }
}

package io.costguard.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a synthetic cluster's kube-state-metrics and cAdvisor series as OpenMetrics text, the input of
 * {@code promtool tsdb create-blocks-from openmetrics}. Families are contiguous and samples ascending, as
 * the format requires.
 */
public final class OpenMetricsHistory {
    private final SyntheticCluster cluster;
    private final long step;
    private long samples;
    private long from;
    private long to;

    private long outageFrom;
    private long outageTo;

    public OpenMetricsHistory(SyntheticCluster cluster, Duration step) {
        this.cluster = cluster;
        this.step = step.toSeconds();
    }

    /**
     * Leaves out every sample in [from, to), as a scrape outage would: the cluster runs (counters go on), Prometheus
     * holds nothing for that time.
     */
    public OpenMetricsHistory withOutage(java.time.Instant from, java.time.Instant to) {
        outageFrom = from.getEpochSecond();
        outageTo = to.getEpochSecond();
        return this;
    }

    /**
     * Writes one file per UTC day into {@code dir} and returns them. promtool reads its whole input once per
     * 2-hour block, so one file per day keeps a month of backfill linear instead of quadratic.
     */
    public List<Path> writeDaily(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        long first = Math.floorDiv(cluster.start().getEpochSecond(), 86400) * 86400;
        for (long day = first; day < cluster.end().getEpochSecond(); day += 86400) {
            Path file = dir.resolve("history-" + day + ".om");
            samples += write(
                    file,
                    Math.max(day, cluster.start().getEpochSecond()),
                    Math.min(day + 86400, cluster.end().getEpochSecond()));
            files.add(file);
        }
        return files;
    }

    /** Samples written by {@link #writeDaily}. */
    public long samples() {
        return samples;
    }

    /** Writes the samples in [from, to) (epoch seconds) and returns how many. */
    public long write(Path file, long from, long to) throws IOException {
        this.from = from;
        this.to = to;
        long samples = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("# TYPE kube_pod_labels gauge\n");
            for (SyntheticPod p : cluster.pods()) {
                Map<String, String> labels = new TreeMap<>();
                p.labels().forEach((k, v) -> labels.put("label_" + k, v));
                samples += series(out, "kube_pod_labels", p, labels, t -> 1.0);
            }
            out.write("# TYPE kube_pod_container_resource_requests gauge\n");
            for (SyntheticPod p : cluster.pods()) {
                samples += series(
                        out,
                        "kube_pod_container_resource_requests",
                        p,
                        Map.of("container", "main", "node", "node-1", "resource", "cpu", "unit", "core"),
                        t -> p.cpuRequestCores());
                samples += series(
                        out,
                        "kube_pod_container_resource_requests",
                        p,
                        Map.of("container", "main", "node", "node-1", "resource", "memory", "unit", "byte"),
                        t -> p.memoryRequestBytes());
            }
            out.write("# TYPE container_memory_working_set_bytes gauge\n");
            for (SyntheticPod p : cluster.pods()) {
                samples += series(
                        out, "container_memory_working_set_bytes", p, Map.of("container", "main"), p::memoryUsageBytes);
            }
            out.write("# TYPE container_cpu_usage_seconds_total unknown\n");
            for (SyntheticPod p : cluster.pods()) {
                double[] counter = {0};
                long[] last = {-1};
                samples += series(out, "container_cpu_usage_seconds_total", p, Map.of("container", "main"), t -> {
                    if (last[0] >= 0) {
                        // usage is constant within an hour and samples never straddle one, as the step divides an hour
                        counter[0] += p.cpuUsageCores(last[0]) * (t - last[0]);
                    }
                    last[0] = t;
                    return counter[0];
                });
            }
            out.write("# EOF\n");
        }
        return samples;
    }

    private long series(Writer out, String name, SyntheticPod pod, Map<String, String> extra, Sample value)
            throws IOException {
        Map<String, String> labels = new TreeMap<>(extra);
        labels.put("namespace", pod.namespace());
        labels.put("pod", pod.name());
        StringBuilder prefix = new StringBuilder(name).append('{');
        boolean comma = false;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (comma) {
                prefix.append(',');
            }
            comma = true;
            prefix.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
        }
        prefix.append("} ");
        String head = prefix.toString();
        long first = Math.max(pod.start().getEpochSecond(), cluster.start().getEpochSecond());
        long last = Math.min(pod.end().getEpochSecond(), cluster.end().getEpochSecond());
        long n = 0;
        StringBuilder line = new StringBuilder(head.length() + 32);
        // every sample is computed from the first, so that counters are continuous across files
        for (long t = Math.floorDiv(first + step - 1, step) * step; t < Math.min(last, to); t += step) {
            double v = value.at(t);
            if (t >= from && (t < outageFrom || t >= outageTo)) {
                line.setLength(0);
                line.append(head)
                        .append(String.format(Locale.ROOT, "%.6f", v))
                        .append(' ')
                        .append(t)
                        .append('\n');
                out.write(line.toString());
                n++;
            }
        }
        return n;
    }

    @FunctionalInterface
    private interface Sample {
        double at(long epochSecond);
    }
}

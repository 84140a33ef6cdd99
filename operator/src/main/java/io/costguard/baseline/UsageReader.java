package io.costguard.baseline;

import io.costguard.baseline.PerfCollector.Owners;
import io.costguard.baseline.PerfCollector.Target;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.Series;
import io.costguard.rightsizing.CpuPercentiles;
import io.costguard.rightsizing.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one namespace's usage for rightsizing as figures Prometheus computes over the lookback, per pod and container:
 * the CPU percentile each spec names, how many steps and since when each pod ran, the peak working set and the OOM
 * kills. Nothing per step crosses the wire (a week at 5 minutes was 2,016 samples per pod and container); the pods
 * are combined per workload here ({@link CpuPercentiles#acrossPods}).
 */
final class UsageReader {
    /** The CPU rate is taken at least this far apart, and at most this many times over a lookback. */
    static final Duration MIN_STEP = Duration.ofMinutes(5);

    static final int MAX_STEPS = 10_000;
    /** A pod that ran less than this does not lift a workload's CPU percentile (unless no pod ran longer). */
    static final Duration MIN_POD_RUN = Duration.ofHours(1);

    /** The usage read for each target (by id) and the queries it took. */
    record Read(Map<String, Usage> usage, int queries) {}

    private final PrometheusClient prometheus;
    private final SignalQueries queries;

    UsageReader(PrometheusClient prometheus, SignalQueries queries) {
        this.prometheus = prometheus;
        this.queries = queries;
    }

    static Duration step(Duration lookback) {
        long seconds = (lookback.getSeconds() + MAX_STEPS - 1) / MAX_STEPS;
        return seconds > MIN_STEP.getSeconds() ? Duration.ofSeconds(seconds) : MIN_STEP;
    }

    /** Usage of the namespace's targets whose rightsizing is on, read together per distinct lookback. */
    Read read(String ns, List<Target> sized, Instant now) {
        Map<String, Usage> out = new HashMap<>();
        int sent = 0;
        Map<Duration, List<Target>> byLookback = new TreeMap<>();
        for (Target t : sized) {
            byLookback
                    .computeIfAbsent(t.plan().rightsizing().lookback(), k -> new ArrayList<>())
                    .add(t);
        }
        for (Map.Entry<Duration, List<Target>> group : byLookback.entrySet()) {
            sent += read(ns, group.getKey(), group.getValue(), now, out);
        }
        return new Read(out, sent);
    }

    private int read(String ns, Duration lookback, List<Target> group, Instant now, Map<String, Usage> out) {
        Duration step = step(lookback);
        int sent = 0;
        Map<Integer, QueryOutcome> percentiles = new TreeMap<>();
        for (Target t : group) {
            int p = t.plan().rightsizing().settings().percentile();
            if (!percentiles.containsKey(p)) {
                percentiles.put(p, prometheus.query("rightsizing", queries.cpuPercentile(ns, p, lookback, step), now));
                sent++;
            }
        }
        List<QueryOutcome> needed = new ArrayList<>(percentiles.values());
        QueryOutcome counts = prometheus.query("rightsizing", queries.cpuSamples(ns, lookback, step), now);
        QueryOutcome firsts = prometheus.query("rightsizing", queries.cpuFirstSample(ns, lookback, step), now);
        QueryOutcome mem = prometheus.query("rightsizing", queries.memoryPeak(ns, lookback), now);
        QueryOutcome oom = prometheus.query("rightsizing", queries.oomKills(ns, lookback), now);
        sent += 4;
        needed.addAll(List.of(counts, firsts, mem));
        for (QueryOutcome o : needed) {
            if (o instanceof QueryOutcome.Failure f) {
                group.forEach(t -> out.put(t.id(), new Usage(now, Map.of(), "Prometheus: " + f.message())));
                return sent;
            }
        }
        Owners owners = new Owners(group);
        // "workload key/container" -> the highest peak, and -> the highest memory limit a killed pod had (0: unknown)
        Map<String, Double> peaks = byWorkloadContainer(success(mem), owners, false);
        Map<String, Double> ooms =
                oom instanceof QueryOutcome.Success ok ? byWorkloadContainer(ok.series(), owners, true) : Map.of();
        // "pod/container" -> steps with a rate, and -> the first of them
        Map<String, Double> samplesByPod = byPodContainer(success(counts));
        Map<String, Double> firstByPod = byPodContainer(success(firsts));
        int minSamples = (int) Math.max(1, MIN_POD_RUN.getSeconds() / step.getSeconds());
        // percentile -> workload key -> its pods' series, each answer walked once
        Map<Integer, Map<String, List<Series>>> byWorkload = new HashMap<>();
        percentiles.forEach((p, answer) -> {
            Map<String, List<Series>> of = new HashMap<>();
            for (Series s : success(answer)) {
                String w = owners.of(s);
                if (w != null && s.size() > 0) {
                    of.computeIfAbsent(w, k -> new ArrayList<>()).add(s);
                }
            }
            byWorkload.put(p, of);
        });
        for (Target t : group) {
            int p = t.plan().rightsizing().settings().percentile();
            String key = WorkloadPods.key(t.plan().kind(), t.plan().workload());
            Map<String, List<CpuPercentiles.Pod>> pods = new TreeMap<>();
            for (Series s : byWorkload.get(p).getOrDefault(key, List.of())) {
                String podContainer = podContainer(s);
                Double first = firstByPod.get(podContainer);
                pods.computeIfAbsent(container(s), k -> new ArrayList<>())
                        .add(new CpuPercentiles.Pod(
                                s.values()[0],
                                samplesByPod.getOrDefault(podContainer, 0.0).intValue(),
                                first == null ? now.getEpochSecond() : first.longValue()));
            }
            Map<String, Usage.Container> containers = new TreeMap<>();
            pods.forEach((container, ofContainer) -> {
                String workloadContainer = key + "/" + container;
                Double peak = peaks.get(workloadContainer);
                Double killedAt = ooms.get(workloadContainer);
                long first = ofContainer.stream()
                        .mapToLong(CpuPercentiles.Pod::firstSample)
                        .min()
                        .orElse(now.getEpochSecond());
                containers.put(
                        container,
                        new Usage.Container(
                                CpuPercentiles.acrossPods(ofContainer, p, minSamples),
                                history(now, first, step, lookback),
                                peak == null ? 0 : Math.max(0, peak),
                                killedAt != null,
                                // killed at several limits (an earlier raise was not enough): the highest is what it
                                // had last
                                killedAt != null && killedAt > 0 ? killedAt : null));
            });
            out.put(
                    t.id(),
                    new Usage(
                            now,
                            containers,
                            containers.isEmpty()
                                    ? "no container_cpu_usage_seconds_total series for pods of "
                                            + t.plan().kind() + " " + t.plan().workload()
                                    : null));
        }
        return sent;
    }

    /**
     * The history the usage covers: from the first step with a rate, which stands for the step before it (subquery
     * steps fall on multiples of the step, so the first one of a full lookback is up to a step after its start).
     */
    static Duration history(Instant now, long firstStep, Duration step, Duration lookback) {
        long covered = now.getEpochSecond() - firstStep + step.getSeconds();
        return Duration.ofSeconds(Math.max(0, Math.min(lookback.getSeconds(), covered)));
    }

    private static List<Series> success(QueryOutcome o) {
        return ((QueryOutcome.Success) o).series();
    }

    private static Map<String, Double> byPodContainer(List<Series> series) {
        Map<String, Double> out = new HashMap<>();
        for (Series s : series) {
            if (s.size() > 0) {
                out.put(podContainer(s), s.values()[0]);
            }
        }
        return out;
    }

    private static String container(Series s) {
        return s.labels().getOrDefault("container", "");
    }

    private static String podContainer(Series s) {
        return s.labels().get("pod") + "/" + container(s);
    }

    /**
     * The first sample of each series by "workload key/container" of its pod, the highest when several; series of
     * pods that belong to no target are left out. With {@code counted}, a series without a sample counts as 0.
     */
    private static Map<String, Double> byWorkloadContainer(List<Series> series, Owners owners, boolean counted) {
        Map<String, Double> out = new HashMap<>();
        for (Series s : series) {
            String w = owners.of(s);
            if (w != null && (counted || s.size() > 0)) {
                out.merge(w + "/" + container(s), s.size() > 0 ? s.values()[0] : 0, Math::max);
            }
        }
        return out;
    }
}

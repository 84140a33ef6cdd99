package io.costguard.baseline;

import io.costguard.api.ConditionReason;
import io.costguard.kube.ObjectKeys;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.Series;
import io.costguard.rightsizing.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the signals of every PerfBaseline in one pass: per batch of namespaces (up to namespacesPerQuery with the
 * same needs), one query per default signal (latency buckets, requests by status code, cost) grouped by namespace
 * and by the workload pod names belong to (summed by Prometheus), matched to the targets here. Latency buckets are
 * a range over the longest latencyFor of the namespace's targets that read the history, so each workload's p95
 * comes with its recent history (one step, now, when none does). Templates from spec.metrics are the only
 * per-workload queries. Usage for rightsizing ({@link UsageReader}) is re-read per namespace every
 * {@code rightsizingInterval}, or at once for a workload not read yet or read for another percentile.
 */
public final class PerfCollector {
    private static final Logger LOG = LoggerFactory.getLogger(PerfCollector.class);
    /** Namespaces read together by default (performance.namespacesPerQuery). */
    public static final int NAMESPACES_PER_QUERY = 10;
    /**
     * A batch of namespaces closes at this many PerfBaselines: with two or three pods each and 15 buckets a pod, one
     * answer then stays under about 10,000 series.
     */
    static final int TARGETS_PER_QUERY = 200;

    /**
     * A PerfBaseline to measure: its id (namespace/name) and plan, and whether its verdict reads the p95's history
     * (it has a latency baseline, pinned or recorded: "sustained for latencyFor" is judged on the history). Without one
     * only the newest p95 is judged, so a namespace where no PerfBaseline reads the history has its buckets read at
     * the evaluation time alone instead of over latencyFor.
     */
    public record Target(String namespace, String name, PerfPlan plan, boolean latencyHistory) {
        /** A target that reads the history, as every target did before it was known which do. */
        public Target(String namespace, String name, PerfPlan plan) {
            this(namespace, name, plan, true);
        }

        public String id() {
            return ObjectKeys.of(namespace, name);
        }
    }

    /** What the last cycle did: queries sent, wall time, workloads measured. */
    public record CycleStats(int queries, Duration duration, int targets) {}

    private final PrometheusClient prometheus;
    private final SignalQueries queries;
    private final Clock clock;
    private final Duration rightsizingInterval;
    private final Executor reads;
    private final int namespacesPerQuery;
    private final UsageReader usageReader;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, Signals> signals = new ConcurrentHashMap<>();
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();
    private final Map<String, Instant> usageReadAt = new ConcurrentHashMap<>();
    private final List<Consumer<CycleStats>> listeners = new CopyOnWriteArrayList<>();
    private volatile CycleStats lastCycle = new CycleStats(0, Duration.ZERO, 0);
    private volatile boolean read;

    public PerfCollector(
            PrometheusClient prometheus, SignalQueries queries, Clock clock, Duration rightsizingInterval) {
        this(prometheus, queries, clock, rightsizingInterval, Runnable::run);
    }

    /** With {@code reads}, the executor the namespaces are read on (several at once when it has several threads). */
    public PerfCollector(
            PrometheusClient prometheus,
            SignalQueries queries,
            Clock clock,
            Duration rightsizingInterval,
            Executor reads) {
        this(prometheus, queries, clock, rightsizingInterval, reads, NAMESPACES_PER_QUERY);
    }

    /**
     * With {@code namespacesPerQuery}, how many namespaces one default signal query reads (1: a query per namespace
     * and signal).
     */
    public PerfCollector(
            PrometheusClient prometheus,
            SignalQueries queries,
            Clock clock,
            Duration rightsizingInterval,
            Executor reads,
            int namespacesPerQuery) {
        if (namespacesPerQuery < 1) {
            throw new IllegalArgumentException("namespacesPerQuery must be at least 1");
        }
        this.namespacesPerQuery = namespacesPerQuery;
        this.prometheus = prometheus;
        this.queries = queries;
        this.clock = clock;
        this.rightsizingInterval = rightsizingInterval;
        this.reads = reads;
        this.usageReader = new UsageReader(prometheus, queries);
    }

    /** Measure this target from the next cycle on (replaces an earlier plan of the same id). */
    public void demand(Target target) {
        Target before = targets.put(target.id(), target);
        if (before != null && !before.plan().equals(target.plan())) {
            signals.remove(target.id());
            usage.remove(target.id());
        }
    }

    public void forget(String id) {
        targets.remove(id);
        signals.remove(id);
        usage.remove(id);
    }

    /** The newest signals of a target; null before its first cycle. */
    public Signals signals(String id) {
        return signals.get(id);
    }

    /** The newest usage of a target; null before it was read. */
    public Usage usage(String id) {
        return usage.get(id);
    }

    public CycleStats lastCycle() {
        return lastCycle;
    }

    /** Whether a cycle of this process has read Prometheus to its end (whatever each target's answer was). */
    public boolean hasRead() {
        return read;
    }

    public void onCycle(Consumer<CycleStats> listener) {
        listeners.add(listener);
    }

    /** One cycle. Never throws for Prometheus failures: they end up in each target's signals. */
    public synchronized CycleStats collect() {
        long t0 = System.nanoTime();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, List<Target>> byNamespace = targets.values().stream()
                .collect(Collectors.groupingBy(Target::namespace, TreeMap::new, Collectors.toList()));
        // batches are independent: each writes only its own namespaces' signals and usage
        List<Batch> batches = batches(byNamespace);
        List<CompletableFuture<Integer>> work = new ArrayList<>(batches.size());
        for (Batch batch : batches) {
            work.add(CompletableFuture.supplyAsync(() -> read(batch, byNamespace, now), reads));
        }
        int sent = 0;
        RuntimeException failed = null;
        for (CompletableFuture<Integer> w : work) {
            try {
                // every namespace is waited for, so no read of this cycle outlives it
                sent += w.get();
            } catch (ExecutionException ex) {
                failed = ex.getCause() instanceof RuntimeException r
                        ? r
                        : new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
            } catch (InterruptedException ex) {
                // stopping: the reads still queued will never run, so nothing is waited for and nobody is told
                work.forEach(f -> f.cancel(false));
                Thread.currentThread().interrupt();
                return lastCycle;
            }
        }
        // a cycle that failed somewhere still read the others: what is not known now will not be known by waiting
        read = true;
        if (failed != null) {
            throw failed;
        }
        usageReadAt.keySet().retainAll(byNamespace.keySet());
        CycleStats stats = new CycleStats(sent, Duration.ofNanos(System.nanoTime() - t0), targets.size());
        lastCycle = stats;
        for (Consumer<CycleStats> l : listeners) {
            try {
                l.accept(stats);
            } catch (RuntimeException ex) {
                LOG.warn("perf cycle listener failed", ex);
            }
        }
        return stats;
    }

    /** Namespaces read by the same queries, and what those queries must read. */
    private record Batch(Needs needs, List<String> namespaces) {}

    /**
     * Namespaces whose default signals are read by one query each: up to {@code namespacesPerQuery} of them with the
     * same needs (buckets, requests, the buckets' span), closed early at {@link #TARGETS_PER_QUERY} targets so one
     * answer stays a few thousand series.
     */
    private List<Batch> batches(Map<String, List<Target>> byNamespace) {
        Map<Needs, Batch> open = new HashMap<>();
        Map<Needs, Integer> held = new HashMap<>();
        List<Batch> out = new ArrayList<>();
        for (Map.Entry<String, List<Target>> e : byNamespace.entrySet()) {
            Needs needs = Needs.of(e.getValue());
            int size = e.getValue().size();
            Batch last = open.get(needs);
            if (last == null
                    || last.namespaces().size() >= namespacesPerQuery
                    || held.get(needs) + size > TARGETS_PER_QUERY) {
                last = new Batch(needs, new ArrayList<>());
                open.put(needs, last);
                held.put(needs, 0);
                out.add(last);
            }
            last.namespaces().add(e.getKey());
            held.merge(needs, size, Integer::sum);
        }
        return out;
    }

    /** What a namespace's default queries must read; namespaces read together must need the same. */
    private record Needs(boolean buckets, boolean requests, Duration bucketsFor) {
        static Needs of(List<Target> group) {
            return new Needs(
                    group.stream().anyMatch(t -> t.plan().queries().latencyP95() == null),
                    group.stream()
                            .anyMatch(t -> t.plan().queries().errorRatio() == null
                                    || t.plan().queries().throughput() == null),
                    group.stream()
                            .filter(t -> t.plan().queries().latencyP95() == null && t.latencyHistory())
                            .map(t -> t.plan().regression().latencyFor())
                            .max(Duration::compareTo)
                            .orElse(Duration.ZERO));
        }
    }

    private int read(Batch batch, Map<String, List<Target>> byNamespace, Instant now) {
        int sent = measure(batch.namespaces(), batch.needs(), byNamespace, now);
        for (String ns : batch.namespaces()) {
            List<Target> group = byNamespace.get(ns);
            boolean due = usageReadAt
                            .getOrDefault(ns, Instant.MIN)
                            .plus(rightsizingInterval)
                            .isBefore(now.plusSeconds(1))
                    || group.stream()
                            .anyMatch(t -> t.plan().rightsizing().mode() != PerfPlan.Mode.Off
                                    && (!usage.containsKey(t.id()) || readForAnotherPercentile(t)));
            if (due) {
                sent += readUsage(ns, group, now);
                usageReadAt.put(ns, now);
            }
        }
        return sent;
    }

    private int measure(List<String> batch, Needs needs, Map<String, List<Target>> byNamespace, Instant now) {
        int sent = 0;
        // keyed by namespace + "/" + workload key: a batch's answers hold several namespaces' pods
        LatencyBuckets buckets = null;
        Map<String, double[]> requests = new HashMap<>();
        Map<String, Double> cost = new HashMap<>();
        QueryOutcome.Failure failure = null;
        Map<String, Owners> owners = new HashMap<>();
        for (String ns : batch) {
            owners.put(ns, new Owners(ns, byNamespace.get(ns)));
        }
        Function<Series, String> owner = s -> {
            String ns = batch.size() == 1 ? batch.get(0) : s.labels().get("namespace");
            Owners o = ns == null ? null : owners.get(ns);
            return o == null ? null : o.namespacedOf(s);
        };
        Duration bucketsFor = needs.bucketsFor();
        Duration bucketsStep = historyStep(bucketsFor);
        if (needs.buckets()) {
            QueryOutcome o = prometheus.queryRange(
                    "perf",
                    queries.latencyBuckets(batch),
                    historyStart(now, bucketsFor, bucketsStep),
                    now,
                    bucketsStep);
            sent++;
            if (o instanceof QueryOutcome.Success ok) {
                buckets = LatencyBuckets.of(ok.series(), owner);
            } else {
                failure = (QueryOutcome.Failure) o;
            }
        }
        if (needs.requests() && failure == null) {
            QueryOutcome o = prometheus.query("perf", queries.requests(batch), now);
            sent++;
            if (o instanceof QueryOutcome.Success ok) {
                for (Series s : ok.series()) {
                    String w = owner.apply(s);
                    if (w != null && s.size() > 0) {
                        String code = s.labels().getOrDefault(queries.statusCodeLabel(), "");
                        double[] totals = requests.computeIfAbsent(w, k -> new double[2]);
                        totals[0] += s.values()[0];
                        if (code.length() == 3 && code.charAt(0) == '5') {
                            totals[1] += s.values()[0];
                        }
                    }
                }
            } else {
                failure = (QueryOutcome.Failure) o;
            }
        }
        if (failure == null) {
            QueryOutcome o = prometheus.query("perf", queries.podCost(batch), now);
            sent++;
            if (o instanceof QueryOutcome.Success ok) {
                for (Series s : ok.series()) {
                    String w = owner.apply(s);
                    if (w != null && s.size() > 0) {
                        cost.merge(w, s.values()[0], Double::sum);
                    }
                }
            } else {
                failure = (QueryOutcome.Failure) o;
            }
        }
        for (String ns : batch) {
            sent += judge(ns, byNamespace.get(ns), now, failure, buckets, bucketsStep, requests, cost);
        }
        return sent;
    }

    /** Turns a namespace's share of a batch's answers into its targets' signals, reading templates where set. */
    private int judge(
            String ns,
            List<Target> group,
            Instant now,
            QueryOutcome.Failure failure,
            LatencyBuckets buckets,
            Duration bucketsStep,
            Map<String, double[]> requests,
            Map<String, Double> cost) {
        int sent = 0;
        for (Target t : group) {
            if (failure != null) {
                signals.put(
                        t.id(), Signals.unavailable(now, failure.kind().reason(), "Prometheus: " + failure.message()));
                continue;
            }
            String w = ns + "/" + WorkloadPods.key(t.plan().kind(), t.plan().workload());
            PerfPlan.Queries q = t.plan().queries();
            double[] req = requests.get(w);
            LatencyHistory history = null;
            if (q.latencyP95() == null) {
                history = buckets == null ? new LatencyHistory(bucketsStep, List.of()) : buckets.p95(w, bucketsStep);
            }
            Double latency = history == null ? null : latestAt(history, now);
            Double throughput = q.throughput() == null ? (req == null ? null : req[0]) : null;
            Double errors = q.errorRatio() == null ? (req == null || req[0] <= 0 ? null : req[1] / req[0]) : null;
            Signals out = null;
            String[][] templates = {
                {"latencyP95", q.latencyP95()}, {"errorRatio", q.errorRatio()}, {"throughput", q.throughput()}
            };
            for (String[] tpl : templates) {
                if (tpl[1] == null) {
                    continue;
                }
                String query =
                        queries.template(tpl[1], ns, t.plan().kind(), t.plan().workload());
                boolean latencyTemplate = "latencyP95".equals(tpl[0]);
                Duration latencyFor = t.latencyHistory() ? t.plan().regression().latencyFor() : Duration.ZERO;
                QueryOutcome o = latencyTemplate
                        ? prometheus.queryRange(
                                "perf-template",
                                query,
                                historyStart(now, latencyFor, historyStep(latencyFor)),
                                now,
                                historyStep(latencyFor))
                        : prometheus.query("perf-template", query, now);
                sent++;
                String field = "spec.metrics." + tpl[0];
                if (o instanceof QueryOutcome.Failure f) {
                    out = f.kind() == QueryOutcome.FailureKind.BadQuery
                            ? Signals.invalid(now, field, "Prometheus rejects " + field + ": " + f.message())
                            : Signals.unavailable(now, f.kind().reason(), field + ": " + f.message());
                    break;
                }
                List<Series> series = ((QueryOutcome.Success) o).series();
                if (series.size() > 1) {
                    out = Signals.unavailable(
                            now,
                            ConditionReason.AmbiguousQuery,
                            field + " returned " + series.size()
                                    + " series; aggregate it to one, e.g. sum(...) or max(...)");
                    break;
                }
                Series one = series.isEmpty() ? null : series.get(0);
                if (latencyTemplate) {
                    history = one == null
                            ? new LatencyHistory(historyStep(latencyFor), List.of())
                            : LatencyHistory.of(historyStep(latencyFor), one.timestamps(), one.values(), one.size());
                }
                Double v = latencyTemplate
                        ? latestAt(history, now)
                        : one == null || one.size() == 0 ? null : one.values()[0];
                switch (tpl[0]) {
                    case "latencyP95" -> latency = v;
                    case "errorRatio" -> errors = v;
                    default -> throughput = v;
                }
            }
            if (out == null) {
                out = judgeMissing(t, now, latency, errors, throughput, cost.get(w), latency == null ? null : history);
            }
            signals.put(t.id(), out);
        }
        return sent;
    }

    /**
     * The step of a latency history: about 20 points over latencyFor, never finer than 15 s (a finer step adds
     * points, not information, over a rate window of minutes).
     */
    static Duration historyStep(Duration latencyFor) {
        return Duration.ofSeconds(Math.max(15, (latencyFor.getSeconds() + 19) / 20));
    }

    /** Whole steps back from now covering latencyFor, so the last step falls on now. */
    static Instant historyStart(Instant now, Duration latencyFor, Duration step) {
        long steps = (latencyFor.getSeconds() + step.getSeconds() - 1) / step.getSeconds();
        return now.minus(step.multipliedBy(steps));
    }

    private static Double latestAt(LatencyHistory history, Instant now) {
        return history.at(now);
    }

    private Signals judgeMissing(
            Target t,
            Instant now,
            Double latency,
            Double errors,
            Double throughput,
            Double costPerHour,
            LatencyHistory history) {
        PerfPlan p = t.plan();
        String pods = p.kind() + " " + p.workload() + " (pods matching "
                + WorkloadPods.regex(p.kind(), p.workload()).replace("\\\\", "\\") + ")";
        if (throughput == null) {
            return new Signals(
                    now,
                    latency,
                    errors,
                    null,
                    costPerHour,
                    ConditionReason.NoData,
                    p.queries().throughput() == null
                            ? "no " + queries.histogram() + " series for " + pods
                            : "spec.metrics.throughput returned no series",
                    null,
                    history);
        }
        if (throughput <= 0) {
            return new Signals(
                    now,
                    latency,
                    errors,
                    throughput,
                    costPerHour,
                    ConditionReason.NoTraffic,
                    "no requests to " + p.kind() + " " + p.workload() + " in the last "
                            + io.costguard.config.Durations.format(queries.window()),
                    null,
                    history);
        }
        if (latency == null) {
            return new Signals(
                    now,
                    null,
                    errors,
                    throughput,
                    costPerHour,
                    ConditionReason.NoData,
                    p.queries().latencyP95() == null
                            ? "no " + queries.histogram() + "_bucket series for " + pods
                            : "spec.metrics.latencyP95 returned no series",
                    null,
                    null);
        }
        if (errors == null) {
            return new Signals(
                    now,
                    latency,
                    null,
                    throughput,
                    costPerHour,
                    ConditionReason.NoData,
                    "spec.metrics.errorRatio returned no series",
                    null,
                    history);
        }
        return new Signals(now, latency, errors, throughput, costPerHour, null, null, null, history);
    }

    private int readUsage(String ns, List<Target> group, Instant now) {
        List<Target> sized = group.stream()
                .filter(t -> t.plan().rightsizing().mode() != PerfPlan.Mode.Off)
                .toList();
        if (sized.isEmpty()) {
            return 0;
        }
        UsageReader.Read read = usageReader.read(ns, sized, now);
        usage.putAll(read.usage());
        return read.queries();
    }

    /** Whether the usage kept for a target was read for another percentile than its spec names now. */
    private boolean readForAnotherPercentile(Target t) {
        Usage u = usage.get(t.id());
        int p = t.plan().rightsizing().settings().percentile();
        return u != null
                && u.unavailable() == null
                && u.containers().values().stream()
                        .anyMatch(c -> c.cpu().samples() > 0 && !c.cpu().has(p));
    }

    /** Resolves pod names to the workload keys (kind/name) of a namespace's targets, each pod once per cycle. */
    static final class Owners {
        private final String namespace;
        private final java.util.Set<String> keys;
        private final Map<String, String> byPod = new HashMap<>();
        /** "namespace/workload key" by candidate name: an answer holds a workload in each of its bucket series. */
        private final Map<String, String> namespacedByDeployment = new HashMap<>();

        private final Map<String, String> namespacedByStatefulSet = new HashMap<>();

        Owners(List<Target> group) {
            this(null, group);
        }

        Owners(String namespace, List<Target> group) {
            this.namespace = namespace;
            keys = group.stream()
                    .map(t -> WorkloadPods.key(t.plan().kind(), t.plan().workload()))
                    .collect(Collectors.toSet());
        }

        /**
         * "namespace/workload key" of a per-workload series ({@link SignalQueries#DEPLOYMENT_LABEL} and
         * {@link SignalQueries#STATEFULSET_LABEL}), null when it belongs to none of the targets: the Deployment when it
         * is one, else the StatefulSet, as {@link #of(String)} decides for a pod.
         */
        String namespacedOf(Series s) {
            String deployment = s.labels().get(SignalQueries.DEPLOYMENT_LABEL);
            String known = deployment == null ? null : namespaced(namespacedByDeployment, "Deployment", deployment);
            if (known != null) {
                return known;
            }
            String statefulSet = s.labels().get(SignalQueries.STATEFULSET_LABEL);
            return statefulSet == null ? null : namespaced(namespacedByStatefulSet, "StatefulSet", statefulSet);
        }

        /** "namespace/kind/name" when that workload is a target, else null; remembered per name in {@code memo}. */
        private String namespaced(Map<String, String> memo, String kind, String name) {
            String known = memo.get(name);
            if (known == null && !memo.containsKey(name)) {
                String key = WorkloadPods.key(kind, name);
                known = keys.contains(key) ? namespace + "/" + key : null;
                memo.put(name, known);
            }
            return known;
        }

        /** The workload key of the pod, or null when it belongs to none of the targets. */
        String of(String pod) {
            if (pod == null) {
                return null;
            }
            return byPod.computeIfAbsent(pod, p -> {
                var d = WorkloadPods.deployment(p)
                        .map(n -> WorkloadPods.key("Deployment", n))
                        .filter(keys::contains);
                if (d.isPresent()) {
                    return d.get();
                }
                return WorkloadPods.statefulSet(p)
                        .map(n -> WorkloadPods.key("StatefulSet", n))
                        .filter(keys::contains)
                        .orElse(null);
            });
        }

        String of(Series s) {
            return of(s.labels().get("pod"));
        }
    }
}

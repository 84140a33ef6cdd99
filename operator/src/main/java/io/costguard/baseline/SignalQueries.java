package io.costguard.baseline;

import io.costguard.config.Durations;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import java.time.Duration;
import java.util.List;

/**
 * The PromQL PerfBaselines are judged by. Defaults are one query per signal for one namespace or several (then
 * also grouped by namespace), summed by the workload pod names belong to (see {@link WorkloadPods}; CPU usage for
 * rightsizing stays by pod, as figures over the lookback); spec.metrics templates are per workload.
 */
public final class SignalQueries {
    private final OperatorConfig.Performance perf;
    private final CostQueries cost;

    public SignalQueries(OperatorConfig.Performance perf, CostQueries cost) {
        this.perf = perf;
        this.cost = cost;
    }

    public Duration window() {
        return perf.window();
    }

    /** Label of a per-workload answer: the Deployment a pod's name would belong to (absent when none). */
    public static final String DEPLOYMENT_LABEL = "costguard_deployment";
    /** Label of a per-workload answer: the StatefulSet a pod's name would belong to (absent when none). */
    public static final String STATEFULSET_LABEL = "costguard_statefulset";

    /**
     * Rate of observations per bucket, by the workload a pod's name belongs to and upper bound, and by namespace when
     * several are read.
     */
    public String latencyBuckets(List<String> namespaces) {
        return byWorkload(
                namespaces,
                "le",
                "sum by (" + byNamespace(namespaces) + "pod, le) (rate(" + perf.durationHistogram() + "_bucket{"
                        + CostQueries.namespaceMatcher(namespaces) + "}[" + w() + "]))");
    }

    /** Requests per second by workload (as pods name it) and status code, and by namespace when several are read. */
    public String requests(List<String> namespaces) {
        return byWorkload(
                namespaces,
                perf.statusCodeLabel(),
                "sum by (" + byNamespace(namespaces) + "pod, " + perf.statusCodeLabel() + ") (rate("
                        + perf.durationHistogram() + "_count{" + CostQueries.namespaceMatcher(namespaces) + "}["
                        + w() + "]))");
    }

    /**
     * A per-pod answer summed by the workload each pod's name would belong to ({@link WorkloadPods}: a Deployment
     * candidate and a StatefulSet candidate as two labels, which pods of neither kind lack), so Prometheus sends a
     * series per workload instead of one per pod (a pod's 15 latency buckets, times its replicas). The operator picks
     * the candidate that is one of its targets, as it did with the pod names.
     */
    private static String byWorkload(List<String> namespaces, String also, String perPod) {
        return "sum by (" + byNamespace(namespaces) + DEPLOYMENT_LABEL + ", " + STATEFULSET_LABEL
                + (also == null ? "" : ", " + also) + ") (label_replace(label_replace(" + perPod + ", \""
                + DEPLOYMENT_LABEL + "\", \"$1\", \"pod\", \"" + WorkloadPods.DEPLOYMENT_POD_RE + "\"), \""
                + STATEFULSET_LABEL + "\", \"$1\", \"pod\", \"" + WorkloadPods.STATEFULSET_POD_RE + "\"))";
    }

    private static String byNamespace(List<String> namespaces) {
        return namespaces.size() > 1 ? "namespace, " : "";
    }

    /** The request-duration histogram's name, without _bucket/_count. */
    public String histogram() {
        return perf.durationHistogram();
    }

    public String statusCodeLabel() {
        return perf.statusCodeLabel();
    }

    /** Money per hour by namespace and workload (as pods name it), from the same source as cost attribution. */
    public String podCost(List<String> namespaces) {
        return byWorkload(namespaces, null, cost.podCostPerHour(namespaces));
    }

    /**
     * The {@code percentile}th percentile of each pod's CPU cores per container over the lookback, the rate taken
     * every {@code step} (a subquery: Prometheus sends one number per pod and container instead of every step).
     */
    public String cpuPercentile(String namespace, int percentile, Duration lookback, Duration step) {
        return "quantile_over_time(" + (percentile == 100 ? "1" : "0." + String.format("%02d", percentile)) + ", "
                + overLookback(cpuCores(namespace), lookback, step) + ")";
    }

    /** How many steps of the lookback each pod and container has a CPU rate at (see {@link #cpuPercentile}). */
    public String cpuSamples(String namespace, Duration lookback, Duration step) {
        return "count_over_time(" + overLookback(cpuCores(namespace), lookback, step) + ")";
    }

    /** The first step of the lookback (Unix seconds) at which each pod and container has a CPU rate. */
    public String cpuFirstSample(String namespace, Duration lookback, Duration step) {
        return "min_over_time(" + overLookback("timestamp(" + cpuCores(namespace) + ")", lookback, step) + ")";
    }

    /** {@code inner} evaluated every {@code step} over the lookback (a subquery). */
    private static String overLookback(String inner, Duration lookback, Duration step) {
        return inner + "[" + Durations.format(lookback) + ":" + Durations.format(step) + "]";
    }

    /** CPU cores used, by pod and container. */
    private String cpuCores(String namespace) {
        return "sum by (pod, container) (rate(container_cpu_usage_seconds_total{namespace=\"" + namespace
                + "\", container!=\"\", container!=\"POD\"}[" + w() + "]))";
    }

    /** Highest working set over the lookback, by pod and container. */
    public String memoryPeak(String namespace, Duration lookback) {
        return "max by (pod, container) (max_over_time(container_memory_working_set_bytes{namespace=\"" + namespace
                + "\", container!=\"\", container!=\"POD\"}[" + Durations.format(lookback) + "]))";
    }

    /**
     * Containers whose last termination in the lookback was an OOMKill (kube-state-metrics), each valued with the
     * memory limit its pod had: a pod's limit is fixed for its life, so that is the limit at the kill, whatever the
     * workload's template says now. Killed containers without a limit series are valued 0 (limit unknown).
     */
    public String oomKills(String namespace, Duration lookback) {
        String lb = Durations.format(lookback);
        String killed =
                "max by (pod, container) (max_over_time(kube_pod_container_status_last_terminated_reason{namespace=\""
                        + namespace + "\", reason=\"OOMKilled\"}[" + lb + "])) > 0";
        String limits = "max by (pod, container) (max_over_time(kube_pod_container_resource_limits{namespace=\""
                + namespace + "\", resource=\"memory\"}[" + lb + "]))";
        return "(" + limits + " and on (pod, container) (" + killed + ")) or on (pod, container) ((" + killed
                + ") * 0)";
    }

    /** A spec.metrics template with $namespace, $workload, $pods and $window filled in. */
    public String template(String template, String namespace, String kind, String workload) {
        return template.replace("$namespace", namespace)
                .replace("$workload", workload)
                .replace("$pods", WorkloadPods.regex(kind, workload))
                .replace("$window", w());
    }

    private String w() {
        return Durations.format(perf.window());
    }
}

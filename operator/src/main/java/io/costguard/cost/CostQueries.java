package io.costguard.cost;

import io.costguard.config.Durations;
import io.costguard.config.OperatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The PromQL of each cost source. Every query, evaluated at an hour end t with a 1h step, gives the
 * money spent in the hour (t-1h, t] per namespace and allocation labels.
 *
 * <p>Compute cost integrates a per-hour rate over a subquery: {@code sum_over_time(rate[~1h:res]) * res/1h},
 * twelve 5-minute points per hour, so a pod that lived for 20 minutes is charged for 20 minutes.
 */
public final class CostQueries {
    /** Name of the compute source in metrics and the ledger. */
    public static final String COMPUTE = "compute";
    /** Name of the persistent-volume source in metrics and the ledger. */
    public static final String STORAGE = "storage";
    /** Hours in the month a GiB-month price is for (OpenCost's and the cloud providers' 730). */
    static final double HOURS_PER_MONTH = 730;

    static final Duration RESOLUTION = Duration.ofMinutes(5);

    private final OperatorConfig config;

    public CostQueries(OperatorConfig config) {
        this.config = config;
    }

    public record SourceQuery(String name, String promql) {}

    public List<SourceQuery> all() {
        List<SourceQuery> out = new ArrayList<>();
        out.add(new SourceQuery(COMPUTE, compute()));
        out.add(new SourceQuery(STORAGE, storage()));
        for (OperatorConfig.ApplicationCost app : config.cost().applicationCosts()) {
            out.add(new SourceQuery("app:" + app.name(), app.query()));
        }
        return out;
    }

    /** Name of the node cost source idle cost is computed from. */
    public static final String NODES = "nodes";

    /**
     * A query read beside the cost sources, not cost per allocation key: node cost for idle, or a Query driver's
     * share per value of {@code valueLabel} (read as that label or {@code label_<valueLabel>}).
     */
    public record AuxiliaryQuery(String name, String promql, String valueLabel) {}

    /**
     * The node cost (for idle, unless it is hidden) and each Query driver of {@code attribution.shared[]}: one range
     * query each per cycle, whatever the number of budgets.
     */
    public List<AuxiliaryQuery> auxiliary() {
        List<AuxiliaryQuery> out = new ArrayList<>();
        if (config.attribution().idle() != OperatorConfig.IdleMode.Hide) {
            out.add(new AuxiliaryQuery(NODES, nodes(), ""));
        }
        for (OperatorConfig.SharedCost shared : config.attribution().shared()) {
            if (shared.driver() == io.costguard.config.ShareDriver.Query) {
                out.add(new AuxiliaryQuery(driverSource(shared.name()), shared.query(), shared.splitBy()));
            }
        }
        return out;
    }

    /** Source name of a shared entry's Query driver. */
    public static String driverSource(String sharedName) {
        return "driver:" + sharedName;
    }

    /**
     * Node cost of the cluster for the hour ending at each step, from OpenCost's {@code node_total_hourly_cost} (the
     * price of each node's whole capacity, not its allocatable share).
     */
    public String nodes() {
        return "sum_over_time((sum(node_total_hourly_cost))["
                + Durations.format(Duration.ofHours(1).minusSeconds(5)) + ":" + Durations.format(RESOLUTION) + "]) * "
                + number(RESOLUTION.toSeconds() / 3600.0);
    }

    /** Compute cost per (namespace, allocation labels) for the hour ending at each step. */
    public String compute() {
        return hourlyByAllocation(podRate(), null);
    }

    /** Compute money per hour per pod ({@code namespace, pod}) from the configured source, all namespaces. */
    public String podRate() {
        return switch (config.cost().source()) {
            case priceSheet -> priceSheetPerPod();
            case openCost -> openCostPerPod();
            case auto -> "(" + openCostPerPod() + ") or (" + priceSheetPerPod() + ")";
        };
    }

    /**
     * Compute cost over the {@code window} ending at the evaluation time per workload (namespace, owner kind and name)
     * and allocation labels, for the remediation list of untagged spend; pods without a labels series are included.
     */
    public String workloadCost(Duration window) {
        String labels = config.allocationKeys().stream().map(k -> "label_" + k).collect(Collectors.joining(", "));
        String owned = "(" + podRate() + ") * on (namespace, pod) group_left (owner_kind, owner_name) "
                + "max by (namespace, pod, owner_kind, owner_name) (kube_pod_owner)";
        String labelled = "(" + owned + ") * on (namespace, pod) group_left (" + labels + ") "
                + "max by (namespace, pod, " + labels + ") (kube_pod_labels)";
        String unlabelled = "(" + owned + ") unless on (namespace, pod) kube_pod_labels";
        String by = "namespace, owner_kind, owner_name, " + labels;
        return "sum by (" + by + ") (sum_over_time((sum by (" + by + ") ((" + labelled + ") or (" + unlabelled + ")))["
                + Durations.format(window.minusSeconds(5)) + ":" + Durations.format(RESOLUTION) + "])) * "
                + number(RESOLUTION.toSeconds() / 3600.0);
    }

    /**
     * Persistent volume cost per (namespace, allocation labels) for the hour ending at each step. A claim's cost per
     * hour is OpenCost's {@code pv_hourly_cost} (per GiB-hour) times its volume's capacity where OpenCost prices the
     * volume (not with {@code cost.source: priceSheet}), else its requested bytes times the GiB-month price of its
     * storage class over 730 hours. It is split evenly across the pods that mount the claim; a claim no pod mounts is
     * charged to its namespace's unattributed bucket.
     */
    public String storage() {
        String claim = "namespace, persistentvolumeclaim";
        String claimCost = switch (config.cost().source()) {
            case priceSheet -> claimCostFromPrices();
            case openCost, auto -> "(" + claimCostFromOpenCost() + ") or (" + claimCostFromPrices() + ")";
        };
        String mounts =
                "max by (namespace, pod, persistentvolumeclaim) (kube_pod_spec_volumes_persistentvolumeclaims_info)";
        String perMount =
                "(" + claimCost + ") / on (" + claim + ") group_left () count by (" + claim + ") (" + mounts + ")";
        String podRate =
                "sum by (namespace, pod) (" + mounts + " * on (" + claim + ") group_left () (" + perMount + "))";
        String unmounted = "sum by (namespace) ((" + claimCost + ") unless on (" + claim + ") " + mounts + ")";
        return hourlyByAllocation(podRate, unmounted);
    }

    private String claimCostFromOpenCost() {
        String volumeOfClaim = "label_replace(max by (namespace, persistentvolumeclaim, volumename) "
                + "(kube_persistentvolumeclaim_info{volumename!=\"\"}), \"persistentvolume\", \"$1\", \"volumename\", \"(.+)\")";
        String volumeCost = "max by (persistentvolume) (pv_hourly_cost) * on (persistentvolume) "
                + "max by (persistentvolume) (kube_persistentvolume_capacity_bytes) / 1073741824";
        return "sum by (namespace, persistentvolumeclaim) (" + volumeOfClaim
                + " * on (persistentvolume) group_left () (" + volumeCost + "))";
    }

    private String claimCostFromPrices() {
        OperatorConfig.Pricing p = config.pricing();
        String gib =
                "max by (namespace, persistentvolumeclaim) (kube_persistentvolumeclaim_resource_requests_storage_bytes)"
                        + " / 1073741824";
        String byDefault = "(" + gib + ") * " + number(p.storageGiBMonth() / HOURS_PER_MONTH);
        if (p.storageClasses().isEmpty()) {
            return byDefault;
        }
        List<String> classPrices = new ArrayList<>();
        p.storageClasses().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> classPrices.add(
                        "max by (namespace, persistentvolumeclaim) (kube_persistentvolumeclaim_info{storageclass=\""
                                + e.getKey() + "\"}) * " + number(e.getValue() / HOURS_PER_MONTH)));
        return "((" + gib + ") * on (namespace, persistentvolumeclaim) group_left () ("
                + String.join(" or ", classPrices) + ")) or " + byDefault;
    }

    /**
     * The money of a rate per hour, integrated over each hour and summed per (namespace, allocation labels):
     * {@code podRate} per (namespace, pod) is attributed through kube_pod_labels (pods without a labels series land
     * in unattributed), {@code namespaceRate} (per namespace, may be null) goes to unattributed as it is.
     */
    private String hourlyByAllocation(String podRate, String namespaceRate) {
        String labels = config.allocationKeys().stream().map(k -> "label_" + k).collect(Collectors.joining(", "));
        String attributed = "(" + podRate + ") * on (namespace, pod) group_left (" + labels + ") "
                + "max by (namespace, pod, " + labels + ") (kube_pod_labels)";
        // pods that kube-state-metrics has no labels series for still cost money: they land in unattributed
        String orphans = "(" + podRate + ") unless on (namespace, pod) kube_pod_labels";
        String unlabelled = namespaceRate == null ? orphans : orphans + ") or (" + namespaceRate;
        String hourly = "sum by (namespace, " + labels + ") ((" + attributed + ") or (" + unlabelled + "))";
        long res = RESOLUTION.toSeconds();
        // 59m55s, not 1h: Prometheus 2 closes range windows on the left, so [1h:5m] would hold 13 points, not 12
        Duration window = Duration.ofHours(1).minusSeconds(5);
        return "sum by (namespace, " + labels + ") (sum_over_time((" + hourly + ")[" + Durations.format(window) + ":"
                + Durations.format(RESOLUTION) + "]))" + " * " + number(res / 3600.0);
    }

    /**
     * Money per hour per pod from the price sheet: per container max(request, usage) of CPU cores and
     * memory GiB (OpenCost's allocation convention), plus requested GPUs.
     */
    String priceSheetPerPod() {
        return priceSheetPerPod("");
    }

    /**
     * Money per hour per pod of one namespace ({@code namespace, pod} labels), from the configured source; the
     * namespace matcher sits in every selector so Prometheus reads only that namespace's series.
     */
    public String podCostPerHour(String namespace) {
        return podCostPerHour(namespace, null, null);
    }

    /**
     * As {@link #podCostPerHour(String)}, for the pods whose names match {@code podRegex} (RE2) and not
     * {@code excludedPodRegex}, each when given.
     */
    public String podCostPerHour(String namespace, String podRegex, String excludedPodRegex) {
        return podCostPerHour(List.of(namespace), podRegex, excludedPodRegex);
    }

    /** As {@link #podCostPerHour(String)}, for several namespaces at once (still by namespace and pod). */
    public String podCostPerHour(List<String> namespaces) {
        return podCostPerHour(namespaces, null, null);
    }

    private String podCostPerHour(List<String> namespaces, String podRegex, String excludedPodRegex) {
        String m = namespaceMatcher(namespaces) + ", " + (podRegex == null ? "" : "pod=~\"" + podRegex + "\", ")
                + (excludedPodRegex == null ? "" : "pod!~\"" + excludedPodRegex + "\", ");
        return switch (config.cost().source()) {
            case priceSheet -> priceSheetPerPod(m);
            case openCost -> openCostPerPod(m);
            case auto -> "(" + openCostPerPod(m) + ") or (" + priceSheetPerPod(m) + ")";
        };
    }

    /**
     * {@code namespace="a"} for one namespace, {@code namespace=~"a|b"} for several (regex characters escaped; names
     * of namespaces have none).
     */
    public static String namespaceMatcher(List<String> namespaces) {
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("no namespace");
        }
        if (namespaces.size() == 1) {
            return "namespace=\"" + namespaces.get(0) + "\"";
        }
        StringBuilder b = new StringBuilder("namespace=~\"");
        for (int i = 0; i < namespaces.size(); i++) {
            if (i > 0) {
                b.append('|');
            }
            for (char c : namespaces.get(i).toCharArray()) {
                if (!Character.isLetterOrDigit(c) && c != '-' && c != '_') {
                    // a backslash for the regex, written as two in the PromQL string
                    b.append("\\\\");
                }
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private String priceSheetPerPod(String m) {
        OperatorConfig.Pricing p = config.pricing();
        String window = Durations.format(config.cost().rateWindow());
        String cpuRequest =
                "max by (namespace, pod, container) (kube_pod_container_resource_requests{" + m + "resource=\"cpu\"})";
        String cpuUsage = "max by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{" + m
                + "container!=\"\", container!=\"POD\"}[" + window + "]))";
        String memRequest = "max by (namespace, pod, container) (kube_pod_container_resource_requests{" + m
                + "resource=\"memory\"})";
        String memUsage = "max by (namespace, pod, container) (container_memory_working_set_bytes{" + m
                + "container!=\"\", container!=\"POD\"})";
        String gpuRequest = "sum by (namespace, pod) (kube_pod_container_resource_requests{" + m
                + "resource=~\"nvidia_com_gpu|nvidia.com/gpu\"})";
        String cpu = "sum by (namespace, pod) (" + largerOf(cpuRequest, cpuUsage) + ") * " + number(p.cpuCoreHour());
        String mem = "sum by (namespace, pod) (" + largerOf(memRequest, memUsage) + ") / 1073741824 * "
                + number(p.memoryGiBHour());
        String gpu = gpuRequest + " * " + number(p.gpuHour());
        return sumOfParts(cpu, mem, gpu);
    }

    /** Money per hour per pod from OpenCost's allocation and node price metrics. */
    String openCostPerPod() {
        return openCostPerPod("");
    }

    private static String openCostPerPod(String m) {
        String sel = m.isEmpty() ? "" : "{" + m.substring(0, m.length() - 2) + "}";
        String cpu = "sum by (namespace, pod) (container_cpu_allocation" + sel
                + " * on (node) group_left () max by (node) (node_cpu_hourly_cost))";
        String mem = "sum by (namespace, pod) (container_memory_allocation_bytes" + sel
                + " / 1073741824 * on (node) group_left () max by (node) (node_ram_hourly_cost))";
        String gpu = "sum by (namespace, pod) (container_gpu_allocation" + sel
                + " * on (node) group_left () max by (node) (node_gpu_hourly_cost))";
        return sumOfParts(cpu, mem, gpu);
    }

    /** Element-wise max of two vectors with the same labels, keeping elements present on one side only. */
    private static String largerOf(String a, String b) {
        return "max by (namespace, pod, container) (label_replace(" + a
                + ", \"side\", \"a\", \"\", \"\") or label_replace(" + b + ", \"side\", \"b\", \"\", \"\"))";
    }

    /** Sum of per-pod vectors where a pod may be missing from some of them. */
    private static String sumOfParts(String... parts) {
        StringBuilder b = new StringBuilder("sum by (namespace, pod) (");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append("label_replace(")
                    .append(parts[i])
                    .append(", \"part\", \"")
                    .append(i)
                    .append("\", \"\", \"\")");
        }
        return b.append(")").toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.10g", v).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
    }
}

package io.costguard.cost;

import io.costguard.config.Durations;
import io.costguard.config.OperatorConfig;
import io.costguard.config.OperatorConfig.CostSource;
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
  static final Duration RESOLUTION = Duration.ofMinutes(5);

  private final OperatorConfig config;

  public CostQueries(OperatorConfig config) {
    this.config = config;
  }

  public record SourceQuery(String name, String promql) {}

  public List<SourceQuery> all() {
    List<SourceQuery> out = new ArrayList<>();
    out.add(new SourceQuery(COMPUTE, compute()));
    for (OperatorConfig.ApplicationCost app : config.cost().applicationCosts()) {
      out.add(new SourceQuery("app:" + app.name(), app.query()));
    }
    return out;
  }

  /** Compute cost per (namespace, allocation labels) for the hour ending at each step. */
  public String compute() {
    String podRate = switch (config.cost().source()) {
      case priceSheet -> priceSheetPerPod();
      case openCost -> openCostPerPod();
      case auto -> "(" + openCostPerPod() + ") or (" + priceSheetPerPod() + ")";
    };
    String labels = config.allocationKeys().stream().map(k -> "label_" + k).collect(Collectors.joining(", "));
    String attributed = "(" + podRate + ") * on (namespace, pod) group_left (" + labels + ") "
        + "max by (namespace, pod, " + labels + ") (kube_pod_labels)";
    // pods that kube-state-metrics has no labels series for still cost money: they land in unattributed
    String orphans = "(" + podRate + ") unless on (namespace, pod) kube_pod_labels";
    String hourly = "sum by (namespace, " + labels + ") ((" + attributed + ") or (" + orphans + "))";
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
    String m = "namespace=\"" + namespace + "\", " + (podRegex == null ? "" : "pod=~\"" + podRegex + "\", ")
        + (excludedPodRegex == null ? "" : "pod!~\"" + excludedPodRegex + "\", ");
    return switch (config.cost().source()) {
      case priceSheet -> priceSheetPerPod(m);
      case openCost -> openCostPerPod(m);
      case auto -> "(" + openCostPerPod(m) + ") or (" + priceSheetPerPod(m) + ")";
    };
  }

  private String priceSheetPerPod(String m) {
    OperatorConfig.Pricing p = config.pricing();
    String window = Durations.format(config.cost().rateWindow());
    String cpuRequest = "max by (namespace, pod, container) (kube_pod_container_resource_requests{" + m + "resource=\"cpu\"})";
    String cpuUsage = "max by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{" + m + "container!=\"\", container!=\"POD\"}[" + window + "]))";
    String memRequest = "max by (namespace, pod, container) (kube_pod_container_resource_requests{" + m + "resource=\"memory\"})";
    String memUsage = "max by (namespace, pod, container) (container_memory_working_set_bytes{" + m + "container!=\"\", container!=\"POD\"})";
    String gpuRequest = "sum by (namespace, pod) (kube_pod_container_resource_requests{" + m + "resource=~\"nvidia_com_gpu|nvidia.com/gpu\"})";
    String cpu = "sum by (namespace, pod) (" + largerOf(cpuRequest, cpuUsage) + ") * " + number(p.cpuCoreHour());
    String mem = "sum by (namespace, pod) (" + largerOf(memRequest, memUsage) + ") / 1073741824 * " + number(p.memoryGiBHour());
    String gpu = gpuRequest + " * " + number(p.gpuHour());
    return sumOfParts(cpu, mem, gpu);
  }

  /** Money per hour per pod from OpenCost's allocation and node price metrics. */
  String openCostPerPod() {
    return openCostPerPod("");
  }

  private static String openCostPerPod(String m) {
    String sel = m.isEmpty() ? "" : "{" + m.substring(0, m.length() - 2) + "}";
    String cpu = "sum by (namespace, pod) (container_cpu_allocation" + sel + " * on (node) group_left () max by (node) (node_cpu_hourly_cost))";
    String mem = "sum by (namespace, pod) (container_memory_allocation_bytes" + sel + " / 1073741824 * on (node) group_left () max by (node) (node_ram_hourly_cost))";
    String gpu = "sum by (namespace, pod) (container_gpu_allocation" + sel + " * on (node) group_left () max by (node) (node_gpu_hourly_cost))";
    return sumOfParts(cpu, mem, gpu);
  }

  /** Element-wise max of two vectors with the same labels, keeping elements present on one side only. */
  private static String largerOf(String a, String b) {
    return "max by (namespace, pod, container) (label_replace(" + a + ", \"side\", \"a\", \"\", \"\") or label_replace(" + b + ", \"side\", \"b\", \"\", \"\"))";
  }

  /** Sum of per-pod vectors where a pod may be missing from some of them. */
  private static String sumOfParts(String... parts) {
    StringBuilder b = new StringBuilder("sum by (namespace, pod) (");
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append(" or ");
      }
      b.append("label_replace(").append(parts[i]).append(", \"part\", \"").append(i).append("\", \"\", \"\")");
    }
    return b.append(")").toString();
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.10g", v).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
  }
}

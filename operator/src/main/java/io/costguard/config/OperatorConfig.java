package io.costguard.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything the operator reads at start, from environment and an optional YAML file. Immutable. */
public record OperatorConfig(
    PrometheusSettings prometheus,
    Duration evaluationInterval,
    Duration staleAfter,
    Pricing pricing,
    CostSettings cost,
    List<String> allocationKeys,
    Set<String> watchNamespaces,
    LeaderElection leaderElection,
    int httpPort,
    boolean serverSideApply,
    String operatorNamespace,
    String instance,
    Duration clockOffset) {

  public static final List<String> DEFAULT_ALLOCATION_KEYS = List.of("tenant", "feature", "team", "environment");

  public OperatorConfig {
    allocationKeys = List.copyOf(allocationKeys);
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  public record PrometheusSettings(
      URI url, Optional<Path> bearerTokenFile, Optional<Path> caFile, Map<String, String> headers, Duration timeout) {
    public PrometheusSettings {
      headers = Map.copyOf(headers);
    }
  }

  /** Prices of the built-in price sheet, per hour, in {@code currency}. */
  public record Pricing(String currency, double cpuCoreHour, double memoryGiBHour, double gpuHour) {}

  public enum CostSource {
    /** OpenCost's allocation metrics where a pod has them, the price sheet for every other pod. */
    auto,
    priceSheet,
    openCost
  }

  /** An application-reported cost: PromQL whose value at t is the money spent in the hour ending at t. */
  public record ApplicationCost(String name, String query) {}

  public record CostSettings(CostSource source, Duration rateWindow, List<ApplicationCost> applicationCosts) {
    public CostSettings {
      applicationCosts = List.copyOf(applicationCosts);
    }
  }

  /** With {@code enabled}, replicas elect a leader through a Lease; only the leader reads cost and reconciles. */
  public record LeaderElection(boolean enabled, String leaseName) {}
}

package io.costguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RightsizingPlanTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final double MIB = Rightsizer.MIB;
  final Rightsizer rightsizer = new Rightsizer(new Rightsizer.Settings(Rightsizer.Profile.LatencySensitive, 95, 0.10, Duration.ofHours(24),
      Duration.ofHours(24), null, null, null, null));

  static Usage usage(Map<String, Usage.Container> containers) {
    return new Usage(NOW, containers, null);
  }

  static Usage.Container steady(double cores, double peakMib, Duration history) {
    double[] s = new double[100];
    java.util.Arrays.fill(s, cores);
    return new Usage.Container(s, history, peakMib * MIB, false);
  }

  @Test
  void requestsAndProportionalLimitsPerContainer() {
    var plan = RightsizingPlan.of(rightsizer, List.of(
        new RightsizingPlan.Container("app", Map.of("cpu", "1", "memory", "1Gi"), Map.of("cpu", "2", "memory", "2Gi")),
        new RightsizingPlan.Container("sidecar", Map.of("cpu", "100m", "memory", "64Mi"), Map.of())),
        usage(Map.of("app", steady(0.5, 400, Duration.ofDays(7)), "sidecar", steady(0.08, 50, Duration.ofDays(7)))), false, null, NOW);
    assertThat(plan.next()).containsOnlyKeys("app");
    assertThat(plan.next().get("app").requests).containsEntry("cpu", "650m").containsEntry("memory", "520Mi");
    assertThat(plan.next().get("app").limits).containsEntry("cpu", "1300m").containsEntry("memory", "1040Mi");
    // sidecar: 0.08 × 1.3 = 104m is within 10 % of 100m, so CPU stays; memory 65Mi (+1.6 %) stays as well
    assertThat(plan.recommendations().get(1).cpuRequest.recommended).isEqualTo("100m");
    assertThat(plan.previous().get("app").requests).containsEntry("cpu", "1");
    assertThat(plan.patch()).isEqualTo("""
        spec:
          template:
            spec:
              containers:
              - name: app
                resources:
                  requests:
                    cpu: 650m
                    memory: 520Mi
                  limits:
                    cpu: 1300m
                    memory: 1040Mi
        """);
  }

  @Test
  void tooLittleHistoryRecommendsNothingAndSaysHowMuch() {
    var plan = RightsizingPlan.of(rightsizer, List.of(new RightsizingPlan.Container("app", Map.of("cpu", "1"), Map.of())),
        usage(Map.of("app", steady(0.5, 400, Duration.ofHours(5)))), false, null, NOW);
    assertThat(plan.lowConfidence()).isEqualTo("app: 5h of usage history, need 24h");
    assertThat(plan.changes()).isFalse();
    assertThat(plan.recommendations().get(0).cpuRequest).isNull();
  }

  @Test
  void quantitiesAreWrittenTheKubernetesWay() {
    assertThat(RightsizingPlan.cpuQuantity(2.0)).isEqualTo("2");
    assertThat(RightsizingPlan.cpuQuantity(0.6504)).isEqualTo("650m");
    assertThat(RightsizingPlan.memoryQuantity(1024 * MIB)).isEqualTo("1Gi");
    assertThat(RightsizingPlan.memoryQuantity(520 * MIB)).isEqualTo("520Mi");
  }
}

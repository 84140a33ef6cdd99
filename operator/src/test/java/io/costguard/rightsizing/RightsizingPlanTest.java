package io.costguard.rightsizing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RightsizingPlanTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final double MIB = Rightsizer.MIB;
    final Rightsizer rightsizer = new Rightsizer(new Rightsizer.Settings(
            Rightsizer.Profile.LatencySensitive,
            95,
            0.10,
            Duration.ofHours(24),
            Duration.ofHours(24),
            null,
            null,
            null,
            null));

    static Usage usage(Map<String, Usage.Container> containers) {
        return new Usage(NOW, containers, null);
    }

    static Usage.Container steady(double cores, double peakMib, Duration history) {
        double[] s = new double[100];
        java.util.Arrays.fill(s, cores);
        return new Usage.Container(s, history, peakMib * MIB, false, null);
    }

    @Test
    void requestsAndProportionalLimitsPerContainer() {
        var plan = RightsizingPlan.of(
                rightsizer,
                List.of(
                        new RightsizingPlan.Container(
                                "app", Map.of("cpu", "1", "memory", "1Gi"), Map.of("cpu", "2", "memory", "2Gi")),
                        new RightsizingPlan.Container("sidecar", Map.of("cpu", "100m", "memory", "64Mi"), Map.of())),
                usage(Map.of(
                        "app", steady(0.5, 400, Duration.ofDays(7)), "sidecar", steady(0.08, 50, Duration.ofDays(7)))),
                false,
                null,
                NOW);
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

    static Usage.Container killed(double cores, double peakMib, Double limitAtKillMib) {
        double[] s = new double[100];
        java.util.Arrays.fill(s, cores);
        return new Usage.Container(
                s, Duration.ofDays(7), peakMib * MIB, true, limitAtKillMib == null ? null : limitAtKillMib * MIB);
    }

    /** The template after applying a plan: its new resources where it changes them. */
    static List<RightsizingPlan.Container> applied(RightsizingPlan plan, List<RightsizingPlan.Container> before) {
        return before.stream()
                .map(c -> {
                    var r = plan.next().get(c.name());
                    return r == null
                            ? c
                            : new RightsizingPlan.Container(
                                    c.name(),
                                    r.requests == null ? Map.of() : r.requests,
                                    r.limits == null ? Map.of() : r.limits);
                })
                .toList();
    }

    @Test
    void anOomKillRaisesMemoryOnceFromTheLimitAtTheKillNotOnEveryApply() {
        Rightsizer batch = new Rightsizer(new Rightsizer.Settings(
                Rightsizer.Profile.Batch,
                95,
                0.10,
                Duration.ofHours(24),
                Duration.ofHours(24),
                null,
                null,
                null,
                8192 * MIB));
        var template = List.of(new RightsizingPlan.Container(
                "app", Map.of("cpu", "500m", "memory", "512Mi"), Map.of("cpu", "1", "memory", "640Mi")));
        // killed at its 640Mi limit; the working set peaked at 600Mi
        var usage = usage(Map.of("app", killed(0.4, 600, 640.0)));
        var first = RightsizingPlan.of(batch, template, usage, false, null, NOW);
        // 640Mi × 1.2 = 768Mi beats the peak + 15 % (690Mi); the limit keeps its proportion: 640 × 768/512 = 960Mi
        assertThat(first.next().get("app").requests).containsEntry("memory", "768Mi");
        assertThat(first.next().get("app").limits).containsEntry("memory", "960Mi");
        assertThat(first.recommendations().get(0).basis)
                .endsWith("; memory raised 20 % above the limit 640Mi the container had when OOMKilled");
        // a cooldown later, the same history (the kill at 640Mi) against the new template: nothing more to do
        // (taking the template's 960Mi as the limit at the kill gave 1152Mi, then 1728Mi, ... up to the bound)
        var second =
                RightsizingPlan.of(batch, applied(first, template), usage, false, NOW.minus(Duration.ofDays(2)), NOW);
        assertThat(second.changes()).isFalse();
        assertThat(second.recommendations().get(0).memoryRequest.recommended).isEqualTo("768Mi");
        assertThat(second.patch()).isNull();
    }

    /**
     * Apply, let the new resources become the template, recompute over the same usage history (the same past
     * OOMKill): the recommendation converges in at most one step, whatever the figures.
     */
    @Property(tries = 300)
    void applyingThenRecomputingGivesTheSameRecommendation(
            @ForAll @IntRange(min = 10, max = 4000) int cpuRequestMilli,
            @ForAll @IntRange(min = 100, max = 400) int cpuLimitPercent,
            @ForAll @IntRange(min = 1, max = 4000) int usageMilli,
            @ForAll @IntRange(min = 16, max = 8192) int memRequestMib,
            @ForAll @IntRange(min = 100, max = 400) int memLimitPercent,
            @ForAll @IntRange(min = 8, max = 8192) int peakMib,
            @ForAll boolean oomKilled,
            @ForAll @IntRange(min = 0, max = 8192) int limitAtKillMib,
            @ForAll boolean batch,
            @ForAll @IntRange(min = 1, max = 30) int minChangePercent,
            @ForAll @IntRange(min = 256, max = 16384) int maxMib,
            @ForAll @IntRange(min = 2, max = 6) int cycles) {
        Rightsizer r = new Rightsizer(new Rightsizer.Settings(
                batch ? Rightsizer.Profile.Batch : Rightsizer.Profile.LatencySensitive,
                95,
                minChangePercent / 100.0,
                Duration.ofHours(24),
                Duration.ofHours(24),
                0.01,
                8.0,
                32 * MIB,
                maxMib * MIB));
        var template = List.of(new RightsizingPlan.Container(
                "app",
                Map.of("cpu", RightsizingPlan.cpuQuantity(cpuRequestMilli / 1000.0), "memory", memRequestMib + "Mi"),
                Map.of(
                        "cpu",
                        RightsizingPlan.cpuQuantity(cpuRequestMilli * cpuLimitPercent / 100 / 1000.0),
                        "memory",
                        memRequestMib * memLimitPercent / 100 + "Mi")));
        double[] samples = new double[100];
        java.util.Arrays.fill(samples, usageMilli / 1000.0);
        // limitAtKill 0 stands for "kube-state-metrics has no limit for the killed pod"
        var usage = usage(Map.of(
                "app",
                new Usage.Container(
                        samples,
                        Duration.ofDays(7),
                        peakMib * MIB,
                        oomKilled,
                        oomKilled && limitAtKillMib > 0 ? limitAtKillMib * MIB : null)));
        var current = template;
        RightsizingPlan plan = RightsizingPlan.of(r, current, usage, false, null, NOW);
        var recommended = plan.recommendations().get(0);
        int changes = 0;
        for (int i = 0; i < cycles; i++) {
            if (plan.changes()) {
                changes++;
                current = applied(plan, current);
            }
            plan = RightsizingPlan.of(r, current, usage, false, NOW.minus(Duration.ofDays(2)), NOW);
            if (i == 0) {
                recommended = plan.recommendations().get(0);
            }
            assertThat(plan.recommendations().get(0).memoryRequest.recommended)
                    .isEqualTo(recommended.memoryRequest.recommended);
            assertThat(plan.recommendations().get(0).cpuRequest.recommended)
                    .isEqualTo(recommended.cpuRequest.recommended);
        }
        assertThat(changes).isLessThanOrEqualTo(1);
        assertThat(plan.changes()).isFalse();
    }

    @Test
    void tooLittleHistoryRecommendsNothingAndSaysHowMuch() {
        var plan = RightsizingPlan.of(
                rightsizer,
                List.of(new RightsizingPlan.Container("app", Map.of("cpu", "1"), Map.of())),
                usage(Map.of("app", steady(0.5, 400, Duration.ofHours(5)))),
                false,
                null,
                NOW);
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

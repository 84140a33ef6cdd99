package io.costguard.rightsizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RightsizerTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final double GI = 1024 * Rightsizer.MIB;

    static Rightsizer.Settings settings(
            Rightsizer.Profile p, Double cpuMin, Double cpuMax, Double memMin, Double memMax) {
        return new Rightsizer.Settings(
                p, 95, 0.10, Duration.ofHours(24), Duration.ofHours(24), cpuMin, cpuMax, memMin, memMax);
    }

    static Rightsizer.Observed observed(Double cpu, Double mem, double[] samples, double peak) {
        return new Rightsizer.Observed(
                "api", cpu, mem, CpuPercentiles.of(samples), peak, Duration.ofDays(7), false, null, false, null);
    }

    static double[] ramp(int n, double max) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = max * (i + 1) / n;
        }
        return s;
    }

    @Test
    void percentilePlusHeadroomPerProfile() {
        // 100 samples 0.01..1.00 cores: p95 = 0.95; +30 % = 1.235; +15 % = 1.0925 → rounded up to the millicore
        var latency = new Rightsizer(settings(Rightsizer.Profile.LatencySensitive, null, null, null, null))
                .recommend(observed(2.0, 2 * GI, ramp(100, 1.0), 500 * Rightsizer.MIB), NOW);
        assertThat(latency.cpu().recommended()).isCloseTo(1.235, within(1e-9));
        assertThat(latency.memory().recommended()).isEqualTo(650 * Rightsizer.MIB);
        var batch = new Rightsizer(settings(Rightsizer.Profile.Batch, null, null, null, null))
                .recommend(observed(2.0, 2 * GI, ramp(100, 1.0), 500 * Rightsizer.MIB), NOW);
        assertThat(batch.cpu().recommended()).isCloseTo(1.093, within(1e-9));
        assertThat(batch.memory().recommended()).isEqualTo(575 * Rightsizer.MIB);
        assertThat(batch.basis()).isEqualTo("p95 of CPU and peak memory + 15 % (Batch)");
    }

    @Test
    void aPercentileNotReadYetIsNoRecommendation() {
        // usage read for p90 before the spec changed to p95: nothing is recommended (or applied) from the wrong figure
        var read = CpuPercentiles.acrossPods(List.of(new CpuPercentiles.Pod(0.4, 2016, 0)), 90, 12);
        var result = new Rightsizer(settings(Rightsizer.Profile.LatencySensitive, null, null, null, null))
                .recommend(
                        new Rightsizer.Observed(
                                "api",
                                2.0,
                                2 * GI,
                                read,
                                500 * Rightsizer.MIB,
                                Duration.ofDays(7),
                                false,
                                null,
                                false,
                                null),
                        NOW);
        assertThat(result.lowConfidence())
                .isEqualTo("LowConfidence: the p95 of CPU usage is not read yet (read at the next evaluation)");
        assertThat(result.mayApply()).isFalse();
        assertThat(result.cpu()).isNull();
    }

    @Property
    void memoryNeverBelowThePeakAndCpuWithinBounds(
            @ForAll @Size(min = 1, max = 300) double[] samplesRaw,
            @ForAll @DoubleRange(min = 1e6, max = 64e9) double peak,
            @ForAll @DoubleRange(min = 1e6, max = 64e9) double memMax,
            @ForAll @DoubleRange(min = 0.01, max = 2) double cpuMin,
            @ForAll @DoubleRange(min = 0, max = 6) double cpuSpan) {
        double[] samples = java.util.Arrays.stream(samplesRaw)
                .map(v -> Double.isFinite(v) ? Math.abs(v) % 16 : 0)
                .toArray();
        var r = new Rightsizer(settings(
                        Rightsizer.Profile.LatencySensitive, cpuMin, cpuMin + cpuSpan, 64 * Rightsizer.MIB, memMax))
                .recommend(observed(null, null, samples, peak), NOW);
        assertThat(r.memory().recommended()).isGreaterThanOrEqualTo(peak);
        if (memMax >= Rightsizer.roundUpMib(peak * 1.3)) {
            assertThat(r.memory().recommended()).isLessThanOrEqualTo(Math.max(memMax, 64 * Rightsizer.MIB));
        }
        assertThat(r.cpu().recommended()).isBetween(cpuMin, cpuMin + cpuSpan);
    }

    @Property
    void changesBelowMinChangeAreIgnored(
            @ForAll @IntRange(min = 100, max = 4000) int currentMilli,
            @ForAll @IntRange(min = 1, max = 4000) int p95Milli) {
        double current = currentMilli / 1000.0;
        double[] samples = new double[] {p95Milli / 1000.0};
        var r = new Rightsizer(settings(Rightsizer.Profile.LatencySensitive, null, null, null, null))
                .recommend(observed(current, GI, samples, 100 * Rightsizer.MIB), NOW);
        double wanted = Math.ceil(p95Milli / 1000.0 * 1.3 * 1000) / 1000;
        boolean small = Math.abs(wanted - current) / current < 0.10;
        assertThat(r.cpu().changed()).isEqualTo(!small);
        assertThat(r.cpu().recommended()).isEqualTo(small ? current : wanted);
    }

    @Test
    void anHpaOnCpuLeavesCpuAloneAndSaysWhy() {
        var o = new Rightsizer.Observed(
                "api",
                1.0,
                GI,
                CpuPercentiles.of(ramp(100, 0.2)),
                300 * Rightsizer.MIB,
                Duration.ofDays(7),
                false,
                null,
                true,
                null);
        var r = new Rightsizer(settings(Rightsizer.Profile.LatencySensitive, null, null, null, null)).recommend(o, NOW);
        assertThat(r.cpu().changed()).isFalse();
        assertThat(r.cpu().recommended()).isEqualTo(1.0);
        assertThat(r.cpu().reason()).contains("HPA");
        assertThat(r.memory().changed()).isTrue();
    }

    @Test
    void anOomKillRaisesMemoryAboveWhatItHad() {
        var o = new Rightsizer.Observed(
                "api",
                1.0,
                512 * Rightsizer.MIB,
                CpuPercentiles.of(ramp(100, 0.5)),
                500 * Rightsizer.MIB,
                Duration.ofDays(7),
                true,
                512 * Rightsizer.MIB,
                false,
                null);
        var r = new Rightsizer(settings(Rightsizer.Profile.Batch, null, null, null, null)).recommend(o, NOW);
        // peak + 15 % = 575Mi; 512Mi × 1.2 = 615Mi (rounded up to 615Mi): the larger wins
        assertThat(r.memory().recommended()).isEqualTo(Rightsizer.roundUpMib(512 * Rightsizer.MIB * 1.2));
        assertThat(r.memory().reason()).isEqualTo("raised 20 % above the limit 512Mi the container had when OOMKilled");
    }

    @Test
    void withoutTheLimitAtTheKillTheRaiseIsFromThePeakAndSaysSo() {
        var o = new Rightsizer.Observed(
                "api",
                1.0,
                512 * Rightsizer.MIB,
                CpuPercentiles.of(ramp(100, 0.5)),
                600 * Rightsizer.MIB,
                Duration.ofDays(7),
                true,
                null,
                false,
                null);
        var r = new Rightsizer(settings(Rightsizer.Profile.Batch, null, null, null, null)).recommend(o, NOW);
        // peak + 15 % = 690Mi; peak × 1.2 = 720Mi: one step above what was seen, not above the request or a limit an
        // Apply set
        assertThat(r.memory().recommended()).isEqualTo(720 * Rightsizer.MIB);
        assertThat(r.memory().reason())
                .isEqualTo(
                        "raised 20 % above the peak working set 600Mi after an OOMKill; kube-state-metrics has no "
                                + "memory limit for the OOMKilled pod, so the raise is from the peak, not from the current limit");
    }

    @Test
    void boundsBelowThePeakKeepThePeak() {
        var r = new Rightsizer(settings(Rightsizer.Profile.LatencySensitive, null, null, null, 256 * Rightsizer.MIB))
                .recommend(observed(1.0, GI, ramp(10, 0.5), 400 * Rightsizer.MIB), NOW);
        assertThat(r.memory().recommended()).isEqualTo(400 * Rightsizer.MIB);
        assertThat(r.memory().reason()).contains("below the observed peak");
    }

    @Test
    void cooldownAndLowConfidence() {
        Rightsizer s = new Rightsizer(settings(Rightsizer.Profile.LatencySensitive, null, null, null, null));
        var recent = new Rightsizer.Observed(
                "api",
                1.0,
                GI,
                CpuPercentiles.of(ramp(10, 0.5)),
                100 * Rightsizer.MIB,
                Duration.ofDays(7),
                false,
                null,
                false,
                NOW.minus(Duration.ofHours(23)));
        assertThat(s.recommend(recent, NOW).mayApply()).isFalse();
        var due = new Rightsizer.Observed(
                "api",
                1.0,
                GI,
                CpuPercentiles.of(ramp(10, 0.5)),
                100 * Rightsizer.MIB,
                Duration.ofDays(7),
                false,
                null,
                false,
                NOW.minus(Duration.ofHours(24)));
        assertThat(s.recommend(due, NOW).mayApply()).isTrue();
        var young = new Rightsizer.Observed(
                "api",
                1.0,
                GI,
                CpuPercentiles.of(ramp(10, 0.5)),
                100 * Rightsizer.MIB,
                Duration.ofHours(10),
                false,
                null,
                false,
                null);
        var r = s.recommend(young, NOW);
        assertThat(r.lowConfidence()).isEqualTo("LowConfidence: 10h of usage history, need 24h");
        assertThat(r.cpu()).isNull();
    }
}

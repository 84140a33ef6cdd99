package io.costguard.rightsizing;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Rightsizing of one container (DESIGN.md section 3), pure: CPU request from a percentile of usage over the
 * lookback, memory from the peak working set, each plus the profile's headroom (LatencySensitive 30 %, Batch 15 %),
 * within bounds. Memory never below the observed peak and raised after an OOMKill; CPU left alone when an HPA
 * scales on it; changes smaller than {@code minChange} ignored; too little history is LowConfidence, not a guess.
 */
public final class Rightsizer {
    public static final double MIB = 1024.0 * 1024;
    /** After an OOMKill, memory goes to at least this multiple of what the container had. */
    public static final double OOM_BUMP = 1.2;

    public enum Profile {
        LatencySensitive(0.30),
        Batch(0.15);

        final double headroom;

        Profile(double headroom) {
            this.headroom = headroom;
        }

        public double headroom() {
            return headroom;
        }
    }

    /** Settings from the spec; bounds in cores and bytes (null = unbounded). */
    public record Settings(
            Profile profile,
            int percentile,
            double minChange,
            Duration cooldown,
            Duration minHistory,
            Double cpuMin,
            Double cpuMax,
            Double memoryMin,
            Double memoryMax) {}

    /**
     * What was observed for one container: current requests (null when unset), CPU usage percentiles in cores, the peak
     * working set in bytes, how much history the usage covers, whether it was OOMKilled in the lookback (and the
     * memory limit the killed pod had, or null when unknown), whether an HPA scales the workload on CPU, and when
     * rightsizing last applied.
     */
    public record Observed(
            String container,
            Double cpuRequest,
            Double memoryRequest,
            CpuPercentiles cpu,
            double memoryPeak,
            Duration history,
            boolean oomKilled,
            Double limitAtKill,
            boolean hpaOnCpu,
            Instant lastApplied) {}

    /** One resource: current, recommended (equal to current when unchanged), and why it is what it is. */
    public record Change(Double current, double recommended, boolean changed, String reason) {}

    /** The outcome; {@code lowConfidence} non-null means no recommendation, with have/need. */
    public record Result(
            String container, Change cpu, Change memory, String lowConfidence, boolean mayApply, String basis) {}

    private final Settings settings;

    public Rightsizer(Settings settings) {
        this.settings = settings;
    }

    public Result recommend(Observed o, Instant now) {
        String basis = "p" + settings.percentile() + " of CPU and peak memory + "
                + Math.round(settings.profile().headroom() * 100) + " % (" + settings.profile() + ")";
        if (o.history().compareTo(settings.minHistory()) < 0 || o.cpu().samples() == 0) {
            return new Result(
                    o.container(),
                    null,
                    null,
                    "LowConfidence: " + hours(o.history()) + " of usage history, need " + hours(settings.minHistory()),
                    false,
                    basis);
        }
        if (!o.cpu().has(settings.percentile())) {
            // the spec's percentile changed since the usage was read: the collector reads it at its next cycle
            return new Result(
                    o.container(),
                    null,
                    null,
                    "LowConfidence: the p" + settings.percentile()
                            + " of CPU usage is not read yet (read at the next evaluation)",
                    false,
                    basis);
        }
        double factor = 1 + settings.profile().headroom();

        Change cpu;
        if (o.hpaOnCpu()) {
            cpu = new Change(
                    o.cpuRequest(),
                    o.cpuRequest() == null ? 0 : o.cpuRequest(),
                    false,
                    "an HPA scales this workload on CPU: CPU requests are left alone (changing them moves the HPA's target)");
        } else {
            double raw = Math.ceil(o.cpu().at(settings.percentile()) * factor * 1000) / 1000;
            double bounded = clamp(raw, settings.cpuMin(), settings.cpuMax());
            bounded = Math.max(bounded, 0.001);
            cpu = settle(o.cpuRequest(), bounded, bounded != raw ? "within spec.rightsizing.bounds.cpu" : basis);
        }

        double raw = roundUpMib(o.memoryPeak() * factor);
        String why = basis;
        if (o.oomKilled()) {
            // Only what the killed pod had, never the template's current limit: that may hold an earlier raise, and
            // bumping it again on every Apply would ratchet memory up to the bound. Without the limit at the kill, the
            // peak working set (a killed container peaks near its limit) is the one figure that an Apply cannot move.
            boolean known = o.limitAtKill() != null;
            double had = known ? o.limitAtKill() : o.memoryPeak();
            double bumped = roundUpMib(had * OOM_BUMP);
            if (bumped > raw) {
                raw = bumped;
                why = "raised " + Math.round((OOM_BUMP - 1) * 100) + " % above "
                        + (known
                                ? "the limit " + mib(had) + " the container had when OOMKilled"
                                : "the peak working set " + mib(had) + " after an OOMKill");
            }
            if (!known) {
                why = why
                        + "; kube-state-metrics has no memory limit for the OOMKilled pod, so the raise is from the peak, not from the current limit";
            }
        }
        double memory = clamp(raw, settings.memoryMin(), settings.memoryMax());
        if (memory != raw) {
            why = "within spec.rightsizing.bounds.memory";
        }
        double floor = roundUpMib(o.memoryPeak());
        if (memory < floor) {
            memory = floor;
            why = "spec.rightsizing.bounds.memory.max is below the observed peak " + mib(o.memoryPeak())
                    + ": kept at the peak";
        }
        Change mem = o.oomKilled() && o.memoryRequest() != null && memory > o.memoryRequest()
                ? new Change(o.memoryRequest(), memory, true, why)
                : settle(o.memoryRequest(), memory, why);

        boolean mayApply =
                o.lastApplied() == null || !now.isBefore(o.lastApplied().plus(settings.cooldown()));
        return new Result(o.container(), cpu, mem, null, mayApply, basis);
    }

    private Change settle(Double current, double recommended, String reason) {
        if (current == null || current <= 0) {
            return new Change(current, recommended, true, reason);
        }
        if (Math.abs(recommended - current) / current < settings.minChange()) {
            return new Change(
                    current,
                    current,
                    false,
                    "a change of " + percent(Math.abs(recommended - current) / current)
                            + " is below spec.rightsizing.minChange " + percent(settings.minChange()));
        }
        return new Change(current, recommended, true, reason);
    }

    private static double clamp(double v, Double min, Double max) {
        double out = v;
        if (min != null && out < min) {
            out = min;
        }
        if (max != null && out > max) {
            out = max;
        }
        return out;
    }

    static double roundUpMib(double bytes) {
        return Math.ceil(bytes / MIB) * MIB;
    }

    private static String mib(double bytes) {
        return Math.round(bytes / MIB) + "Mi";
    }

    private static String percent(double f) {
        return String.format(Locale.ROOT, "%.1f %%", f * 100);
    }

    private static String hours(Duration d) {
        return d.toHours() + "h";
    }
}

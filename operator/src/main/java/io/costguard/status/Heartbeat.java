package io.costguard.status;

import java.time.Duration;
import java.time.Instant;

/**
 * When a status time stamp that only says "still evaluated" (PerfBaseline's {@code lastEvaluated}) is worth a status
 * write of its own. Every other change is written at once and carries the fresh stamp; with nothing else changed,
 * the stamp is refreshed once it is older than this object's share of {@code every}: between half of it and all of
 * it, fixed per object (from its uid), so objects created together do not all refresh in the same cycle.
 */
public record Heartbeat(Duration every) {
    /** The longest a stamp stays unrefreshed when nothing else changes; never shorter than an evaluation interval. */
    public static final Duration DEFAULT = Duration.ofHours(1);

    public Heartbeat {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("a heartbeat needs a positive period, not " + every);
        }
    }

    /** The default heartbeat, or the evaluation interval when that is longer (each evaluation refreshes then). */
    public static Heartbeat forInterval(Duration interval) {
        return new Heartbeat(interval != null && interval.compareTo(DEFAULT) > 0 ? interval : DEFAULT);
    }

    /** The age at which this object's stamp is refreshed: in [every / 2, every], the same for the same uid. */
    public Duration periodFor(String uid) {
        long half = every.toMillis() / 2;
        long spread = Math.floorMod(mix(uid == null ? 0 : uid.hashCode()), half + 1);
        return Duration.ofMillis(half + spread);
    }

    /** True when a stamp written at {@code last} should be refreshed by a write at {@code now}. */
    public boolean due(Instant last, Instant now, String uid) {
        return last == null || !now.isBefore(last.plus(periodFor(uid)));
    }

    /** Spreads similar hash codes (uids differ in a few characters) over the whole range. */
    private static long mix(int h) {
        long x = h * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }
}

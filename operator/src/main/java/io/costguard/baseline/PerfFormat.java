package io.costguard.baseline;

import java.math.BigDecimal;
import java.math.MathContext;

/** How PerfBaseline values are written to status: latency as a Prometheus duration in ms, numbers as plain decimals. */
public final class PerfFormat {
    private PerfFormat() {}

    /** Seconds as a Prometheus duration to the millisecond, e.g. 231ms or 1s234ms (copyable into spec.baseline). */
    public static String latency(Double seconds) {
        if (seconds == null) {
            return null;
        }
        long ms = Math.round(seconds * 1000);
        if (ms < 1000) {
            return ms + "ms";
        }
        String whole = io.costguard.config.Durations.format(java.time.Duration.ofSeconds(ms / 1000));
        return ms % 1000 == 0 ? whole : whole + (ms % 1000) + "ms";
    }

    /** Four significant digits, no exponent, no trailing zeros, e.g. "0.0011", "96.4", "1234". */
    public static String number(Double v) {
        if (v == null) {
            return null;
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Change in percent, one decimal, as status writes it. */
    public static double change(double current, double baseline) {
        return Math.round((current - baseline) / baseline * 1000) / 10.0;
    }
}

package io.costguard.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus duration syntax: {@code 30s}, {@code 15m}, {@code 1h30m}, {@code 7d}, {@code 1w}, {@code 250ms}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(ms|s|m|h|d|w|y))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w|y)");

    private Durations() {}

    /** Parses a duration, or throws {@link IllegalArgumentException} saying what is accepted. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text.trim()).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; use Prometheus syntax such as 30s, 15m, 1h30m or 7d");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text.trim());
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            case "d" -> Duration.ofDays(n);
                            case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
                            default -> Duration.ofDays(Math.multiplyExact(365, n));
                        });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return total;
    }

    /** Formats a whole-second duration in Prometheus syntax, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        long[] units = {86400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                b.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return b.toString();
    }
}

package io.costguard.api;

import io.costguard.config.Durations;
import java.time.Duration;
import java.util.List;

/** Reading one spec field of the kinds every validator has (durations, latencies, ratios, decimals), problems named. */
public final class SpecFields {
    /** The most characters of a user's value a message repeats. */
    public static final int MAX_QUOTED = 120;

    private SpecFields() {}

    /**
     * A user's value as a message repeats it: in single quotes, on one line, and cut to {@link #MAX_QUOTED} characters
     * with the full length said, so a 10,000-character value never fills an admission answer or a status condition.
     */
    public static String quote(Object value) {
        return "'" + cut(String.valueOf(value)) + "'";
    }

    /** {@code text} on one line (line breaks and tabs written as \\n, \\r, \\t), cut as {@link #quote} cuts. */
    public static String cut(String text) {
        String s = text;
        if (s.length() > MAX_QUOTED) {
            int end = Character.isHighSurrogate(s.charAt(MAX_QUOTED - 1)) ? MAX_QUOTED - 1 : MAX_QUOTED;
            s = s.substring(0, end) + "…(" + text.length() + " characters)";
        }
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    /** A duration, or null with a problem; {@code text} must not be null. */
    public static Duration duration(String field, String text, boolean zeroAllowed, List<SpecProblem> problems) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() && !zeroAllowed) {
                problems.add(new SpecProblem(field, quote(text) + " must be longer than zero"));
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(field, quote(text) + " is not a duration such as 30s, 15m, 1h30m or 7d"));
            return null;
        }
    }

    /** Seconds of a latency written as a duration; null when unset or wrong (with a problem). */
    public static Double latency(String field, String text, List<SpecProblem> problems) {
        if (text == null) {
            return null;
        }
        Duration d = duration(field, text, false, problems);
        return d == null ? null : d.toNanos() / 1e9;
    }

    /** A share between 0 and 1; null when unset or wrong (with a problem). */
    public static Double ratio(String field, String text, List<SpecProblem> problems) {
        Double v = decimal(field, text, problems);
        if (v != null && v > 1) {
            problems.add(new SpecProblem(
                    field, quote(text) + " is above 1; write a share between 0 and 1, e.g. \"0.002\" for 0.2 %"));
            return null;
        }
        return v;
    }

    /** A plain quoted decimal (no sign, no exponent); null when unset or wrong (with a problem). */
    public static Double decimal(String field, String text, List<SpecProblem> problems) {
        if (text == null) {
            return null;
        }
        if (!text.matches(ApiPatterns.DECIMAL)) {
            problems.add(new SpecProblem(
                    field, quote(text) + " is not a plain decimal such as \"0.12\" (quoted, no sign or exponent)"));
            return null;
        }
        return Double.parseDouble(text);
    }
}

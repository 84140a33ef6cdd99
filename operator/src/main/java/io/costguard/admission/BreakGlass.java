package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The break-glass annotations: {@code costguard.io/break-glass: "<reason>"} beside
 * {@code costguard.io/break-glass-until: <RFC 3339>}, in the future and at most the configured maximum after the
 * admission time. A farther {@code until} is refused, not clamped, so nobody opens a scope for a week by accident.
 */
public final class BreakGlass {
    public static final String REASON = "costguard.io/break-glass";
    public static final String UNTIL = "costguard.io/break-glass-until";

    /** Absent (no annotation), valid (with its reason), or refused (with why). */
    public record Status(boolean present, boolean valid, String reason, String problem) {}

    private BreakGlass() {}

    public static Status of(JsonNode object, Instant now, Duration maxAge) {
        JsonNode annotations = object == null ? null : object.path("metadata").path("annotations");
        return of(
                annotations == null ? "" : annotations.path(REASON).asText(""),
                annotations == null ? "" : annotations.path(UNTIL).asText(""),
                now,
                maxAge);
    }

    /** The same judgement from the two annotation values ("" when unset). */
    public static Status of(String reasonValue, String untilValue, Instant now, Duration maxAge) {
        String reason = reasonValue == null ? "" : reasonValue.trim();
        String until = untilValue == null ? "" : untilValue.trim();
        if (reason.isEmpty() && until.isEmpty()) {
            return new Status(false, false, null, null);
        }
        String fix = "set " + REASON + ": \"<reason>\" and " + UNTIL + ": <RFC 3339 time at most " + humane(maxAge)
                + " from now>";
        if (reason.isEmpty()) {
            return refused(REASON + " is empty: a break-glass needs a reason; " + fix);
        }
        if (until.isEmpty()) {
            return refused(UNTIL + " is missing: a break-glass must say when it ends; " + fix);
        }
        Instant end;
        try {
            end = java.time.OffsetDateTime.parse(until).toInstant();
        } catch (DateTimeParseException e) {
            return refused(UNTIL + " " + io.costguard.api.SpecFields.quote(until)
                    + " is not an RFC 3339 time such as 2026-11-23T10:30:00Z; " + fix);
        }
        if (!end.isAfter(now)) {
            return refused("the break-glass expired at " + until + "; " + fix);
        }
        if (end.isAfter(now.plus(maxAge))) {
            return refused(UNTIL + " " + until + " is more than " + humane(maxAge) + " away (the maximum); " + fix);
        }
        return new Status(true, true, reason, null);
    }

    private static Status refused(String why) {
        return new Status(true, false, null, why);
    }

    static String humane(Duration d) {
        return io.costguard.config.Durations.format(d);
    }
}

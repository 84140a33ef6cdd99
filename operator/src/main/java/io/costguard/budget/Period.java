package io.costguard.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/** Calendar-aligned budget periods, computed in the budget's time zone. */
public enum Period {
    Daily,
    Weekly,
    Monthly,
    Quarterly;

    /** The period containing {@code at}: [start, end) as instants. Midnight that does not exist (DST) starts at the first valid instant. */
    public Window windowAt(Instant at, ZoneId zone) {
        LocalDate day = at.atZone(zone).toLocalDate();
        LocalDate start = switch (this) {
            case Daily -> day;
            case Weekly -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case Monthly -> day.withDayOfMonth(1);
            case Quarterly ->
                day.withMonth(((day.getMonthValue() - 1) / 3) * 3 + 1).withDayOfMonth(1);
        };
        return windowFrom(start.atStartOfDay(), zone);
    }

    /**
     * The period of this length that starts at {@code start} (local time in {@code zone}), for a start given by
     * hand; a local time that does not exist (DST) moves forward by the gap.
     */
    public Window windowFrom(LocalDateTime start, ZoneId zone) {
        LocalDateTime end = switch (this) {
            case Daily -> start.plusDays(1);
            case Weekly -> start.plusWeeks(1);
            case Monthly -> start.plusMonths(1);
            case Quarterly -> start.plusMonths(3);
        };
        return new Window(start.atZone(zone).toInstant(), end.atZone(zone).toInstant());
    }

    /** [start, end) of one period. */
    public record Window(Instant start, Instant end) {
        public boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }
}

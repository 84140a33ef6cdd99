package io.costguard.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
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
      case Quarterly -> day.withMonth(((day.getMonthValue() - 1) / 3) * 3 + 1).withDayOfMonth(1);
    };
    LocalDate end = switch (this) {
      case Daily -> start.plusDays(1);
      case Weekly -> start.plusWeeks(1);
      case Monthly -> start.plusMonths(1);
      case Quarterly -> start.plusMonths(3);
    };
    return new Window(start.atStartOfDay(zone).toInstant(), end.atStartOfDay(zone).toInstant());
  }

  /** [start, end) of one period. */
  public record Window(Instant start, Instant end) {
    public boolean contains(Instant t) {
      return !t.isBefore(start) && t.isBefore(end);
    }
  }
}

package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Calendar-aligned periods: [start, end) in the budget's time zone (DESIGN.md section 2, period and timeZone). */
class PeriodTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    private static final ZoneId CHATHAM = ZoneId.of("Pacific/Chatham");

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }

    private static Period.Window window(String start, String end) {
        return new Period.Window(t(start), t(end));
    }

    @Nested
    class InUtc {
        @Test
        void dailyIsTheCalendarDay() {
            assertThat(Period.Daily.windowAt(t("2026-11-23T06:00:00Z"), UTC))
                    .isEqualTo(window("2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"));
        }

        @Test
        void weeklyStartsOnIsoMonday() {
            // 2026-11-23 is a Monday; Wednesday and Sunday of that week share its window
            Period.Window week = window("2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z");
            assertThat(Period.Weekly.windowAt(t("2026-11-23T00:00:00Z"), UTC)).isEqualTo(week);
            assertThat(Period.Weekly.windowAt(t("2026-11-25T12:00:00Z"), UTC)).isEqualTo(week);
            assertThat(Period.Weekly.windowAt(t("2026-11-29T23:59:59Z"), UTC)).isEqualTo(week);
        }

        @Test
        void weekSpanningNewYearStartsOnTheMondayOfTheOldYear() {
            // 2026-01-01 is a Thursday
            assertThat(Period.Weekly.windowAt(t("2026-01-01T10:00:00Z"), UTC))
                    .isEqualTo(window("2025-12-29T00:00:00Z", "2026-01-05T00:00:00Z"));
        }

        @Test
        void monthlyEndingOnThe31stRollsIntoFebruary() {
            assertThat(Period.Monthly.windowAt(t("2027-01-31T23:59:59Z"), UTC))
                    .isEqualTo(window("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"));
            assertThat(Period.Monthly.windowAt(t("2027-02-01T00:00:00Z"), UTC))
                    .isEqualTo(window("2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z"));
        }

        @Test
        void februaryOfALeapYearHas29Days() {
            Period.Window feb = Period.Monthly.windowAt(t("2028-02-29T12:00:00Z"), UTC);
            assertThat(feb).isEqualTo(window("2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"));
            assertThat(Duration.between(feb.start(), feb.end())).isEqualTo(Duration.ofDays(29));
            Period.Window nonLeap = Period.Monthly.windowAt(t("2027-02-14T12:00:00Z"), UTC);
            assertThat(Duration.between(nonLeap.start(), nonLeap.end())).isEqualTo(Duration.ofDays(28));
        }

        @Test
        void decemberRollsIntoTheNextYear() {
            assertThat(Period.Monthly.windowAt(t("2026-12-31T23:00:00Z"), UTC))
                    .isEqualTo(window("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z"));
        }

        @ParameterizedTest(name = "{0} is in the quarter [{1}, {2})")
        @CsvSource({
            "2026-01-01T00:00:00Z, 2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z",
            "2026-02-15T00:00:00Z, 2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z",
            "2026-03-31T23:59:59Z, 2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z",
            "2026-04-01T00:00:00Z, 2026-04-01T00:00:00Z, 2026-07-01T00:00:00Z",
            "2026-06-30T23:59:59Z, 2026-04-01T00:00:00Z, 2026-07-01T00:00:00Z",
            "2026-07-01T00:00:00Z, 2026-07-01T00:00:00Z, 2026-10-01T00:00:00Z",
            "2026-09-30T12:00:00Z, 2026-07-01T00:00:00Z, 2026-10-01T00:00:00Z",
            "2026-10-01T00:00:00Z, 2026-10-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "2026-12-31T23:59:59Z, 2026-10-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "2028-02-29T00:00:00Z, 2028-01-01T00:00:00Z, 2028-04-01T00:00:00Z",
        })
        void quartersStartInJanuaryAprilJulyAndOctober(String at, String start, String end) {
            assertThat(Period.Quarterly.windowAt(t(at), UTC)).isEqualTo(window(start, end));
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "Daily,     2026-11-24T00:00:00Z, 2026-11-24T00:00:00Z, 2026-11-25T00:00:00Z",
            "Weekly,    2026-11-30T00:00:00Z, 2026-11-30T00:00:00Z, 2026-12-07T00:00:00Z",
            "Monthly,   2026-12-01T00:00:00Z, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "Quarterly, 2027-01-01T00:00:00Z, 2027-01-01T00:00:00Z, 2027-04-01T00:00:00Z",
        })
        void anInstantExactlyAtABoundaryBelongsToTheNewPeriod(
                Period period, String boundary, String start, String end) {
            assertThat(period.windowAt(t(boundary), UTC)).isEqualTo(window(start, end));
            Period.Window before = period.windowAt(t(boundary).minusNanos(1), UTC);
            assertThat(before.end()).isEqualTo(t(boundary));
            assertThat(before.contains(t(boundary))).isFalse();
        }
    }

    @Nested
    class InOtherTimeZones {
        @Test
        void berlinMonthStartsAtLocalMidnight() {
            // November 2026 in Berlin is CET (+01:00) throughout
            assertThat(Period.Monthly.windowAt(t("2026-11-15T12:00:00Z"), BERLIN))
                    .isEqualTo(window("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z"));
        }

        @Test
        void berlinLocalMidnightIsTheBoundaryNotUtcMidnight() {
            // 2026-10-31T23:00Z is already 1 November in Berlin
            assertThat(Period.Monthly.windowAt(t("2026-10-31T23:00:00Z"), BERLIN)
                            .start())
                    .isEqualTo(t("2026-10-31T23:00:00Z"));
            assertThat(Period.Monthly.windowAt(t("2026-10-31T22:59:59Z"), BERLIN)
                            .end())
                    .isEqualTo(t("2026-10-31T23:00:00Z"));
        }

        @Test
        void berlinSpringForwardDayIs23HoursLong() {
            Period.Window day = Period.Daily.windowAt(t("2026-03-29T12:00:00Z"), BERLIN);
            assertThat(day).isEqualTo(window("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"));
            assertThat(Duration.between(day.start(), day.end())).isEqualTo(Duration.ofHours(23));
        }

        @Test
        void berlinFallBackDayIs25HoursLong() {
            Period.Window day = Period.Daily.windowAt(t("2026-10-25T12:00:00Z"), BERLIN);
            assertThat(day).isEqualTo(window("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"));
            assertThat(Duration.between(day.start(), day.end())).isEqualTo(Duration.ofHours(25));
        }

        @Test
        void berlinInstantsInsideTheRepeatedHourBelongToTheSameDay() {
            // 02:30 local happens twice on 2026-10-25: at 00:30Z (CEST) and at 01:30Z (CET)
            Period.Window first = Period.Daily.windowAt(t("2026-10-25T00:30:00Z"), BERLIN);
            Period.Window second = Period.Daily.windowAt(t("2026-10-25T01:30:00Z"), BERLIN);
            assertThat(first).isEqualTo(second);
        }

        @Test
        void berlinMarchHasOneHourLessAndOctoberOneHourMore() {
            Period.Window march = Period.Monthly.windowAt(t("2026-03-15T00:00:00Z"), BERLIN);
            assertThat(march).isEqualTo(window("2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z"));
            assertThat(Duration.between(march.start(), march.end()))
                    .isEqualTo(Duration.ofDays(31).minusHours(1));
            Period.Window october = Period.Monthly.windowAt(t("2026-10-15T00:00:00Z"), BERLIN);
            assertThat(Duration.between(october.start(), october.end()))
                    .isEqualTo(Duration.ofDays(31).plusHours(1));
        }

        @Test
        void newYorkDstDays() {
            Period.Window spring = Period.Daily.windowAt(t("2026-03-08T12:00:00Z"), NEW_YORK);
            assertThat(spring).isEqualTo(window("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"));
            Period.Window fall = Period.Daily.windowAt(t("2026-11-01T12:00:00Z"), NEW_YORK);
            assertThat(fall).isEqualTo(window("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"));
            assertThat(Duration.between(fall.start(), fall.end())).isEqualTo(Duration.ofHours(25));
        }

        @Test
        void newYorkEveningInUtcIsStillThePreviousLocalDay() {
            // 2026-12-01T03:00Z is 30 November, 22:00 in New York
            assertThat(Period.Monthly.windowAt(t("2026-12-01T03:00:00Z"), NEW_YORK))
                    .isEqualTo(window("2026-11-01T04:00:00Z", "2026-12-01T05:00:00Z"));
        }

        @Test
        void kolkataHalfHourOffset() {
            // 2026-11-30T20:00Z is 1 December, 01:30 in Kolkata (+05:30)
            assertThat(Period.Monthly.windowAt(t("2026-11-30T20:00:00Z"), KOLKATA))
                    .isEqualTo(window("2026-11-30T18:30:00Z", "2026-12-31T18:30:00Z"));
            assertThat(Period.Daily.windowAt(t("2026-11-30T18:29:59Z"), KOLKATA))
                    .isEqualTo(window("2026-11-29T18:30:00Z", "2026-11-30T18:30:00Z"));
        }

        @Test
        void kolkataQuarterBoundary() {
            assertThat(Period.Quarterly.windowAt(t("2026-03-31T18:30:00Z"), KOLKATA))
                    .isEqualTo(window("2026-03-31T18:30:00Z", "2026-06-30T18:30:00Z"));
        }

        @Test
        void chathamQuarterHourOffsetAndDateLine() {
            // January is summer time in Chatham: +13:45; 2026-01-01T00:00Z is already 13:45 local on 1 January
            assertThat(Period.Daily.windowAt(t("2026-01-01T00:00:00Z"), CHATHAM))
                    .isEqualTo(window("2025-12-31T10:15:00Z", "2026-01-01T10:15:00Z"));
            assertThat(Period.Monthly.windowAt(t("2026-01-01T00:00:00Z"), CHATHAM))
                    .isEqualTo(window("2025-12-31T10:15:00Z", "2026-01-31T10:15:00Z"));
            // and 2025-12-31T10:00Z is still 2025 there: Q4
            assertThat(Period.Quarterly.windowAt(t("2025-12-31T10:00:00Z"), CHATHAM)
                            .end())
                    .isEqualTo(t("2025-12-31T10:15:00Z"));
        }

        @Test
        void chathamDstDays() {
            // summer time ends 2026-04-05 03:45 (+13:45 -> +12:45), starts 2026-09-27 02:45 (+12:45 -> +13:45)
            Period.Window longDay = Period.Daily.windowAt(t("2026-04-05T00:00:00Z"), CHATHAM);
            assertThat(longDay).isEqualTo(window("2026-04-04T10:15:00Z", "2026-04-05T11:15:00Z"));
            assertThat(Duration.between(longDay.start(), longDay.end())).isEqualTo(Duration.ofHours(25));
            Period.Window shortDay = Period.Daily.windowAt(t("2026-09-27T00:00:00Z"), CHATHAM);
            assertThat(shortDay).isEqualTo(window("2026-09-26T11:15:00Z", "2026-09-27T10:15:00Z"));
            assertThat(Duration.between(shortDay.start(), shortDay.end())).isEqualTo(Duration.ofHours(23));
        }

        @Test
        void weeklyInBerlinAcrossTheDstChange() {
            // week of Monday 2026-03-23 (CET) to Monday 2026-03-30 (CEST): 167 h
            Period.Window week = Period.Weekly.windowAt(t("2026-03-29T12:00:00Z"), BERLIN);
            assertThat(week).isEqualTo(window("2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z"));
            assertThat(Duration.between(week.start(), week.end())).isEqualTo(Duration.ofHours(167));
        }
    }

    @Nested
    class WindowContains {
        @Test
        void startIsInsideAndEndIsOutside() {
            Period.Window w = window("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
            assertThat(w.contains(t("2026-11-01T00:00:00Z"))).isTrue();
            assertThat(w.contains(t("2026-11-30T23:59:59.999999999Z"))).isTrue();
            assertThat(w.contains(t("2026-12-01T00:00:00Z"))).isFalse();
            assertThat(w.contains(t("2026-10-31T23:59:59.999999999Z"))).isFalse();
        }
    }

    // ---- properties ----------------------------------------------------------------------------------------

    private static final long FROM_2000 = 946_684_800L;
    private static final long TO_2100 = 4_102_444_800L;

    @Provide
    Arbitrary<ZoneId> namedZones() {
        return Arbitraries.of(
                        "UTC",
                        "Europe/Berlin",
                        "America/New_York",
                        "Asia/Kolkata",
                        "Pacific/Chatham",
                        "Australia/Lord_Howe",
                        "America/Sao_Paulo",
                        "Asia/Tokyo")
                .map(ZoneId::of);
    }

    @Provide
    Arbitrary<ZoneId> everyZone() {
        return Arbitraries.of(ZoneId.getAvailableZoneIds().stream().sorted().toList())
                .map(ZoneId::of);
    }

    @Property(tries = 2000)
    void theWindowContainsTheInstantAndStartsBeforeItEnds(
            @ForAll Period period,
            @ForAll("everyZone") ZoneId zone,
            @ForAll @LongRange(min = FROM_2000, max = TO_2100) long epochSecond) {
        Instant at = Instant.ofEpochSecond(epochSecond);
        Period.Window w = period.windowAt(at, zone);
        assertThat(w.contains(at)).as("%s %s %s -> %s", period, zone, at, w).isTrue();
        assertThat(w.start()).isBefore(w.end());
    }

    @Property(tries = 2000)
    void adjacentPeriodsTileTime(
            @ForAll Period period,
            @ForAll("everyZone") ZoneId zone,
            @ForAll @LongRange(min = FROM_2000, max = TO_2100) long epochSecond) {
        Period.Window w = period.windowAt(Instant.ofEpochSecond(epochSecond), zone);
        Period.Window next = period.windowAt(w.end(), zone);
        assertThat(next.start()).as("%s %s: window after %s", period, zone, w).isEqualTo(w.end());
        Period.Window previous = period.windowAt(w.start().minusNanos(1), zone);
        assertThat(previous.end()).isEqualTo(w.start());
    }

    @Property(tries = 1000)
    void everyInstantOfAWindowMapsToThatWindow(
            @ForAll Period period,
            @ForAll("namedZones") ZoneId zone,
            @ForAll @LongRange(min = FROM_2000, max = TO_2100) long epochSecond,
            @ForAll @LongRange(min = 0, max = 1_000_000) long permille) {
        Period.Window w = period.windowAt(Instant.ofEpochSecond(epochSecond), zone);
        long span = Duration.between(w.start(), w.end()).toNanos();
        Instant inside = w.start().plusNanos(span / 1_000_000 * permille);
        if (!inside.isBefore(w.end())) {
            inside = w.end().minusNanos(1);
        }
        assertThat(period.windowAt(inside, zone)).isEqualTo(w);
    }

    @Property(tries = 2000)
    void durationIsWithinTheCalendarBoundsOfThePeriodKind(
            @ForAll Period period,
            @ForAll("namedZones") ZoneId zone,
            @ForAll @LongRange(min = FROM_2000, max = TO_2100) long epochSecond) {
        Period.Window w = period.windowAt(Instant.ofEpochSecond(epochSecond), zone);
        Duration d = Duration.between(w.start(), w.end());
        // DST shifts are at most one hour in these zones (Lord Howe: 30 minutes)
        Duration dst = Duration.ofHours(1);
        List<Duration> bounds = switch (period) {
            case Daily ->
                List.of(Duration.ofDays(1).minus(dst), Duration.ofDays(1).plus(dst));
            case Weekly ->
                List.of(Duration.ofDays(7).minus(dst), Duration.ofDays(7).plus(dst));
            case Monthly ->
                List.of(Duration.ofDays(28).minus(dst), Duration.ofDays(31).plus(dst));
            case Quarterly ->
                List.of(Duration.ofDays(90).minus(dst), Duration.ofDays(92).plus(dst));
        };
        assertThat(d).as("%s in %s at %s", period, zone, w).isBetween(bounds.get(0), bounds.get(1));
    }

    @Property(tries = 500)
    void inUtcEveryWindowStartsAtMidnightAndHasAnExactCalendarLength(
            @ForAll Period period, @ForAll @LongRange(min = FROM_2000, max = TO_2100) long epochSecond) {
        Period.Window w = period.windowAt(Instant.ofEpochSecond(epochSecond), UTC);
        assertThat(w.start().getEpochSecond() % 86_400).isZero();
        assertThat(w.end().getEpochSecond() % 86_400).isZero();
        long days = Duration.between(w.start(), w.end()).toDays();
        switch (period) {
            case Daily -> assertThat(days).isEqualTo(1);
            case Weekly -> {
                assertThat(days).isEqualTo(7);
                assertThat(w.start().atZone(UTC).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
            }
            case Monthly -> assertThat(w.start().atZone(UTC).getDayOfMonth()).isEqualTo(1);
            case Quarterly -> assertThat(w.start().atZone(UTC).getMonthValue()).isIn(1, 4, 7, 10);
        }
    }
}

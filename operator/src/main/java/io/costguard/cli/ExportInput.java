package io.costguard.cli;

import io.costguard.forecast.HourlyCsv;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** What the model commands share: reading an hourly billing export and a time zone, errors as one line. */
final class ExportInput {
    private ExportInput() {}

    /** The export's rows before {@code --as-of} (all when it is null), or empty after a one-line error. */
    static Optional<HourlyCsv> read(String csv, String asOf, ZoneId zone, Output output) {
        return read(csv, output).flatMap(all -> asOf(all, asOf, zone, output));
    }

    private static Optional<HourlyCsv> read(String csv, Output output) {
        try (Reader in = "-".equals(csv) ? new InputStreamReader(System.in) : Files.newBufferedReader(Path.of(csv))) {
            return Optional.of(HourlyCsv.read(in));
        } catch (HourlyCsv.FormatException e) {
            output.error(csv + ", " + e.getMessage());
        } catch (IOException e) {
            output.error("cannot read " + csv + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /** {@code --as-of}: the rows before it, or a one-line error when none is left. */
    private static Optional<HourlyCsv> asOf(HourlyCsv series, String asOf, ZoneId zone, Output output) {
        if (asOf == null) {
            return Optional.of(series);
        }
        Optional<ZonedDateTime> at = time("--as-of", asOf, zone, output);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        Optional<HourlyCsv> cut = series.before(at.get().toEpochSecond());
        if (cut.isEmpty()) {
            output.error("--as-of " + asOf + " is not after the file's first row ("
                    + Instant.ofEpochSecond(series.firstHour() * 3600) + "); no row is left to read");
        }
        return cut;
    }

    /** A time option given as RFC 3339 (2026-11-10T00:00:00Z) or as a date (2026-11-10: midnight in {@code zone}). */
    static Optional<ZonedDateTime> time(String option, String text, ZoneId zone, Output output) {
        try {
            return Optional.of(LocalDate.parse(text).atStartOfDay(zone));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant().atZone(zone));
            } catch (DateTimeParseException e2) {
                output.error(
                        option + " '" + text + "' is neither RFC 3339 (2026-11-10T00:00:00Z) nor a date (2026-11-10)");
                return Optional.empty();
            }
        }
    }

    /** Money as status writes it: two decimals, rounded half up. */
    static String money(double v) {
        return java.math.BigDecimal.valueOf(v)
                .setScale(2, java.math.RoundingMode.HALF_UP)
                .toPlainString();
    }

    static Optional<ZoneId> zone(String timeZone, Output output) {
        try {
            return Optional.of(ZoneId.of(timeZone));
        } catch (DateTimeException e) {
            output.error("--time-zone '" + timeZone + "' is not an IANA time zone such as UTC or Europe/Berlin");
            return Optional.empty();
        }
    }
}

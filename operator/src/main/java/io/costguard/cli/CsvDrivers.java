package io.costguard.cli;

import io.costguard.anomaly.Direction;
import io.costguard.anomaly.Drivers;
import io.costguard.forecast.HourlyCsv;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The drivers of the days {@code costguard anomalies} flags, for an export whose header names columns after cost
 * ({@code timestamp,cost,namespace,tenant}): each distinct combination of those columns is judged against its own
 * baseline, as the operator judges allocation-key combinations. A column named {@code namespace} is the namespace.
 */
final class CsvDrivers {
    private final List<String> columns;
    private final Map<List<String>, double[]> daily;

    private CsvDrivers(List<String> columns, Map<List<String>, double[]> daily) {
        this.columns = columns;
        this.daily = daily;
    }

    /** Empty when the file has no columns after cost. {@code scopeDaily} is the series the detector judged. */
    static Optional<CsvDrivers> of(HourlyCsv series, List<LocalDate> days, ZoneId zone, double[] scopeDaily) {
        if (series.breakdown().none()) {
            return Optional.empty();
        }
        Map<List<String>, double[]> daily =
                Drivers.daily(series.breakdown().costs(), series.firstHour(), Drivers.dayBounds(days, zone));
        return Optional.of(new CsvDrivers(series.breakdown().columns(), Drivers.judgedDaysOnly(daily, scopeDaily)));
    }

    /** A driver with the field names of status.anomalies[].drivers. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    record Driver(
            String namespace,
            Map<String, String> keys,
            String spend,
            String expected,
            String change,
            Integer sharePercent) {}

    /** The drivers of day {@code day}, largest first. */
    List<Driver> drivers(int day, Direction direction) {
        List<Driver> out = new ArrayList<>();
        for (Drivers.Driver<List<String>> d : Drivers.onDay(daily, null, day, direction, Drivers.TOP)) {
            String namespace = "";
            Map<String, String> keys = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                String value = d.key().get(i);
                if ("namespace".equals(columns.get(i))) {
                    namespace = value;
                } else if (!value.isEmpty()) {
                    keys.put(columns.get(i), value);
                }
            }
            out.add(new Driver(
                    namespace,
                    keys,
                    ExportInput.money(d.spend()),
                    ExportInput.money(d.expected()),
                    String.format(Locale.ROOT, "%+.2f", d.change()),
                    d.share()));
        }
        return out;
    }

    /** "  driver: tenant=beta in ns team-a +36.00 (88%)", one line per driver of day {@code day}, largest first. */
    List<String> lines(int day, Direction direction) {
        return drivers(day, direction).stream()
                .map(d -> "  driver: " + Drivers.label(d.namespace(), d.keys()) + " "
                        + Drivers.amount(d.change(), "", d.sharePercent()))
                .toList();
    }
}

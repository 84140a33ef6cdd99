package io.costguard.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An hourly cost series read from CSV rows {@code timestamp,cost}: the timestamp is the start of the hour
 * (RFC 3339 or epoch seconds), the cost a plain number. An optional header row is skipped; an hour without a
 * row between the first and the last is missing (NaN in {@code costs}), not zero spend. Every malformed row is an
 * error naming its line and what is wrong.
 *
 * <p>A header may name more columns after cost ({@code timestamp,cost,namespace,tenant}): then each row is the cost
 * of one combination of those columns' values in its hour, an hour may have several rows, {@link #costs} sums them
 * and {@link #breakdown} keeps each combination's own series.
 */
public record HourlyCsv(long firstHour, double[] costs, int missingHours, Breakdown breakdown) {

    public HourlyCsv(long firstHour, double[] costs, int missingHours) {
        this(firstHour, costs, missingHours, Breakdown.NONE);
    }

    /**
     * The columns after timestamp,cost, and per combination of their values its cost per hour (aligned with
     * {@link #costs}; 0 in an hour with rows but none for it). {@link #NONE} for a file of timestamp,cost only.
     */
    public record Breakdown(List<String> columns, Map<List<String>, double[]> costs) {
        public static final Breakdown NONE = new Breakdown(List.of(), Map.of());

        public Breakdown {
            columns = List.copyOf(columns);
        }

        public boolean none() {
            return columns.isEmpty();
        }
    }

    /** A row that cannot be read. */
    public static final class FormatException extends Exception {
        public FormatException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    public long endSecond() {
        return (firstHour + costs.length) * 3600;
    }

    /**
     * The rows before {@code second} (epoch seconds; rows at or after it are ignored), ending at the last of them;
     * empty when no row is left.
     */
    public java.util.Optional<HourlyCsv> before(long second) {
        int cut = (int) Math.max(0, Math.min(costs.length, Math.floorDiv(second - 1, 3600) - firstHour + 1));
        while (cut > 0 && Double.isNaN(costs[cut - 1])) {
            cut--;
        }
        int keep = cut;
        if (keep == 0) {
            return java.util.Optional.empty();
        }
        double[] kept = java.util.Arrays.copyOf(costs, keep);
        int missing = (int) java.util.Arrays.stream(kept).filter(Double::isNaN).count();
        Map<List<String>, double[]> keptBreakdown = new LinkedHashMap<>();
        breakdown
                .costs()
                .forEach(
                        (combination, series) -> keptBreakdown.put(combination, java.util.Arrays.copyOf(series, keep)));
        return java.util.Optional.of(new HourlyCsv(
                firstHour,
                kept,
                missing,
                breakdown.none() ? Breakdown.NONE : new Breakdown(breakdown.columns(), keptBreakdown)));
    }

    public static HourlyCsv read(Reader in) throws IOException, FormatException {
        List<long[]> hours = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        BufferedReader r = new BufferedReader(in);
        String row;
        int line = 0;
        Long previous = null;
        List<String> columns = List.of("timestamp", "cost");
        List<List<String>> combinations = new ArrayList<>();
        int distinctHours = 0;
        while ((row = r.readLine()) != null) {
            line++;
            String trimmed = row.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] cells = trimmed.split(",", -1);
            if (line == 1 && !cells[0].isEmpty() && !Character.isDigit(cells[0].charAt(0))) {
                columns = header(cells);
                continue;
            }
            if (cells.length != columns.size()) {
                throw new FormatException(
                        line,
                        "expected " + columns.size() + " columns (" + String.join(",", columns)
                                + "), found " + cells.length
                                + (columns.size() == 2 && cells.length > 2
                                        ? "; name the columns after cost in a header row, such as timestamp,cost,namespace,tenant"
                                        : ""));
            }
            long second = timestamp(line, cells[0].strip());
            if (second % 3600 != 0) {
                throw new FormatException(
                        line, "timestamp " + cells[0].strip() + " is not the start of an hour; rows must be hourly");
            }
            double cost;
            try {
                cost = Double.parseDouble(cells[1].strip());
            } catch (NumberFormatException e) {
                throw new FormatException(line, "cost '" + cells[1].strip() + "' is not a number");
            }
            if (!(cost >= 0) || Double.isInfinite(cost)) {
                throw new FormatException(line, "cost " + cells[1].strip() + " must be a number of 0 or more");
            }
            long hour = second / 3600;
            boolean keyed = columns.size() > 2;
            if (previous != null && (hour < previous || hour == previous && !keyed)) {
                throw new FormatException(
                        line,
                        "timestamp " + cells[0].strip()
                                + (hour == previous ? " repeats the row before" : " is before the row before")
                                + "; rows must be in ascending time order" + (keyed ? "" : ", one per hour"));
            }
            distinctHours += previous != null && hour == previous ? 0 : 1;
            previous = hour;
            hours.add(new long[] {hour});
            values.add(cost);
            if (keyed) {
                combinations.add(
                        Arrays.stream(cells, 2, cells.length).map(String::strip).toList());
            }
        }
        if (hours.isEmpty()) {
            throw new FormatException(Math.max(line, 1), "no rows: expected lines of timestamp,cost");
        }
        long first = hours.get(0)[0];
        long last = hours.get(hours.size() - 1)[0];
        double[] costs = new double[(int) (last - first + 1)];
        Map<List<String>, double[]> byCombination = new LinkedHashMap<>();
        java.util.Arrays.fill(costs, Double.NaN);
        for (int i = 0; i < hours.size(); i++) {
            int at = (int) (hours.get(i)[0] - first);
            costs[at] = (Double.isNaN(costs[at]) ? 0 : costs[at]) + values.get(i);
            if (!combinations.isEmpty()) {
                byCombination.computeIfAbsent(combinations.get(i), c -> new double[costs.length])[at] += values.get(i);
            }
        }
        Breakdown breakdown = combinations.isEmpty()
                ? Breakdown.NONE
                : new Breakdown(columns.subList(2, columns.size()), byCombination);
        return new HourlyCsv(first, costs, costs.length - distinctHours, breakdown);
    }

    /** The header's column names (timestamp,cost when it has no more); those after cost must be named, once each. */
    private static List<String> header(String[] cells) throws FormatException {
        if (cells.length <= 2) {
            return List.of("timestamp", "cost");
        }
        List<String> names = Arrays.stream(cells).map(String::strip).toList();
        for (int i = 2; i < names.size(); i++) {
            if (names.get(i).isEmpty() || names.indexOf(names.get(i)) != i) {
                throw new FormatException(
                        1,
                        "header column " + (i + 1) + " must have a name of its own (columns after cost"
                                + " name what the cost belongs to, such as timestamp,cost,namespace,tenant)");
            }
        }
        return names;
    }

    private static long timestamp(int line, String text) throws FormatException {
        if (text.matches("^[0-9]+$")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toEpochSecond();
            } catch (DateTimeParseException e2) {
                throw new FormatException(
                        line, "timestamp '" + text + "' is neither RFC 3339 (2026-11-01T00:00:00Z) nor epoch seconds");
            }
        }
    }
}

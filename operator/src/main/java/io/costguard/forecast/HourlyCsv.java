package io.costguard.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * An hourly cost series read from CSV rows {@code timestamp,cost}: the timestamp is the start of the hour
 * (RFC 3339 or epoch seconds), the cost a plain number. An optional header row is skipped; an hour without a
 * row between the first and the last is missing (NaN in {@code costs}), not zero spend. Every malformed row is an
 * error naming its line and what is wrong.
 */
public record HourlyCsv(long firstHour, double[] costs, int missingHours) {

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
    int keep = (int) Math.max(0, Math.min(costs.length, Math.floorDiv(second - 1, 3600) - firstHour + 1));
    while (keep > 0 && Double.isNaN(costs[keep - 1])) {
      keep--;
    }
    if (keep == 0) {
      return java.util.Optional.empty();
    }
    double[] kept = java.util.Arrays.copyOf(costs, keep);
    int missing = (int) java.util.Arrays.stream(kept).filter(Double::isNaN).count();
    return java.util.Optional.of(new HourlyCsv(firstHour, kept, missing));
  }

  public static HourlyCsv read(Reader in) throws IOException, FormatException {
    List<long[]> hours = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    BufferedReader r = new BufferedReader(in);
    String row;
    int line = 0;
    Long previous = null;
    while ((row = r.readLine()) != null) {
      line++;
      String trimmed = row.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] cells = trimmed.split(",", -1);
      if (line == 1 && !cells[0].isEmpty() && !Character.isDigit(cells[0].charAt(0))) {
        continue; // header
      }
      if (cells.length != 2) {
        throw new FormatException(line, "expected 2 columns (timestamp,cost), found " + cells.length);
      }
      long second = timestamp(line, cells[0].strip());
      if (second % 3600 != 0) {
        throw new FormatException(line, "timestamp " + cells[0].strip() + " is not the start of an hour; rows must be hourly");
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
      if (previous != null && hour <= previous) {
        throw new FormatException(line, "timestamp " + cells[0].strip() + (hour == previous ? " repeats the row before" : " is before the row before")
            + "; rows must be in ascending time order, one per hour");
      }
      previous = hour;
      hours.add(new long[] {hour});
      values.add(cost);
    }
    if (hours.isEmpty()) {
      throw new FormatException(Math.max(line, 1), "no rows: expected lines of timestamp,cost");
    }
    long first = hours.get(0)[0];
    long last = hours.get(hours.size() - 1)[0];
    double[] costs = new double[(int) (last - first + 1)];
    java.util.Arrays.fill(costs, Double.NaN);
    for (int i = 0; i < hours.size(); i++) {
      costs[(int) (hours.get(i)[0] - first)] = values.get(i);
    }
    return new HourlyCsv(first, costs, costs.length - hours.size());
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
        throw new FormatException(line, "timestamp '" + text + "' is neither RFC 3339 (2026-11-01T00:00:00Z) nor epoch seconds");
      }
    }
  }
}

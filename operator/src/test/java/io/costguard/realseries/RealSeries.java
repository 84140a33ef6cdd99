package io.costguard.realseries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The real series of {@code src/test/resources/real-series} (NAB, MIT licence, see its LICENSE-NAB.txt) as hourly
 * cost, and the cases of the backtest protocol on them. A count (tweets, bytes) becomes the mean per sample × 12
 * per hour, so a few lost 5-minute samples do not dent the hour; a gauge (CPU %, temperature, price) the mean per
 * hour; both times a price, so the numbers look like money. An hour without any sample is missing: {@code NaN},
 * never zero. Timestamps have no zone and are read as UTC; duplicated timestamps count once; the partial first
 * and last hours are dropped.
 */
public final class RealSeries {
    /**
     * Which copy of NAB series: the ones the models were developed on, or ten more kept out of development
     * (src/test/resources/real-series-holdout, README there) to check that what was tuned holds on series nobody
     * tuned on.
     */
    public enum Corpus {
        DEVELOPMENT("/real-series/"),
        HOLDOUT("/real-series-holdout/");

        final String root;

        Corpus(String root) {
            this.root = root;
        }

        /** {@code --holdout} among a command's arguments picks the held-out series. */
        public static Corpus of(String[] args) {
            return java.util.Arrays.asList(args).contains("--holdout") ? HOLDOUT : DEVELOPMENT;
        }
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One series: {@code hourly[i]} is the cost of epoch hour {@code firstHour + i}, NaN when missing. */
    public record Hourly(String name, long firstHour, double[] hourly, List<long[]> windows) {
        public long endHour() {
            return firstHour + hourly.length;
        }

        public double at(long hour) {
            long i = hour - firstHour;
            return i < 0 || i >= hourly.length ? Double.NaN : hourly[(int) i];
        }

        /** Hours [from, to) of the series, NaN outside it. */
        public double[] slice(long from, long to) {
            double[] out = new double[(int) (to - from)];
            for (long h = from; h < to; h++) {
                out[(int) (h - from)] = at(h);
            }
            return out;
        }

        public int missingHours() {
            int n = 0;
            for (double v : hourly) {
                n += Double.isNaN(v) ? 1 : 0;
            }
            return n;
        }
    }

    /** What a forecast case is: a period, and the share of it that has passed when the forecast is made. */
    public enum Period {
        MONTH,
        WEEK
    }

    /**
     * One forecast case: made at {@code asOfHour} (data before it only) for [startHour, endHour); {@code group} is
     * e.g. "month 1/3".
     */
    public record ForecastCase(Hourly series, Period period, String asOf, long startHour, long asOfHour, long endHour) {
        public String group() {
            return period.name().toLowerCase() + " " + asOf;
        }

        /** The period's total: the sum of its hours with data. */
        public double truth() {
            double sum = 0;
            for (long h = startHour; h < endHour; h++) {
                double v = series.at(h);
                sum += Double.isNaN(v) ? 0 : v;
            }
            return sum;
        }

        /** Spend of the period before {@code asOfHour}. */
        public double spent() {
            double sum = 0;
            for (long h = startHour; h < asOfHour; h++) {
                double v = series.at(h);
                sum += Double.isNaN(v) ? 0 : v;
            }
            return sum;
        }

        /** All history before {@code asOfHour}, NaN for missing hours. */
        public double[] history() {
            return series.slice(series.firstHour(), asOfHour);
        }
    }

    /** One UTC day of a series, its cost (NaN when under 75 % of its hours have data) and its label. */
    public record Day(LocalDate date, double cost, int hoursWithData, boolean positive) {}

    private RealSeries() {}

    /** The names of all series, "folder/file.csv", in the order of windows.json. */
    public static List<String> names() {
        return names(Corpus.DEVELOPMENT);
    }

    public static List<String> names(Corpus corpus) {
        List<String> out = new ArrayList<>();
        windowsJson(corpus).fieldNames().forEachRemaining(out::add);
        return out;
    }

    public static List<Hourly> all() {
        return all(Corpus.DEVELOPMENT);
    }

    public static List<Hourly> all(Corpus corpus) {
        return names(corpus).stream().map(n -> load(corpus, n)).toList();
    }

    public static Hourly load(String name) {
        return load(Corpus.DEVELOPMENT, name);
    }

    public static Hourly load(Corpus corpus, String name) {
        boolean count = name.contains("realTweets")
                || name.contains("disk_write_bytes")
                || name.contains("network_in")
                || name.contains("NetworkIn")
                || name.contains("request_count");
        TreeMap<Long, Double> samples = new TreeMap<>();
        try (InputStream in = RealSeries.class.getResourceAsStream(corpus.root + "data/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no series " + name);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line = r.readLine();
            while ((line = r.readLine()) != null) {
                int comma = line.indexOf(',');
                if (comma < 0) {
                    continue;
                }
                long second = LocalDateTime.parse(line.substring(0, comma).trim(), STAMP)
                        .toEpochSecond(ZoneOffset.UTC);
                samples.putIfAbsent(
                        second, Double.parseDouble(line.substring(comma + 1).trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long first = samples.firstKey() / 3600 + 1; // partial first hour dropped
        long end = samples.lastKey() / 3600; // partial last hour dropped
        double[] sum = new double[(int) (end - first)];
        int[] n = new int[sum.length];
        samples.forEach((second, value) -> {
            long h = second / 3600 - first;
            if (h >= 0 && h < sum.length) {
                sum[(int) h] += value;
                n[(int) h]++;
            }
        });
        double perHour = count ? 12 : 1;
        double mean = samples.values().stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(1);
        // a price that makes a typical hour cost about 10 (money-like, and the same for every model)
        double price = mean == 0 ? 1 : 10 / (Math.abs(mean) * perHour);
        double[] hourly = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            hourly[i] = n[i] == 0 ? Double.NaN : Math.max(0, sum[i] / n[i] * perHour * price);
        }
        List<long[]> windows = new ArrayList<>();
        for (JsonNode w : windowsJson(corpus).path(name)) {
            windows.add(new long[] {
                parseWindow(w.get(0).asText()), parseWindow(w.get(1).asText())
            });
        }
        return new Hourly(name, first, hourly, windows);
    }

    private static long parseWindow(String text) {
        return LocalDateTime.parse(text.substring(0, 19), STAMP).toEpochSecond(ZoneOffset.UTC);
    }

    private static JsonNode windowsJson(Corpus corpus) {
        try (InputStream in = RealSeries.class.getResourceAsStream(corpus.root + "windows.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The protocol's forecast cases of one series: every calendar month it fully covers, or, for series shorter
     * than three months, every ISO week; each as of 1/3 and 1/2 of the period (rounded to the hour).
     */
    public static List<ForecastCase> forecastCases(Hourly s) {
        List<ForecastCase> out = new ArrayList<>();
        boolean months = s.hourly().length >= 90 * 24;
        LocalDate firstDay = LocalDate.ofEpochDay(Math.floorDiv(s.firstHour(), 24));
        LocalDate start = months
                ? firstDay.with(TemporalAdjusters.firstDayOfMonth())
                : firstDay.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        for (; ; start = months ? start.plusMonths(1) : start.plusWeeks(1)) {
            LocalDate end = months ? start.plusMonths(1) : start.plusWeeks(1);
            long startHour = start.toEpochDay() * 24;
            long endHour = end.toEpochDay() * 24;
            if (endHour > s.endHour()) {
                break;
            }
            if (startHour < s.firstHour()) {
                continue;
            }
            long hours = endHour - startHour;
            out.add(new ForecastCase(
                    s,
                    months ? Period.MONTH : Period.WEEK,
                    "1/3",
                    startHour,
                    startHour + Math.round(hours / 3.0),
                    endHour));
            out.add(new ForecastCase(
                    s, months ? Period.MONTH : Period.WEEK, "1/2", startHour, startHour + hours / 2, endHour));
        }
        return out;
    }

    /** Complete UTC days of a series with their labels: positive when a labelled window touches the day. */
    public static List<Day> days(Hourly s) {
        List<Day> out = new ArrayList<>();
        long firstDay = Math.floorDiv(s.firstHour() + 23, 24);
        long endDay = Math.floorDiv(s.endHour(), 24);
        for (long d = firstDay; d < endDay; d++) {
            double sum = 0;
            int have = 0;
            for (long h = d * 24; h < d * 24 + 24; h++) {
                double v = s.at(h);
                if (!Double.isNaN(v)) {
                    sum += v;
                    have++;
                }
            }
            long from = d * 86400;
            long to = from + 86400;
            boolean positive = false;
            for (long[] w : s.windows()) {
                positive |= w[0] < to && w[1] >= from;
            }
            out.add(new Day(
                    LocalDate.ofEpochDay(d), have * 4 >= 24 * 3 ? sum * 24 / have : Double.NaN, have, positive));
        }
        return out;
    }

    /** Prints each series' span, missing hours, forecast cases and labelled days: a look at the corpus. */
    public static void main(String[] args) {
        int cases = 0;
        int days = 0;
        int positives = 0;
        for (Hourly s : all(Corpus.of(args))) {
            List<ForecastCase> fc = forecastCases(s);
            List<Day> d = days(s);
            long pos = d.stream().filter(Day::positive).count();
            cases += fc.size();
            days += d.size();
            positives += pos;
            System.out.printf(
                    "%-62s %5d h  %4d missing  %3d cases  %3d days  %2d positive  %d windows%n",
                    s.name(),
                    s.hourly().length,
                    s.missingHours(),
                    fc.size(),
                    d.size(),
                    pos,
                    s.windows().size());
        }
        System.out.printf("%d forecast cases, %d days, %d positive%n", cases, days, positives);
    }
}

package io.costguard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.costguard.anomaly.AnomalyDetector;
import io.costguard.anomaly.DailySpend;
import io.costguard.anomaly.Direction;
import io.costguard.budget.Period;
import io.costguard.forecast.HourlyCsv;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the operator's anomaly detector over a billing export, day by day. */
@Command(
        name = "anomalies",
        mixinStandardHelpOptions = true,
        description = "Flag days of anomalous spend in an hourly CSV (timestamp,cost), as the operator would. Columns "
                + "after cost named in a header (timestamp,cost,namespace,tenant) say whose cost a row is (an hour may then "
                + "have a row per combination); each flagged day then names its drivers.")
public final class AnomaliesCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "CSV",
            description = "Hourly rows timestamp,cost (RFC 3339 or epoch seconds, start of the hour); '-' for stdin. "
                    + "An hour without a row is missing, not zero; a day with under 18 of 24 hours is not judged.")
    String csv;

    @Option(names = "--time-zone", description = "IANA time zone whose days are judged (default: ${DEFAULT-VALUE}).")
    String timeZone = "UTC";

    @Option(
            names = "--z-score",
            description = "Flag at this many standard deviations from the baseline (default: ${DEFAULT-VALUE}).")
    double zScore = 3.0;

    @Option(
            names = "--day-over-day-percent",
            description = "Flag a day-over-day change above this percent (default: ${DEFAULT-VALUE}).")
    double dayOverDay = 20;

    @Option(
            names = "--as-of",
            paramLabel = "TIME",
            description = "Judge as of this time (RFC 3339 or a date): rows at or after it are ignored.")
    String asOf;

    @Option(
            names = "--period-start",
            paramLabel = "TIME",
            description = "Judge only the days from this time on (RFC 3339 or a date); earlier days are baseline only.")
    String periodStart;

    @Option(
            names = "--period",
            description =
                    "Judge only the days of the current Daily, Weekly, Monthly or Quarterly period (as the operator "
                            + "computes it, holding the end of the data); without it or --period-start every day is judged.")
    String period;

    @Mixin
    Output output = new Output();

    @Option(
            names = "--direction",
            description = "Which moves to report: Increase, Decrease or Both (default: ${DEFAULT-VALUE}).")
    String direction = "Both";

    /** A flagged day, with the field names of CostBudget's status.anomalies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Anomaly(
            String day,
            String spend,
            String expected,
            Double zScore,
            int changePercent,
            String direction,
            List<CsvDrivers.Driver> drivers) {}

    /** A day in the judged range: its spend, and why it was not judged when it was not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Day(String day, String spend, boolean judged, String reason, boolean anomaly) {}

    record Report(
            String timeZone,
            String dataThrough,
            int hoursRead,
            int missingHours,
            String judgedFrom,
            String judgedThrough,
            List<Day> days,
            List<Anomaly> anomalies) {}

    @Override
    public Integer call() {
        Optional<ZoneId> zoneOrNot = ExportInput.zone(timeZone, output);
        if (zoneOrNot.isEmpty()) {
            return 2;
        }
        ZoneId zone = zoneOrNot.get();
        if (!(zScore >= 0.5 && zScore <= 10) || !(dayOverDay >= 1 && dayOverDay <= 1000)) {
            return output.fail("--z-score must be 0.5-10 and --day-over-day-percent 1-1000");
        }
        AnomalyDetector.Direction moves = switch (direction) {
            case "Increase" -> AnomalyDetector.Direction.INCREASE;
            case "Decrease" -> AnomalyDetector.Direction.DECREASE;
            case "Both" -> AnomalyDetector.Direction.BOTH;
            default -> null;
        };
        if (moves == null) {
            return output.fail("--direction must be Increase, Decrease or Both");
        }
        Period p = null;
        if (period != null) {
            try {
                p = Period.valueOf(period);
            } catch (IllegalArgumentException e) {
                return output.fail("--period '" + period + "' is not Daily, Weekly, Monthly or Quarterly");
            }
        }
        Optional<HourlyCsv> read = ExportInput.read(csv, asOf, zone, output);
        if (read.isEmpty()) {
            return 2;
        }
        HourlyCsv series = read.get();
        Instant through = Instant.ofEpochSecond(series.endSecond());
        Optional<LocalDate> judgeFrom = Optional.empty();
        if (periodStart != null) {
            Optional<ZonedDateTime> start = ExportInput.time("--period-start", periodStart, zone, output);
            if (start.isEmpty()) {
                return 2;
            }
            judgeFrom = Optional.of(start.get().toLocalDate());
        } else if (p != null) {
            judgeFrom = Optional.of(p.windowAt(through.minusSeconds(1), zone)
                    .start()
                    .atZone(zone)
                    .toLocalDate());
        }
        // whole local days only
        List<LocalDate> days = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        LocalDate first =
                Instant.ofEpochSecond(series.firstHour() * 3600).atZone(zone).toLocalDate();
        if (first.atStartOfDay(zone).toEpochSecond() < series.firstHour() * 3600) {
            first = first.plusDays(1);
        }
        for (LocalDate d = first;
                d.plusDays(1).atStartOfDay(zone).toEpochSecond() <= series.endSecond();
                d = d.plusDays(1)) {
            long from = d.atStartOfDay(zone).toEpochSecond() / 3600 - series.firstHour();
            long to = d.plusDays(1).atStartOfDay(zone).toEpochSecond() / 3600 - series.firstHour();
            days.add(d);
            totals.add(DailySpend.total(series.costs(), (int) from, (int) to));
        }
        if (days.size() <= AnomalyDetector.MIN_DAYS) {
            String message = String.format(
                    Locale.ROOT,
                    "no judgement: it needs %d whole days, the file has %d",
                    AnomalyDetector.MIN_DAYS + 1,
                    days.size());
            if (output.table()) {
                output.out().println(message);
            } else {
                output.error(message);
            }
            return 1;
        }
        int firstJudged = AnomalyDetector.MIN_DAYS;
        if (judgeFrom.isPresent()) {
            LocalDate from = judgeFrom.get();
            firstJudged = Math.max(firstJudged, (int)
                    days.stream().filter(d -> d.isBefore(from)).count());
            if (firstJudged >= days.size()) {
                return output.fail("no whole day from " + from + " on after the first " + AnomalyDetector.MIN_DAYS
                        + " days of baseline; the data ends at " + through);
            }
        }
        double[] daily = totals.stream().mapToDouble(Double::doubleValue).toArray();
        List<AnomalyDetector.Anomaly> found = new AnomalyDetector()
                .detect(daily, null, new AnomalyDetector.Limits(zScore, dayOverDay, moves), daily.length - firstJudged);
        Optional<CsvDrivers> drivers = found.isEmpty() ? Optional.empty() : CsvDrivers.of(series, days, zone, daily);
        Report report = report(zone, through, series, days, daily, firstJudged, found, drivers);
        if (!output.table()) {
            output.write(report);
            return 0;
        }
        PrintWriter out = output.out();
        List<String> unjudged =
                report.days().stream().filter(d -> !d.judged()).map(Day::day).toList();
        out.printf(
                Locale.ROOT,
                "%d days judged (%s .. %s, %s), %d flagged%n",
                days.size() - firstJudged - unjudged.size(),
                days.get(firstJudged),
                days.get(days.size() - 1),
                zone,
                found.size());
        if (series.missingHours() > 0) {
            out.printf(
                    Locale.ROOT,
                    "%d hours missing (no row): not counted as spend; a day with under %d%% of its hours "
                            + "is not judged%s%n",
                    series.missingHours(),
                    DailySpend.MIN_COVERAGE_PERCENT,
                    unjudged.isEmpty() ? "" : " (" + String.join(", ", unjudged) + ")");
        }
        if (!found.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "%-12s %-9s %12s %12s %8s %8s%n",
                    "DAY",
                    "DIRECTION",
                    "SPEND",
                    "EXPECTED",
                    "Z",
                    "DOD%");
            for (int i = 0; i < found.size(); i++) {
                Anomaly a = report.anomalies().get(i);
                out.printf(
                        Locale.ROOT,
                        "%-12s %-9s %12s %12s %8s %8d%n",
                        a.day(),
                        a.direction(),
                        a.spend(),
                        a.expected(),
                        a.zScore() == null ? "-" : String.format(Locale.ROOT, "%.1f", a.zScore()),
                        a.changePercent());
                int index = i;
                Direction way = found.get(index).drop() ? Direction.Decrease : Direction.Increase;
                drivers.ifPresent(d -> d.lines(found.get(index).day(), way).forEach(out::println));
            }
        }
        return 0;
    }

    private static Report report(
            ZoneId zone,
            Instant through,
            HourlyCsv series,
            List<LocalDate> days,
            double[] daily,
            int firstJudged,
            List<AnomalyDetector.Anomaly> found,
            Optional<CsvDrivers> drivers) {
        List<Anomaly> anomalies = new ArrayList<>();
        for (AnomalyDetector.Anomaly a : found) {
            anomalies.add(new Anomaly(
                    days.get(a.day()).toString(),
                    ExportInput.money(a.spend()),
                    ExportInput.money(a.expected()),
                    Double.isNaN(a.zScore()) ? null : Math.round(a.zScore() * 10) / 10.0,
                    (int) Math.round(a.changePercent()),
                    a.drop() ? "Decrease" : "Increase",
                    drivers.map(d -> d.drivers(a.day(), a.drop() ? Direction.Decrease : Direction.Increase))
                            .filter(l -> !l.isEmpty())
                            .orElse(null)));
        }
        List<Day> judged = new ArrayList<>();
        for (int i = firstJudged; i < days.size(); i++) {
            String day = days.get(i).toString();
            boolean missing = Double.isNaN(daily[i]);
            judged.add(new Day(
                    day,
                    missing ? null : ExportInput.money(daily[i]),
                    !missing,
                    missing ? "MissingData" : null,
                    anomalies.stream().anyMatch(a -> a.day().equals(day))));
        }
        return new Report(
                zone.getId(),
                through.toString(),
                series.costs().length,
                series.missingHours(),
                days.get(firstJudged).toString(),
                days.get(days.size() - 1).toString(),
                judged,
                anomalies);
    }
}

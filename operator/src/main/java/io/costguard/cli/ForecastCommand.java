package io.costguard.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.costguard.budget.Period;
import io.costguard.forecast.Forecaster;
import io.costguard.forecast.HourlyCsv;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the operator's forecaster over a billing export, next to the simple forecast it should beat. */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        description = "Forecast end-of-period spend from an hourly CSV (timestamp,cost), as the operator would.")
public final class ForecastCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "CSV",
            description = "Hourly rows timestamp,cost (RFC 3339 or epoch seconds, start of the hour); '-' for stdin. "
                    + "An hour without a row is missing, not zero.")
    String csv;

    @Option(names = "--period", description = "Daily, Weekly, Monthly or Quarterly (default: ${DEFAULT-VALUE}).")
    String period = "Monthly";

    @Option(
            names = "--period-start",
            paramLabel = "TIME",
            description =
                    "Start of the period (RFC 3339 or a date); it lasts one --period. Default: the calendar period "
                            + "holding the end of the data, as the operator computes it.")
    String periodStart;

    @Option(
            names = "--as-of",
            paramLabel = "TIME",
            description = "Forecast as of this time (RFC 3339 or a date): rows at or after it are ignored.")
    String asOf;

    @Option(names = "--time-zone", description = "IANA time zone of the period (default: ${DEFAULT-VALUE}).")
    String timeZone = "UTC";

    @Option(names = "--amount", description = "Budget amount, to show the forecast as a percent of it.")
    BigDecimal amount;

    @Mixin
    Output output = new Output();

    /** What {@code -o json|yaml} prints: the field names of CostBudget's status where they mean the same. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(
            String period,
            String timeZone,
            String periodStart,
            String periodEnd,
            String dataThrough,
            int hoursRead,
            int missingHours,
            int dataCoveragePercent,
            String dataCoverage,
            String spent,
            String amount,
            Integer usedPercent,
            String used,
            String forecast,
            Integer forecastPercent,
            String forecastLow,
            String forecastHigh,
            String model,
            String runRate,
            String forecastUnavailable) {}

    @Override
    public Integer call() {
        Period p;
        try {
            p = Period.valueOf(period);
        } catch (IllegalArgumentException e) {
            return output.fail("--period '" + period + "' is not Daily, Weekly, Monthly or Quarterly");
        }
        Optional<ZoneId> zoneOrNot = ExportInput.zone(timeZone, output);
        if (zoneOrNot.isEmpty()) {
            return 2;
        }
        ZoneId zone = zoneOrNot.get();
        Optional<HourlyCsv> read = ExportInput.read(csv, asOf, zone, output);
        if (read.isEmpty()) {
            return 2;
        }
        HourlyCsv series = read.get();
        Instant through = Instant.ofEpochSecond(series.endSecond());
        Period.Window window = p.windowAt(through.minusSeconds(1), zone);
        if (periodStart != null) {
            Optional<ZonedDateTime> start = ExportInput.time("--period-start", periodStart, zone, output);
            if (start.isEmpty()) {
                return 2;
            }
            window = p.windowFrom(start.get().toLocalDateTime(), zone);
            if (!through.isAfter(window.start()) || through.isAfter(window.end())) {
                return output.fail("the data ends at " + through + ", outside the period " + window.start() + " .. "
                        + window.end() + " that --period-start " + periodStart + " begins; give --as-of inside it");
            }
        }
        long startHour = Math.floorDiv(window.start().getEpochSecond(), 3600);
        long throughHour = through.getEpochSecond() / 3600;
        double spent = 0;
        int withData = 0;
        for (long h = startHour; h < throughHour; h++) {
            double v = h < series.firstHour() ? Double.NaN : series.costs()[(int) (h - series.firstHour())];
            if (!Double.isNaN(v)) {
                spent += v;
                withData++;
            }
        }
        int elapsed = (int) Math.max(0, throughHour - startHour);
        int coverage = elapsed == 0 ? 100 : (int) ((long) withData * 100 / elapsed);
        Forecaster.Result result = new Forecaster()
                .forecast(
                        series.costs(),
                        series.firstHour(),
                        spent,
                        window.start().getEpochSecond(),
                        through.getEpochSecond(),
                        window.end().getEpochSecond());
        double length = (window.end().getEpochSecond() - window.start().getEpochSecond()) / 3600.0;
        Double runRate = withData > 0 ? spent / withData * length : null;
        Report report = report(p, zone, window, through, series, coverage, spent, result, runRate);
        if (!output.table()) {
            output.write(report);
            return result instanceof Forecaster.Forecast ? 0 : 1;
        }
        PrintWriter out = output.out();
        out.printf(Locale.ROOT, "period          %s .. %s (%s, %s)%n", window.start(), window.end(), p, zone);
        out.printf(
                Locale.ROOT,
                "data through    %s (%d hours read, %s)%n",
                through,
                series.costs().length,
                series.missingHours() == 0
                        ? "none missing"
                        : series.missingHours()
                                + " hours missing: no row, not counted as spend; the forecast leaves them out");
        out.printf(Locale.ROOT, "data coverage   %d%% of the period's %d hours so far%n", coverage, elapsed);
        out.printf(Locale.ROOT, "spent           %.2f%n", spent);
        if (result instanceof Forecaster.InsufficientHistory h) {
            out.printf(Locale.ROOT, "forecast        none: %s%n", report.forecastUnavailable());
            return 1;
        }
        Forecaster.Forecast f = (Forecaster.Forecast) result;
        out.printf(Locale.ROOT, "forecast        %.2f%s  (%s)%n", f.endOfPeriod(), percent(f.endOfPeriod()), f.model());
        out.printf(Locale.ROOT, "80%% interval    %.2f .. %.2f  (end of period)%n", f.low(), f.high());
        if (runRate != null) {
            out.printf(
                    Locale.ROOT,
                    "run-rate        %.2f%s  (spent so far / elapsed hours with data x period length)%n",
                    runRate,
                    percent(runRate));
        }
        return 0;
    }

    private Report report(
            Period p,
            ZoneId zone,
            Period.Window window,
            Instant through,
            HourlyCsv series,
            int coverage,
            double spent,
            Forecaster.Result result,
            Double runRate) {
        boolean withAmount = amount != null && amount.signum() > 0;
        Integer usedPercent = withAmount ? wholePercent(spent) : null;
        Forecaster.Forecast f = result instanceof Forecaster.Forecast ok ? ok : null;
        String unavailable = result instanceof Forecaster.InsufficientHistory h
                ? "it needs " + h.need() + " hours of history, the file has " + h.have()
                : null;
        return new Report(
                p.name(),
                zone.getId(),
                window.start().toString(),
                window.end().toString(),
                through.toString(),
                series.costs().length,
                series.missingHours(),
                coverage,
                coverage + "%",
                ExportInput.money(spent),
                withAmount ? amount.toPlainString() : null,
                usedPercent,
                usedPercent == null ? null : usedPercent + "%",
                f == null ? null : ExportInput.money(f.endOfPeriod()),
                f == null || !withAmount ? null : wholePercent(f.endOfPeriod()),
                f == null ? null : ExportInput.money(f.low()),
                f == null ? null : ExportInput.money(f.high()),
                f == null ? null : f.model(),
                runRate == null ? null : ExportInput.money(runRate),
                unavailable);
    }

    /** As status.usedPercent and forecastPercent: the shown figure as a whole percent of the amount, rounded down. */
    private int wholePercent(double value) {
        return (int) Math.min(
                Integer.MAX_VALUE,
                new BigDecimal(ExportInput.money(value))
                        .multiply(BigDecimal.valueOf(100))
                        .divide(amount, 0, RoundingMode.FLOOR)
                        .longValue());
    }

    private String percent(double value) {
        if (amount == null || amount.signum() <= 0) {
            return "";
        }
        return String.format(Locale.ROOT, " = %d%% of %s", wholePercent(value), amount.toPlainString());
    }
}

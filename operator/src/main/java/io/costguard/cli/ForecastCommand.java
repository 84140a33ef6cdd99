package io.costguard.cli;

import io.costguard.budget.Period;
import io.costguard.forecast.Forecaster;
import io.costguard.forecast.HourlyCsv;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs the operator's forecaster over a billing export, next to the two simple forecasts it should beat. */
@Command(name = "forecast", mixinStandardHelpOptions = true,
    description = "Forecast end-of-period spend from an hourly CSV (timestamp,cost), as the operator would.")
public final class ForecastCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CSV", description = "Hourly rows timestamp,cost (RFC 3339 or epoch seconds, start of the hour); '-' for stdin.")
  String csv;

  @Option(names = "--period", description = "Daily, Weekly, Monthly or Quarterly (default: ${DEFAULT-VALUE}).")
  String period = "Monthly";

  @Option(names = "--time-zone", description = "IANA time zone of the period (default: ${DEFAULT-VALUE}).")
  String timeZone = "UTC";

  @Option(names = "--amount", description = "Budget amount, to show the forecast as a percent of it.")
  BigDecimal amount;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Period p;
    try {
      p = Period.valueOf(period);
    } catch (IllegalArgumentException e) {
      err.println("costguard forecast: --period '" + period + "' is not Daily, Weekly, Monthly or Quarterly");
      return 2;
    }
    Optional<ZoneId> zoneOrNot = ExportInput.zone("forecast", timeZone, err);
    if (zoneOrNot.isEmpty()) {
      return 2;
    }
    ZoneId zone = zoneOrNot.get();
    Optional<HourlyCsv> read = ExportInput.read("forecast", csv, err);
    if (read.isEmpty()) {
      return 2;
    }
    HourlyCsv series = read.get();
    Instant through = Instant.ofEpochSecond(series.endSecond());
    Period.Window window = p.windowAt(through.minusSeconds(1), zone);
    long periodStartHour = Math.floorDiv(window.start().getEpochSecond(), 3600);
    double spent = 0;
    for (int i = 0; i < series.costs().length; i++) {
      if (series.firstHour() + i >= periodStartHour) {
        spent += series.costs()[i];
      }
    }
    Forecaster.Result result = new Forecaster().forecast(series.costs(), series.firstHour(), spent,
        window.start().getEpochSecond(), through.getEpochSecond(), window.end().getEpochSecond());
    out.printf(Locale.ROOT, "period          %s .. %s (%s, %s)%n", window.start(), window.end(), p, zone);
    out.printf(Locale.ROOT, "data through    %s (%d hours read, %d missing counted as 0)%n", through, series.costs().length, series.missingHours());
    out.printf(Locale.ROOT, "spent           %.2f%n", spent);
    if (result instanceof Forecaster.InsufficientHistory h) {
      out.printf(Locale.ROOT, "forecast        none: it needs %d hours of history, the file has %d%n", h.need(), h.have());
      return 1;
    }
    Forecaster.Forecast f = (Forecaster.Forecast) result;
    double elapsed = (through.getEpochSecond() - window.start().getEpochSecond()) / 3600.0;
    double length = (window.end().getEpochSecond() - window.start().getEpochSecond()) / 3600.0;
    out.printf(Locale.ROOT, "forecast        %.2f%s  (%s)%n", f.endOfPeriod(), percent(f.endOfPeriod()), f.model());
    out.printf(Locale.ROOT, "80%% interval    %.2f .. %.2f  (end of period)%n", f.low(), f.high());
    if (elapsed > 0) {
      double runRate = spent / elapsed * length;
      out.printf(Locale.ROOT, "run-rate        %.2f%s  (spent so far / elapsed x period length)%n", runRate, percent(runRate));
    }
    return 0;
  }

  private String percent(double value) {
    if (amount == null || amount.signum() <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, " = %d%% of %s", (long) Math.floor(value * 100 / amount.doubleValue()), amount.toPlainString());
  }
}

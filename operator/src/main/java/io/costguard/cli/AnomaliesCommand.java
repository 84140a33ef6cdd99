package io.costguard.cli;

import io.costguard.anomaly.AnomalyDetector;
import io.costguard.forecast.HourlyCsv;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs the operator's anomaly detector over a billing export, day by day. */
@Command(name = "anomalies", mixinStandardHelpOptions = true,
    description = "Flag days of anomalous spend in an hourly CSV (timestamp,cost), as the operator would.")
public final class AnomaliesCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CSV", description = "Hourly rows timestamp,cost (RFC 3339 or epoch seconds, start of the hour); '-' for stdin.")
  String csv;

  @Option(names = "--time-zone", description = "IANA time zone whose days are judged (default: ${DEFAULT-VALUE}).")
  String timeZone = "UTC";

  @Option(names = "--z-score", description = "Flag at this many standard deviations from the baseline (default: ${DEFAULT-VALUE}).")
  double zScore = 3.0;

  @Option(names = "--day-over-day-percent", description = "Flag a day-over-day change above this percent (default: ${DEFAULT-VALUE}).")
  double dayOverDay = 20;

  @Option(names = "--direction",
      description = "Which moves to report: Increase, Decrease or Both (default: ${DEFAULT-VALUE}).")
  String direction = "Both";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ZoneId> zoneOrNot = ExportInput.zone("anomalies", timeZone, err);
    if (zoneOrNot.isEmpty()) {
      return 2;
    }
    ZoneId zone = zoneOrNot.get();
    if (!(zScore >= 0.5 && zScore <= 10) || !(dayOverDay >= 1 && dayOverDay <= 1000)) {
      err.println("costguard anomalies: --z-score must be 0.5-10 and --day-over-day-percent 1-1000");
      return 2;
    }
    AnomalyDetector.Direction moves = switch (direction) {
      case "Increase" -> AnomalyDetector.Direction.INCREASE;
      case "Decrease" -> AnomalyDetector.Direction.DECREASE;
      case "Both" -> AnomalyDetector.Direction.BOTH;
      default -> null;
    };
    if (moves == null) {
      err.println("costguard anomalies: --direction must be Increase, Decrease or Both");
      return 2;
    }
    Optional<HourlyCsv> read = ExportInput.read("anomalies", csv, err);
    if (read.isEmpty()) {
      return 2;
    }
    HourlyCsv series = read.get();
    // whole local days only
    List<LocalDate> days = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    LocalDate first = Instant.ofEpochSecond(series.firstHour() * 3600).atZone(zone).toLocalDate();
    if (first.atStartOfDay(zone).toEpochSecond() < series.firstHour() * 3600) {
      first = first.plusDays(1);
    }
    for (LocalDate d = first; d.plusDays(1).atStartOfDay(zone).toEpochSecond() <= series.endSecond(); d = d.plusDays(1)) {
      long from = d.atStartOfDay(zone).toEpochSecond() / 3600;
      long to = d.plusDays(1).atStartOfDay(zone).toEpochSecond() / 3600;
      double sum = 0;
      for (long h = from; h < to; h++) {
        sum += series.costs()[(int) (h - series.firstHour())];
      }
      days.add(d);
      totals.add(sum);
    }
    if (days.size() <= AnomalyDetector.MIN_DAYS) {
      out.printf(Locale.ROOT, "no judgement: it needs %d whole days, the file has %d%n", AnomalyDetector.MIN_DAYS + 1, days.size());
      return 1;
    }
    double[] daily = totals.stream().mapToDouble(Double::doubleValue).toArray();
    AnomalyDetector.Limits limits = new AnomalyDetector.Limits(zScore, dayOverDay, moves);
    List<AnomalyDetector.Anomaly> found = new AnomalyDetector().detect(daily, null, limits, daily.length);
    out.printf(Locale.ROOT, "%d days judged (%s .. %s, %s), %d flagged%n", days.size() - AnomalyDetector.MIN_DAYS,
        days.get(AnomalyDetector.MIN_DAYS), days.get(days.size() - 1), zone, found.size());
    if (!found.isEmpty()) {
      out.printf(Locale.ROOT, "%-12s %-9s %12s %12s %8s %8s%n", "DAY", "DIRECTION", "SPEND", "EXPECTED", "Z", "DOD%");
      for (AnomalyDetector.Anomaly a : found) {
        String z = Double.isNaN(a.zScore()) ? "-" : String.format(Locale.ROOT, "%.1f", a.zScore());
        out.printf(Locale.ROOT, "%-12s %-9s %12.2f %12.2f %8s %8.0f%n", days.get(a.day()),
            a.drop() ? "Decrease" : "Increase", a.spend(), a.expected(), z, a.changePercent());
      }
    }
    return 0;
  }
}

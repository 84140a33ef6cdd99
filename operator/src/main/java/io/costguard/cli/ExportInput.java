package io.costguard.cli;

import io.costguard.forecast.HourlyCsv;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/** What the model commands share: reading an hourly billing export and a time zone, errors as one line. */
final class ExportInput {
  private ExportInput() {}

  static Optional<HourlyCsv> read(String command, String csv, PrintWriter err) {
    try (Reader in = "-".equals(csv) ? new InputStreamReader(System.in) : Files.newBufferedReader(Path.of(csv))) {
      return Optional.of(HourlyCsv.read(in));
    } catch (HourlyCsv.FormatException e) {
      err.println("costguard " + command + ": " + csv + ", " + e.getMessage());
    } catch (IOException e) {
      err.println("costguard " + command + ": cannot read " + csv + ": " + e.getMessage());
    }
    return Optional.empty();
  }

  static Optional<ZoneId> zone(String command, String timeZone, PrintWriter err) {
    try {
      return Optional.of(ZoneId.of(timeZone));
    } catch (DateTimeException e) {
      err.println("costguard " + command + ": --time-zone '" + timeZone + "' is not an IANA time zone such as UTC or Europe/Berlin");
      return Optional.empty();
    }
  }
}

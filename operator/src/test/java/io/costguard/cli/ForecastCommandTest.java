package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastCommandTest {
  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  final java.io.StringWriter out = cli.out;
  final java.io.StringWriter err = cli.err;

  int run(String... args) {
    return cli.run(args);
  }

  Path flatSeries(int hours, Instant end) throws Exception {
    StringBuilder b = new StringBuilder("timestamp,cost\n");
    long first = end.getEpochSecond() / 3600 - hours;
    for (long h = first; h < first + hours; h++) {
      b.append(Instant.ofEpochSecond(h * 3600)).append(",2.00\n");
    }
    return Files.writeString(dir.resolve("costs.csv"), b);
  }

  @Test
  void forecastsTheMonthFromABillingExport() throws Exception {
    // flat 2.00 an hour for 35 days until Nov 23 06:00: 534 hours spent, 186 left
    Path csv = flatSeries(35 * 24, Instant.parse("2026-11-23T06:00:00Z"));
    assertThat(run("forecast", csv.toString(), "--amount", "1200")).isZero();
    assertThat(out.toString())
        .contains("period          2026-11-01T00:00:00Z .. 2026-12-01T00:00:00Z (Monthly, UTC)")
        .contains("spent           1068.00")
        .contains("forecast        1440.00 = 120% of 1200")
        .containsPattern("80% interval    14[0-3][0-9]\\.[0-9]{2} \\.\\. 14[4-7][0-9]\\.[0-9]{2}  \\(end of period\\)")
        .contains("run-rate        1440.00");
  }

  @Test
  void tooShortAFileSaysHowMuchIsNeeded() throws Exception {
    Path csv = flatSeries(10, Instant.parse("2026-11-23T06:00:00Z"));
    assertThat(run("forecast", csv.toString(), "--period", "Weekly")).isEqualTo(1);
    assertThat(out.toString()).contains("forecast        none: it needs 48 hours of history, the file has 10");
  }

  @Test
  void aMalformedRowIsOneLineWithItsNumber() throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "timestamp,cost\n2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00Z,one\n");
    assertThat(run("forecast", csv.toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("costguard forecast: " + csv + ", line 3: cost 'one' is not a number");
  }

  @Test
  void badOptionsAreNamed() throws Exception {
    Path csv = flatSeries(100, Instant.parse("2026-11-23T06:00:00Z"));
    assertThat(run("forecast", csv.toString(), "--period", "Yearly")).isEqualTo(2);
    assertThat(err.toString()).contains("--period 'Yearly' is not Daily, Weekly, Monthly or Quarterly");
  }
}

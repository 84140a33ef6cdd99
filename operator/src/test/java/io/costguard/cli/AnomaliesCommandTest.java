package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomaliesCommandTest {
  @TempDir Path dir;
  final CliRunner cli = new CliRunner();
  final java.io.StringWriter out = cli.out;
  final java.io.StringWriter err = cli.err;

  int run(String... args) {
    return cli.run(args);
  }

  @Test
  void flagsTheDayOfTripleSpendOnly() throws Exception {
    // four weeks of 1.00 an hour (weekends 0.50) from Monday 2026-10-26, with 2026-11-12 at triple
    StringBuilder b = new StringBuilder("timestamp,cost\n");
    long first = Instant.parse("2026-10-26T00:00:00Z").getEpochSecond() / 3600;
    for (long h = first; h < first + 28 * 24; h++) {
      Instant t = Instant.ofEpochSecond(h * 3600);
      int dayOfWeek = (int) ((h - first) / 24 % 7);
      double v = dayOfWeek >= 5 ? 0.5 : 1.0;
      if (t.toString().startsWith("2026-11-12")) {
        v *= 3;
      }
      b.append(t).append(',').append(v).append('\n');
    }
    Path csv = Files.writeString(dir.resolve("costs.csv"), b);
    assertThat(run("anomalies", "--direction", "Increase", csv.toString())).isZero();
    assertThat(out.toString()).contains("26 days judged (2026-10-28 .. 2026-11-22, UTC), 1 flagged")
        .containsPattern("2026-11-12\\s+Increase\\s+72.00\\s+24.00");
  }

  @Test
  void bothDirectionsShowDropsToo() throws Exception {
    // as above; with Both, the first Saturday (before a week shows the weekly shape) and the day back at the baseline
    // after the spike are day-over-day drops
    StringBuilder b = new StringBuilder("timestamp,cost\n");
    long first = Instant.parse("2026-10-26T00:00:00Z").getEpochSecond() / 3600;
    for (long h = first; h < first + 28 * 24; h++) {
      Instant t = Instant.ofEpochSecond(h * 3600);
      double v = (h - first) / 24 % 7 >= 5 ? 0.5 : 1.0;
      b.append(t).append(',').append(t.toString().startsWith("2026-11-12") ? v * 3 : v).append('\n');
    }
    Path csv = Files.writeString(dir.resolve("costs.csv"), b);
    assertThat(run("anomalies", csv.toString())).isZero();
    assertThat(out.toString()).contains("3 flagged").containsPattern("DAY\\s+DIRECTION\\s+SPEND")
        .containsPattern("2026-10-31\\s+Decrease\\s+12.00\\s+24.00")
        .containsPattern("2026-11-12\\s+Increase\\s+72.00\\s+24.00")
        .containsPattern("2026-11-13\\s+Decrease\\s+24.00\\s+24.00");
  }

  @Test
  void aWrongDirectionIsOneLine() throws Exception {
    Path csv = Files.writeString(dir.resolve("costs.csv"), "timestamp,cost\n");
    assertThat(run("anomalies", "--direction", "Up", csv.toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("costguard anomalies: --direction must be Increase, Decrease or Both");
  }

  @Test
  void malformedInputIsOneLine() throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "2026-11-01T00:00:00Z;1\n");
    assertThat(run("anomalies", csv.toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("costguard anomalies: " + csv + ", line 1: expected 2 columns (timestamp,cost), found 1");
  }
}

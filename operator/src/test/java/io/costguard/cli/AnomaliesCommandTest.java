package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
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
    assertThat(run("anomalies", csv.toString())).isZero();
    assertThat(out.toString()).contains("21 days judged (2026-11-02 .. 2026-11-22, UTC), 1 flagged")
        .containsPattern("2026-11-12\\s+72.00\\s+24.00");
  }

  /** A CSV: {@code header}, then for each hour of {@code days} days from Monday 2026-10-26 what {@code rows} gives. */
  private Path csv(String name, String header, int days, Function<Instant, String> rows) throws Exception {
    StringBuilder b = new StringBuilder(header).append('\n');
    long first = Instant.parse("2026-10-26T00:00:00Z").getEpochSecond() / 3600;
    for (long h = first; h < first + days * 24L; h++) {
      b.append(rows.apply(Instant.ofEpochSecond(h * 3600)));
    }
    return Files.writeString(dir.resolve(name), b);
  }

  @Test
  void columnsAfterCostNameTheDriversOfAFlaggedDay() throws Exception {
    // three tenants in two namespaces for four weeks; on 2026-11-12 beta's workload runs at five times its rate
    Path csv = csv("tenants.csv", "timestamp,cost,namespace,tenant", 28, t -> t + ",1.00,team-a,alpha\n"
        + t + "," + (t.toString().startsWith("2026-11-12") ? "2.50" : "0.50") + ",team-a,beta\n"
        + t + ",2.00,team-b,gamma\n");
    assertThat(run("anomalies", csv.toString())).isZero();
    assertThat(out.toString()).contains("1 flagged")
        .containsPattern("2026-11-12\\s+132.00\\s+84.00")
        .contains("2026-11-12", "  driver: tenant=beta in ns team-a +48.00 (100%)")
        .doesNotContain("tenant=alpha in ns").doesNotContain("tenant=gamma");
  }

  @Test
  void aFileWithoutColumnsAfterCostNamesNoDrivers() throws Exception {
    Path csv = csv("total.csv", "timestamp,cost", 14,
        t -> t + "," + (t.toString().startsWith("2026-11-05") ? 4 : 1) + "\n");
    assertThat(run("anomalies", csv.toString())).isZero();
    assertThat(out.toString()).contains("1 flagged", "2026-11-05").doesNotContain("driver");
  }

  @Test
  void malformedInputIsOneLine() throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "2026-11-01T00:00:00Z;1\n");
    assertThat(run("anomalies", csv.toString())).isEqualTo(2);
    assertThat(err.toString().strip()).isEqualTo("costguard anomalies: " + csv + ", line 1: expected 2 columns (timestamp,cost), found 1");
  }
}

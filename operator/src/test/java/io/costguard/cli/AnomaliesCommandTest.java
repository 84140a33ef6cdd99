package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomaliesCommandTest {
    @TempDir
    Path dir;

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
        assertThat(out.toString())
                .contains("26 days judged (2026-10-28 .. 2026-11-22, UTC), 1 flagged")
                .containsPattern("2026-11-12\\s+Increase\\s+72.00\\s+24.00");
    }

    @Test
    void bothDirectionsShowDropsToo() throws Exception {
        // as above; with Both, the first Saturday (before a week shows the weekly shape) and the day back at the
        // baseline
        // after the spike are day-over-day drops
        StringBuilder b = new StringBuilder("timestamp,cost\n");
        long first = Instant.parse("2026-10-26T00:00:00Z").getEpochSecond() / 3600;
        for (long h = first; h < first + 28 * 24; h++) {
            Instant t = Instant.ofEpochSecond(h * 3600);
            double v = (h - first) / 24 % 7 >= 5 ? 0.5 : 1.0;
            b.append(t)
                    .append(',')
                    .append(t.toString().startsWith("2026-11-12") ? v * 3 : v)
                    .append('\n');
        }
        Path csv = Files.writeString(dir.resolve("costs.csv"), b);
        assertThat(run("anomalies", csv.toString())).isZero();
        assertThat(out.toString())
                .contains("3 flagged")
                .containsPattern("DAY\\s+DIRECTION\\s+SPEND")
                .containsPattern("2026-10-31\\s+Decrease\\s+12.00\\s+24.00")
                .containsPattern("2026-11-12\\s+Increase\\s+72.00\\s+24.00")
                .containsPattern("2026-11-13\\s+Decrease\\s+24.00\\s+24.00");
    }

    @Test
    void aWrongDirectionIsOneLine() throws Exception {
        Path csv = Files.writeString(dir.resolve("costs.csv"), "timestamp,cost\n");
        assertThat(run("anomalies", "--direction", "Up", csv.toString())).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("costguard anomalies: --direction must be Increase, Decrease or Both");
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
        Path csv = csv(
                "tenants.csv",
                "timestamp,cost,namespace,tenant",
                28,
                t -> t + ",1.00,team-a,alpha\n"
                        + t + "," + (t.toString().startsWith("2026-11-12") ? "2.50" : "0.50") + ",team-a,beta\n"
                        + t + ",2.00,team-b,gamma\n");
        assertThat(run("anomalies", "--direction", "Increase", csv.toString())).isZero();
        assertThat(out.toString())
                .contains("1 flagged")
                .containsPattern("2026-11-12\\s+Increase\\s+132.00\\s+84.00")
                .contains("2026-11-12", "  driver: tenant=beta in ns team-a +48.00 (100%)")
                .doesNotContain("tenant=alpha in ns")
                .doesNotContain("tenant=gamma");

        cli.out.getBuffer().setLength(0);
        assertThat(run("anomalies", "--direction", "Increase", csv.toString(), "-o", "json"))
                .isZero();
        com.fasterxml.jackson.databind.JsonNode driver =
                json().path("anomalies").get(0).path("drivers").get(0);
        assertThat(driver.path("namespace").asText()).isEqualTo("team-a");
        assertThat(driver.path("keys").path("tenant").asText()).isEqualTo("beta");
        assertThat(driver.path("spend").asText()).isEqualTo("60.00");
        assertThat(driver.path("expected").asText()).isEqualTo("12.00");
        assertThat(driver.path("change").asText()).isEqualTo("+48.00");
        assertThat(driver.path("sharePercent").asInt()).isEqualTo(100);
        assertThat(json().path("anomalies").get(0).path("drivers")).hasSize(1);
    }

    @Test
    void aFileWithoutColumnsAfterCostNamesNoDrivers() throws Exception {
        Path csv = csv(
                "total.csv",
                "timestamp,cost",
                14,
                t -> t + "," + (t.toString().startsWith("2026-11-05") ? 4 : 1) + "\n");
        assertThat(run("anomalies", "--direction", "Increase", csv.toString())).isZero();
        assertThat(out.toString()).contains("1 flagged", "2026-11-05").doesNotContain("driver");
    }

    @Test
    void malformedInputIsOneLine() throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "2026-11-01T00:00:00Z;1\n");
        assertThat(run("anomalies", "--direction", "Increase", csv.toString())).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("costguard anomalies: " + csv + ", line 1: expected 2 columns (timestamp,cost), found 1");
    }

    /**
     * Four weeks of 1.00 an hour (weekends 0.50) from Monday 2026-10-26; the days in {@code factors} (yyyy-MM-dd)
     * multiplied; no rows in [holeFrom, holeTo) when given.
     */
    Path series(java.util.Map<String, Double> factors, Instant holeFrom, Instant holeTo) throws Exception {
        StringBuilder b = new StringBuilder("timestamp,cost\n");
        long first = Instant.parse("2026-10-26T00:00:00Z").getEpochSecond() / 3600;
        for (long h = first; h < first + 28 * 24; h++) {
            Instant t = Instant.ofEpochSecond(h * 3600);
            if (holeFrom != null && !t.isBefore(holeFrom) && t.isBefore(holeTo)) {
                continue;
            }
            int dayOfWeek = (int) ((h - first) / 24 % 7);
            double v = (dayOfWeek >= 5 ? 0.5 : 1.0)
                    * factors.getOrDefault(t.toString().substring(0, 10), 1.0);
            b.append(t).append(',').append(v).append('\n');
        }
        return Files.writeString(dir.resolve("costs.csv"), b);
    }

    com.fasterxml.jackson.databind.JsonNode json() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    }

    @Test
    void jsonListsTheJudgedDaysAndTheAnomaliesWithStatusFieldNamesAndDirection() throws Exception {
        Path csv = series(java.util.Map.of("2026-11-12", 3.0), null, null);
        assertThat(run("anomalies", "--direction", "Increase", csv.toString(), "-o", "json"))
                .isZero();
        com.fasterxml.jackson.databind.JsonNode j = json();
        assertThat(j.path("judgedFrom").asText()).isEqualTo("2026-10-28");
        assertThat(j.path("judgedThrough").asText()).isEqualTo("2026-11-22");
        assertThat(j.path("days")).hasSize(26);
        com.fasterxml.jackson.databind.JsonNode day = j.path("days").get(15);
        assertThat(day.path("day").asText()).isEqualTo("2026-11-12");
        assertThat(day.path("spend").asText()).isEqualTo("72.00");
        assertThat(day.path("judged").asBoolean()).isTrue();
        assertThat(day.path("anomaly").asBoolean()).isTrue();
        assertThat(j.path("days").get(11).path("anomaly").asBoolean()).isFalse();
        assertThat(j.path("anomalies")).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode a = j.path("anomalies").get(0);
        assertThat(a.path("day").asText()).isEqualTo("2026-11-12");
        assertThat(a.path("spend").asText()).isEqualTo("72.00");
        assertThat(a.path("expected").asText()).isEqualTo("24.00");
        assertThat(a.path("changePercent").asInt()).isEqualTo(200);
        assertThat(a.path("zScore").isNumber()).isTrue();
        assertThat(a.path("direction").asText()).isEqualTo("Increase");
    }

    @Test
    void aTwentyHourHoleIsNotJudgedAndInventsNoJumpTheDayAfter() throws Exception {
        // 2026-11-12 keeps 4 of its hours; 2026-11-13 is a little above its baseline, far from z 3
        Path csv = series(
                java.util.Map.of("2026-11-13", 1.05),
                Instant.parse("2026-11-12T04:00:00Z"),
                Instant.parse("2026-11-13T00:00:00Z"));
        assertThat(run("anomalies", "--direction", "Increase", csv.toString())).isZero();
        assertThat(out.toString())
                .contains("25 days judged (2026-10-28 .. 2026-11-22, UTC), 0 flagged")
                .contains(
                        "20 hours missing (no row): not counted as spend; a day with under 75% of its hours is not judged "
                                + "(2026-11-12)");

        cli.out.getBuffer().setLength(0);
        assertThat(run("anomalies", "--direction", "Increase", csv.toString(), "-o", "json"))
                .isZero();
        com.fasterxml.jackson.databind.JsonNode hole = json().path("days").get(15);
        assertThat(hole.path("day").asText()).isEqualTo("2026-11-12");
        assertThat(hole.path("judged").asBoolean()).isFalse();
        assertThat(hole.path("reason").asText()).isEqualTo("MissingData");
        assertThat(hole.has("spend")).isFalse();
        assertThat(json().path("missingHours").asInt()).isEqualTo(20);
        assertThat(json().path("anomalies")).isEmpty();
    }

    @Test
    void aFewMissingHoursKeepTheDayJudgedAtItsFullSize() throws Exception {
        // 2026-11-12 lacks 6 hours (18 of 24 left) and is triple: still flagged, scaled to the whole day
        Path csv = series(
                java.util.Map.of("2026-11-12", 3.0),
                Instant.parse("2026-11-12T00:00:00Z"),
                Instant.parse("2026-11-12T06:00:00Z"));
        assertThat(run("anomalies", "--direction", "Increase", csv.toString(), "-o", "json"))
                .isZero();
        assertThat(json().path("anomalies").get(0).path("day").asText()).isEqualTo("2026-11-12");
        assertThat(json().path("anomalies").get(0).path("spend").asText()).isEqualTo("72.00");
    }

    @Test
    void asOfIgnoresLaterRowsAndPeriodJudgesOnlyItsDays() throws Exception {
        Path csv = series(java.util.Map.of("2026-11-12", 3.0), null, null);
        assertThat(run("anomalies", "--direction", "Increase", csv.toString(), "--as-of", "2026-11-12", "-o", "json"))
                .isZero();
        assertThat(json().path("judgedThrough").asText()).isEqualTo("2026-11-11");
        assertThat(json().path("anomalies")).isEmpty();

        cli.out.getBuffer().setLength(0);
        assertThat(run("anomalies", "--direction", "Increase", csv.toString(), "--period", "Weekly", "-o", "json"))
                .isZero();
        assertThat(json().path("judgedFrom").asText()).isEqualTo("2026-11-16");
        assertThat(json().path("days")).hasSize(7);
        assertThat(json().path("anomalies")).isEmpty();

        cli.out.getBuffer().setLength(0);
        assertThat(run(
                        "anomalies",
                        "--direction",
                        "Increase",
                        csv.toString(),
                        "--period-start",
                        "2026-11-12",
                        "-o",
                        "json"))
                .isZero();
        assertThat(json().path("judgedFrom").asText()).isEqualTo("2026-11-12");
        assertThat(json().path("anomalies")).hasSize(1);
    }

    @Test
    void tooFewDaysKeepExitCodeOne() throws Exception {
        Path csv = series(java.util.Map.of(), null, null);
        assertThat(run("anomalies", csv.toString(), "--as-of", "2026-10-28", "-o", "json"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("no judgement: it needs 3 whole days, the file has 2");
    }
}

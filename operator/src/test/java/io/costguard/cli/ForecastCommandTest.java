package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastCommandTest {
    @TempDir
    Path dir;

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
                .containsPattern(
                        "80% interval    14[0-3][0-9]\\.[0-9]{2} \\.\\. 14[4-7][0-9]\\.[0-9]{2}  \\(end of period\\)")
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
        Path csv = Files.writeString(
                dir.resolve("bad.csv"), "timestamp,cost\n2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00Z,one\n");
        assertThat(run("forecast", csv.toString())).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo("costguard forecast: " + csv + ", line 3: cost 'one' is not a number");
    }

    @Test
    void badOptionsAreNamed() throws Exception {
        Path csv = flatSeries(100, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "--period", "Yearly")).isEqualTo(2);
        assertThat(err.toString()).contains("--period 'Yearly' is not Daily, Weekly, Monthly or Quarterly");
    }

    /** 2.00 an hour for {@code hours} hours until {@code end}, without rows for [holeFrom, holeTo). */
    Path seriesWithHole(int hours, Instant end, Instant holeFrom, Instant holeTo) throws Exception {
        StringBuilder b = new StringBuilder("timestamp,cost\n");
        long first = end.getEpochSecond() / 3600 - hours;
        for (long h = first; h < first + hours; h++) {
            Instant t = Instant.ofEpochSecond(h * 3600);
            if (t.isBefore(holeFrom) || !t.isBefore(holeTo)) {
                b.append(t).append(",2.00\n");
            }
        }
        return Files.writeString(dir.resolve("holey.csv"), b);
    }

    com.fasterxml.jackson.databind.JsonNode json() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    }

    @Test
    void jsonUsesTheStatusFieldNames() throws Exception {
        Path csv = flatSeries(35 * 24, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "--amount", "1200", "-o", "json"))
                .isZero();
        com.fasterxml.jackson.databind.JsonNode j = json();
        assertThat(j.path("periodStart").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(j.path("periodEnd").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(j.path("dataThrough").asText()).isEqualTo("2026-11-23T06:00:00Z");
        assertThat(j.path("spent").asText()).isEqualTo("1068.00");
        assertThat(j.path("usedPercent").asInt()).isEqualTo(89);
        assertThat(j.path("used").asText()).isEqualTo("89%");
        assertThat(j.path("forecast").asText()).isEqualTo("1440.00");
        assertThat(j.path("forecastPercent").asInt()).isEqualTo(120);
        assertThat(j.path("dataCoveragePercent").asInt()).isEqualTo(100);
        assertThat(j.path("dataCoverage").asText()).isEqualTo("100%");
        assertThat(j.path("missingHours").asInt()).isZero();
        assertThat(j.path("runRate").asText()).isEqualTo("1440.00");
        assertThat(j.has("forecastUnavailable")).isFalse();
    }

    @Test
    void withoutAnAmountThereAreNoPercents() throws Exception {
        Path csv = flatSeries(35 * 24, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "-o", "json")).isZero();
        assertThat(json().has("forecastPercent")).isFalse();
        assertThat(json().has("usedPercent")).isFalse();
    }

    @Test
    void tooShortAFileInJsonKeepsExitCodeOneAndSaysWhy() throws Exception {
        Path csv = flatSeries(10, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "-o", "json")).isEqualTo(1);
        assertThat(json().has("forecast")).isFalse();
        assertThat(json().path("forecastUnavailable").asText())
                .isEqualTo("it needs 48 hours of history, the file has 10");
    }

    @Test
    void asOfIgnoresRowsAtOrAfterIt() throws Exception {
        Path csv = flatSeries(35 * 24, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "--as-of", "2026-11-11", "-o", "json"))
                .isZero();
        com.fasterxml.jackson.databind.JsonNode j = json();
        assertThat(j.path("dataThrough").asText()).isEqualTo("2026-11-11T00:00:00Z");
        assertThat(j.path("spent").asText()).isEqualTo("480.00");
        assertThat(j.path("forecast").asText()).isEqualTo("1440.00");

        cli.out.getBuffer().setLength(0);
        assertThat(run("forecast", csv.toString(), "--as-of", "2026-11-11T10:00:00+01:00", "-o", "json"))
                .isZero();
        assertThat(json().path("dataThrough").asText()).isEqualTo("2026-11-11T09:00:00Z");
    }

    @Test
    void periodStartGivesThePeriodByHand() throws Exception {
        Path csv = flatSeries(35 * 24, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run(
                        "forecast",
                        csv.toString(),
                        "--period",
                        "Weekly",
                        "--period-start",
                        "2026-11-20T00:00:00Z",
                        "-o",
                        "json"))
                .isZero();
        com.fasterxml.jackson.databind.JsonNode j = json();
        assertThat(j.path("periodStart").asText()).isEqualTo("2026-11-20T00:00:00Z");
        assertThat(j.path("periodEnd").asText()).isEqualTo("2026-11-27T00:00:00Z");
        assertThat(j.path("spent").asText()).isEqualTo("156.00");
        assertThat(j.path("forecast").asText()).isEqualTo("336.00");
    }

    @Test
    void aPeriodStartThatDoesNotHoldTheDataIsNamed() throws Exception {
        Path csv = flatSeries(35 * 24, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "--period", "Daily", "--period-start", "2026-11-01"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("the data ends at 2026-11-23T06:00:00Z, outside the period", "--as-of");
    }

    @Test
    void badTimesAreNamed() throws Exception {
        Path csv = flatSeries(100, Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(run("forecast", csv.toString(), "--as-of", "yesterday")).isEqualTo(2);
        assertThat(err.toString().strip())
                .isEqualTo(
                        "costguard forecast: --as-of 'yesterday' is neither RFC 3339 (2026-11-10T00:00:00Z) nor a date (2026-11-10)");
        assertThat(run("forecast", csv.toString(), "--as-of", "2020-01-01")).isEqualTo(2);
        assertThat(err.toString()).contains("--as-of 2020-01-01 is not after the file's first row");
    }

    @Test
    void aTwentyHourHoleIsMissingNotZeroAndDoesNotDragTheForecast() throws Exception {
        Instant end = Instant.parse("2026-11-23T06:00:00Z");
        Path csv = seriesWithHole(
                35 * 24, end, Instant.parse("2026-11-21T04:00:00Z"), Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(run("forecast", csv.toString())).isZero();
        assertThat(out.toString())
                .contains("20 hours missing", "data coverage   96% of the period's 534 hours so far")
                .contains("spent           1028.00");

        cli.out.getBuffer().setLength(0);
        assertThat(run("forecast", csv.toString(), "-o", "json")).isZero();
        com.fasterxml.jackson.databind.JsonNode j = json();
        assertThat(j.path("missingHours").asInt()).isEqualTo(20);
        assertThat(j.path("dataCoveragePercent").asInt()).isEqualTo(96);
        // the 186 hours left go on at 2.00: the hole is not spend, and not a drop in the level either
        assertThat(j.path("forecast").asText()).isEqualTo("1400.00");
    }
}

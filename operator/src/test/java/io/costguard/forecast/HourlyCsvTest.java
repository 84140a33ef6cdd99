package io.costguard.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HourlyCsvTest {
    static HourlyCsv read(String text) throws Exception {
        return HourlyCsv.read(new StringReader(text));
    }

    @Test
    void readsRfc3339AndEpochRowsWithAHeaderAndGaps() throws Exception {
        HourlyCsv c = read(
                "timestamp,cost\n2026-11-01T00:00:00Z,1.5\n2026-11-01T01:00:00Z, 2\n# a comment\n\n1793502000,4\n");
        assertThat(c.firstHour()).isEqualTo(1793491200L / 3600);
        assertThat(c.costs()).containsExactly(1.5, 2.0, Double.NaN, 4.0);
        assertThat(c.missingHours()).isEqualTo(1);
        assertThat(c.endSecond()).isEqualTo(1793491200L + 4 * 3600);
    }

    @Test
    void columnsAfterCostNamedInTheHeaderKeepEachCombinationsSeries() throws Exception {
        HourlyCsv c = read("timestamp,cost,namespace,tenant\n"
                + "2026-11-01T00:00:00Z,1.5,team-a,alpha\n"
                + "2026-11-01T00:00:00Z,0.5,team-a,beta\n"
                + "2026-11-01T01:00:00Z,2,team-a,alpha\n"
                + "2026-11-01T01:00:00Z,1,team-a,alpha\n"
                + "2026-11-01T03:00:00Z,4, team-b ,\n");
        assertThat(c.costs()).containsExactly(2.0, 3.0, Double.NaN, 4.0);
        assertThat(c.missingHours()).isEqualTo(1);
        assertThat(c.breakdown().columns()).containsExactly("namespace", "tenant");
        assertThat(c.breakdown().costs())
                .containsOnlyKeys(List.of("team-a", "alpha"), List.of("team-a", "beta"), List.of("team-b", ""));
        assertThat(c.breakdown().costs().get(List.of("team-a", "alpha"))).containsExactly(1.5, 3.0, 0.0, 0.0);
        assertThat(c.breakdown().costs().get(List.of("team-a", "beta"))).containsExactly(0.5, 0.0, 0.0, 0.0);
        assertThat(c.breakdown().costs().get(List.of("team-b", ""))).containsExactly(0.0, 0.0, 0.0, 4.0);
        assertThat(read("timestamp,cost\n2026-11-01T00:00:00Z,1\n").breakdown().none())
                .isTrue();
    }

    @Test
    void rowsAtOrAfterACutAreIgnoredAndTheSeriesEndsAtTheLastRowBeforeIt() throws Exception {
        HourlyCsv c = read("2026-11-01T00:00:00Z,1\n2026-11-01T01:00:00Z,2\n"
                + "2026-11-01T04:00:00Z,4\n2026-11-01T05:00:00Z,5\n");
        long midnight = 1793491200L;

        HourlyCsv cut = c.before(midnight + 4 * 3600).orElseThrow();
        assertThat(cut.costs()).containsExactly(1.0, 2.0);
        assertThat(cut.missingHours()).isZero();
        assertThat(cut.endSecond()).isEqualTo(midnight + 2 * 3600);
        assertThat(c.before(midnight + 5 * 3600).orElseThrow().costs())
                .containsExactly(1.0, 2.0, Double.NaN, Double.NaN, 4.0);
        assertThat(c.before(midnight + 5 * 3600).orElseThrow().missingHours()).isEqualTo(2);
        assertThat(c.before(midnight + 3600 + 1800).orElseThrow().costs()).containsExactly(1.0, 2.0);
        assertThat(c.before(midnight)).isEmpty();
        assertThat(c.before(midnight + 99 * 3600).orElseThrow().costs()).hasSize(6);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "2026-11-01T00:00:00Z,1\\n2026-11-01T01:00:00Z|line 2: expected 2 columns (timestamp,cost), found 1",
                "2026-11-01T00:00:00Z,1\\nyesterday,2|line 2: timestamp 'yesterday' is neither RFC 3339",
                "2026-11-01T00:30:00Z,1|line 1: timestamp 2026-11-01T00:30:00Z is not the start of an hour",
                "2026-11-01T00:00:00Z,-1|line 1: cost -1 must be a number of 0 or more",
                "2026-11-01T00:00:00Z,NaN|line 1: cost NaN must be a number of 0 or more",
                "2026-11-01T00:00:00Z,1\\n2026-11-01T00:00:00Z,2|line 2: timestamp 2026-11-01T00:00:00Z repeats the row before",
                "2026-11-01T05:00:00Z,1\\n2026-11-01T04:00:00Z,2|line 2: timestamp 2026-11-01T04:00:00Z is before the row before",
                "2026-11-01T00:00:00Z,12 USD|line 1: cost '12 USD' is not a number",
                "timestamp,cost|no rows",
                "2026-11-01T00:00:00Z,1,team-a|line 1: expected 2 columns (timestamp,cost), found 3; name the columns after cost",
                "timestamp,cost,namespace\\n2026-11-01T00:00:00Z,1|line 2: expected 3 columns (timestamp,cost,namespace), found 2",
                "timestamp,cost,namespace,namespace\\n2026-11-01T00:00:00Z,1,a,b|line 1: header column 4 must have a name of its own",
                "timestamp,cost,\\n2026-11-01T00:00:00Z,1,a|line 1: header column 3 must have a name of its own",
                "timestamp,cost,ns\\n2026-11-01T01:00:00Z,1,a\\n2026-11-01T00:00:00Z,1,b|line 3: timestamp 2026-11-01T00:00:00Z is before"
            })
    void malformedRowsNameTheirLineAndTheProblem(String text, String message) {
        assertThatThrownBy(() -> read(text.replace("\\n", "\n")))
                .isInstanceOf(HourlyCsv.FormatException.class)
                .hasMessageContaining(message);
    }
}

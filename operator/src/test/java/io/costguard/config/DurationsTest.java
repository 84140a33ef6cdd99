package io.costguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Prometheus duration syntax (DESIGN.md section 7: 30s, 15m, 1h30m, 7d). */
class DurationsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "30s,     PT30S",
        "15m,     PT15M",
        "1h30m,   PT1H30M",
        "7d,      PT168H",
        "1w,      PT168H",
        "250ms,   PT0.25S",
        "1y,      PT8760H",
        "2h0m,    PT2H",
        "1d2h3m4s, PT26H3M4S",
        "1m30ms,  PT1M0.03S",
        "0s,      PT0S",
        "90s,     PT1M30S",
        "'  45s ', PT45S",
    })
    void parsesPrometheusDurations(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' is rejected")
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "30",
                "1.5h",
                "-1s",
                "30S",
                "1H",
                "1h 30m",
                "h",
                "30sec",
                "1 m",
                "PT30S",
                "1h-30m",
                "5 minutes",
                "s30"
            })
    void rejectsAnythingElseNamingTheAcceptedSyntax(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("Prometheus syntax")
                .hasMessageContaining("1h30m");
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @CsvSource({
        "PT30S,     30s",
        "PT15M,     15m",
        "PT1H30M,   1h30m",
        "PT168H,    7d",
        "PT26H3M4S, 1d2h3m4s",
        "PT3H,      3h",
        "PT0S,      0ms",
        "PT0.25S,   250ms",
        "PT1M0.5S,  1m",
    })
    void formatsWholeSecondsInPrometheusSyntax(Duration d, String expected) {
        assertThat(Durations.format(d)).isEqualTo(expected);
    }

    @Test
    void formatDropsMillisecondsOfLongerDurations() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s");
    }

    @Property(tries = 1000)
    void formatThenParseRoundTripsWholeSeconds(@ForAll @LongRange(min = 1, max = 400L * 86_400) long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Property(tries = 500)
    void partsAddUp(
            @ForAll @LongRange(min = 0, max = 1000) long h,
            @ForAll @LongRange(min = 0, max = 1000) long m,
            @ForAll @LongRange(min = 0, max = 1000) long s) {
        assertThat(Durations.parse(h + "h" + m + "m" + s + "s"))
                .isEqualTo(Duration.ofHours(h).plusMinutes(m).plusSeconds(s));
    }
}

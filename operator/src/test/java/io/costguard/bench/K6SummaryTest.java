package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class K6SummaryTest {
    static final String LINE =
            "{\"v\":1,\"start\":1763640000000,\"end\":1763641800000,\"requests\":180000,\"failed\":144,"
                    + "\"p50\":85,\"p95\":210,\"p99\":260,\"dropped\":0,\"k6Thresholds\":[]}";

    @Test
    void readsTheEntryScriptsLine() {
        K6Summary.Parsed p = K6Summary.parse(LINE + "\n");
        assertThat(p.ok()).isTrue();
        K6Summary s = p.summary();
        assertThat(s.start()).isEqualTo(Instant.parse("2025-11-20T12:00:00Z"));
        assertThat(s.end()).isEqualTo(Instant.parse("2025-11-20T12:30:00Z"));
        assertThat(s.requests()).isEqualTo(180000);
        assertThat(s.errorRatio()).isEqualTo(0.0008);
        assertThat(s.p95Millis()).isEqualTo(210.0);
        assertThat(s.failedK6Thresholds()).isEmpty();
    }

    @Test
    void absentLatenciesStayAbsent() {
        K6Summary s = K6Summary.parse(
                        "{\"v\":1,\"start\":1,\"end\":2,\"requests\":0,\"failed\":0,\"p50\":null,\"p95\":null,\"p99\":null}")
                .summary();
        assertThat(s.p95Millis()).isNull();
        assertThat(s.errorRatio()).isZero();
    }

    @Test
    void missingBlankOrNull() {
        for (String m : new String[] {null, "", "  \n"}) {
            assertThat(K6Summary.parse(m).problem()).isEqualTo(K6Summary.Problem.Missing);
        }
    }

    @Test
    void cutAtTheTerminationMessageLimit() {
        String big = "{\"v\":1,\"start\":1,\"end\":2,\"requests\":3,\"k6Thresholds\":[\"" + "x".repeat(5000) + "\"]}";
        String kept = big.substring(0, K6Summary.TERMINATION_MESSAGE_LIMIT);
        K6Summary.Parsed p = K6Summary.parse(kept);
        assertThat(p.problem()).isEqualTo(K6Summary.Problem.Truncated);
        assertThat(p.detail()).contains("4096-byte termination message limit");
    }

    @Test
    void aShortBrokenLineIsUnreadableNotTruncated() {
        assertThat(K6Summary.parse("{\"v\":1,\"start\":").problem()).isEqualTo(K6Summary.Problem.Unreadable);
    }

    @Test
    void garbageIsUnreadableAndQuoted() {
        K6Summary.Parsed p =
                K6Summary.parse("time=\"2026-11-20T10:00:00Z\" level=error msg=\"boom\"\nGoError: something broke");
        assertThat(p.problem()).isEqualTo(K6Summary.Problem.Unreadable);
        assertThat(p.detail()).endsWith("GoError: something broke");
        assertThat(K6Summary.parse("[1,2]").problem()).isEqualTo(K6Summary.Problem.Unreadable);
        assertThat(K6Summary.parse("{\"requests\":3}").problem()).isEqualTo(K6Summary.Problem.Unreadable);
    }

    @Test
    void otherVersionsAndImpossibleWindowsAreRejected() {
        assertThat(K6Summary.parse(LINE.replace("\"v\":1", "\"v\":2")).detail()).contains("format version 2");
        assertThat(K6Summary.parse("{\"v\":1,\"start\":5,\"end\":2,\"requests\":1}")
                        .detail())
                .contains("before it starts");
        assertThat(K6Summary.parse("{\"v\":1,\"start\":1,\"requests\":1}").detail())
                .contains("lacks start, end or requests");
    }

    @Property
    void failuresNeverExceedRequests(
            @ForAll @LongRange(min = 0, max = 1_000_000) long requests,
            @ForAll @LongRange(min = -5, max = 2_000_000) long failed,
            @ForAll @IntRange(min = 0, max = 100_000) int p95) {
        String line = "{\"v\":1,\"start\":0,\"end\":1000,\"requests\":" + requests + ",\"failed\":" + failed
                + ",\"p95\":" + p95 + "}";
        K6Summary s = K6Summary.parse(line).summary();
        assertThat(s.failed()).isBetween(0L, requests);
        assertThat(s.errorRatio()).isBetween(0.0, 1.0);
        assertThat(s.p95Millis()).isEqualTo((double) p95);
    }
}

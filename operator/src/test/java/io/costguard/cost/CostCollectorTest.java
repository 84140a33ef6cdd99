package io.costguard.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.config.OperatorConfig;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.testing.MutableClock;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector's reads against a stand-in Prometheus: what it asks for, and what it concludes. */
class CostCollectorTest {
    static final Instant NOW = Instant.parse("2026-11-23T06:40:00Z");
    StubPrometheus prometheus;
    MutableClock clock = new MutableClock(NOW);
    CostCollector collector;

    @BeforeEach
    void setUp() throws Exception {
        prometheus = new StubPrometheus().costSeries(1.0, "team-a", "alpha", "search", "a", "prod");
        OperatorConfig config = TestConfigs.operator(prometheus.url(), "60s", Map.of());
        collector = new CostCollector(
                new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE),
                new CostQueries(config),
                new HourlyCostLedger(config.allocationKeys()),
                clock,
                config);
    }

    @AfterEach
    void tearDown() {
        prometheus.close();
    }

    @Test
    void theFirstCycleReads35DaysInWeekChunksThenOnlyTheNewestHours() {
        DataStatus first = collector.collect();
        assertThat(first.available()).isTrue();
        assertThat(first.dataThrough()).contains(Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(collector.lastCycle().queries())
                .isEqualTo(3 * 5); // compute, storage, node cost: 840 hours in chunks of 168
        assertThat(collector.lastCycle().samples()).isEqualTo(35 * 24);

        clock.set(NOW.plus(Duration.ofMinutes(1)));
        collector.collect();
        assertThat(collector.lastCycle().queries()).isEqualTo(3);
        assertThat(collector.lastCycle().samples()).isEqualTo(CostCollector.REREAD_HOURS);

        clock.set(Instant.parse("2026-11-23T07:00:30Z"));
        DataStatus next = collector.collect();
        assertThat(collector.lastCycle().queries()).isEqualTo(3);
        assertThat(collector.lastCycle().samples()).isEqualTo(CostCollector.REREAD_HOURS + 1);
        assertThat(next.dataThrough()).contains(Instant.parse("2026-11-23T07:00:00Z"));
    }

    @Test
    void theDataVersionMovesOnlyWhenAnAnswerOrTheDataStatusChanges() {
        collector.collect();
        assertThat(collector.dataVersion()).as("the first cycle is new data").isPositive();
        // the first steady cycle reads other ranges than the 35 days before it: new, although the hours are not
        clock.set(NOW.plus(Duration.ofMinutes(1)));
        collector.collect();
        long first = collector.dataVersion();

        clock.set(NOW.plus(Duration.ofMinutes(2)));
        collector.collect();
        assertThat(collector.dataVersion())
                .as("the same answers a minute later")
                .isEqualTo(first);

        prometheus.spike(Instant.parse("2026-11-23T05:00:00Z"), Instant.parse("2026-11-23T06:00:00Z"), 2);
        collector.collect();
        long spiked = collector.dataVersion();
        assertThat(spiked).as("a re-read hour answered differently").isGreaterThan(first);

        clock.set(Instant.parse("2026-11-23T07:00:30Z"));
        collector.collect();
        assertThat(collector.dataVersion()).as("a new complete hour").isGreaterThan(spiked);
        long hourly = collector.dataVersion();

        prometheus.down(true);
        collector.collect();
        assertThat(collector.dataVersion()).as("Prometheus unreachable").isGreaterThan(hourly);
    }

    @Test
    void aConsumerNeedingOlderHistoryGetsItReadOnceMore() {
        collector.collect();
        Instant quarter = Instant.parse("2026-10-01T00:00:00Z");
        collector.demand("finance/q4", quarter);
        collector.collect();
        assertThat(collector.ledger().coveredFrom(CostQueries.COMPUTE)).hasValue(quarter.getEpochSecond() / 3600);
        Scope scope = new Scope(Set.of("team-a"), Map.of());
        assertThat(collector.ledger().spend(scope, quarter, Instant.parse("2026-10-02T00:00:00Z")))
                .isEqualTo(24.0);

        collector.collect();
        assertThat(collector.lastCycle().queries()).isEqualTo(3);
    }

    @Test
    void hoursBeforeEveryDemandAreForgotten() {
        collector.collect();
        assertThat(collector.ledger().coveredFrom(CostQueries.COMPUTE))
                .hasValue(Instant.parse("2026-10-19T06:00:00Z").getEpochSecond() / 3600);
        collector.demand("team-a/daily", Instant.parse("2026-11-23T00:00:00Z"));
        collector.collect();
        assertThat(collector.ledger().coveredFrom(CostQueries.COMPUTE))
                .hasValue(Instant.parse("2026-11-22T00:00:00Z").getEpochSecond() / 3600);
        collector.forget("team-a/daily");
    }

    @Test
    void noSeriesAtAllIsNoDataNamingKubeStateMetrics() throws Exception {
        prometheus.close();
        try (StubPrometheus empty = new StubPrometheus()) {
            OperatorConfig config = TestConfigs.operator(empty.url(), "60s", Map.of());
            CostCollector c = new CostCollector(
                    new PrometheusClient(config.prometheus(), PrometheusClient.QueryObserver.NONE),
                    new CostQueries(config),
                    new HourlyCostLedger(config.allocationKeys()),
                    clock,
                    config);
            DataStatus s = c.collect();
            assertThat(s.available()).isFalse();
            assertThat(s.reason()).contains(FailureKind.NoData);
            assertThat(s.message())
                    .contains("kube-state-metrics", "--metric-labels-allowlist=pods=[tenant,feature,team,environment]");
        }
    }

    @Test
    void dataOlderThanStaleAfterIsStale() {
        prometheus.dataUntil(NOW.minus(Duration.ofHours(5)));
        DataStatus s = collector.collect();
        assertThat(s.available()).isFalse();
        assertThat(s.reason()).contains(FailureKind.StaleData);
        // samples until 01:40: the newest complete hour with data ends at 01:00
        assertThat(s.dataThrough()).contains(Instant.parse("2026-11-23T01:00:00Z"));
        assertThat(s.message()).contains("staleAfter");
    }

    @Test
    void anOutageKeepsWhatWasReadAndSaysWhy() {
        collector.collect();
        AtomicInteger notified = new AtomicInteger();
        collector.onCycle(st -> notified.incrementAndGet());
        prometheus.down(true);
        DataStatus s = collector.collect();
        assertThat(s.available()).isFalse();
        assertThat(s.reason()).contains(FailureKind.HttpError);
        assertThat(s.dataThrough()).contains(Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(notified).hasValue(1);
        assertThat(collector
                        .ledger()
                        .spend(
                                new Scope(Set.of("team-a"), Map.of()),
                                Instant.parse("2026-11-23T00:00:00Z"),
                                Instant.parse("2026-11-23T06:00:00Z")))
                .isEqualTo(6.0);

        prometheus.down(false);
        assertThat(collector.collect().available()).isTrue();
    }

    @Test
    void anEmptyAnswerAfterRealDataIsMissingDataAndKeepsTheHours() {
        Scope scope = new Scope(Set.of("team-a"), Map.of());
        Instant midnight = Instant.parse("2026-11-23T00:00:00Z");
        collector.collect();
        prometheus.empty(true);
        clock.set(NOW.plus(Duration.ofMinutes(1)));

        DataStatus s = collector.collect();

        assertThat(s.available()).isFalse();
        assertThat(s.reason()).contains(FailureKind.MissingHours);
        assertThat(s.message())
                .contains(
                        "cost source compute",
                        "2 hour(s) from 2026-11-23T04:00:00Z to 2026-11-23T06:00:00Z",
                        "missing data, not zero cost");
        assertThat(s.dataThrough()).contains(Instant.parse("2026-11-23T06:00:00Z"));
        assertThat(collector.lastCycle().missingHours()).isEqualTo(CostCollector.REREAD_HOURS);
        assertThat(collector.ledger().spend(scope, midnight, Instant.parse("2026-11-23T06:00:00Z")))
                .isEqualTo(6.0);

        prometheus.empty(false);
        clock.set(NOW.plus(Duration.ofMinutes(2)));
        DataStatus back = collector.collect();
        assertThat(back.available()).isTrue();
        assertThat(collector.lastCycle().missingHours()).isZero();
        assertThat(collector.ledger().spend(scope, midnight, Instant.parse("2026-11-23T06:00:00Z")))
                .isEqualTo(6.0);
    }

    @Test
    void aGapStopsBeingReportedOnceItsHoursAreNoLongerReRead() {
        collector.collect();
        prometheus.empty(true);
        clock.set(Instant.parse("2026-11-23T07:00:30Z"));
        assertThat(collector.collect().reason()).contains(FailureKind.MissingHours);
        // two hours on, the lost hours are older than the re-read; nothing new has come: the data is stale, not missing
        clock.set(Instant.parse("2026-11-23T09:00:30Z"));
        collector.collect();
        clock.set(Instant.parse("2026-11-23T09:01:30Z"));
        DataStatus s = collector.collect();
        assertThat(s.reason()).contains(FailureKind.StaleData);
        assertThat(s.dataThrough()).contains(Instant.parse("2026-11-23T06:00:00Z"));
    }

    @Test
    void queriesAskForHourEndsOnly() {
        collector.collect();
        for (long[] r : prometheus.ranges()) {
            assertThat(r[0] % 3600).isZero();
            assertThat(r[1] % 3600).isZero();
            assertThat(r[1]).isLessThanOrEqualTo(NOW.getEpochSecond());
        }
        assertThat(prometheus.ranges())
                .extracting(r -> r[1])
                .contains(Instant.parse("2026-11-23T06:00:00Z").getEpochSecond());
    }
}

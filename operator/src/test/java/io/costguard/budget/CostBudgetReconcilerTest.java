package io.costguard.budget;

import static io.costguard.budget.BudgetTestData.actionResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetScope;
import io.costguard.api.BudgetThreshold;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.ThrottleSpec;
import io.costguard.app.OperatorApp;
import io.costguard.kube.Conflicts;
import io.costguard.status.Conditions;
import io.costguard.testing.MockApi;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CostBudget reconciler against the fabric8 mock API (CRUD) and a stand-in Prometheus. */
@EnableKubernetesMockClient(crud = true)
class CostBudgetReconcilerTest {
    // Sunday 2026-11-15 10:30 UTC: the monthly period began 346 complete hours ago
    static final Instant NOW = Instant.parse("2026-11-15T10:30:00Z");
    static final double HOURS_THIS_MONTH = 14 * 24 + 10;

    KubernetesMockServer server;
    KubernetesClient client;
    StubPrometheus prometheus;
    OperatorApp app;
    final io.costguard.testing.MutableClock clock = new io.costguard.testing.MutableClock(NOW);

    @BeforeEach
    void start() throws IOException {
        MockApi.crds(client, "costbudgets");
        MockApi.namespaces(client, "team-a", "team-b", "finance", "costguard-system");
        client.namespaces().withName("finance").edit(n -> {
            n.getMetadata().setLabels(Map.of("costguard.io/budget-admin", "true"));
            return n;
        });
        prometheus = new StubPrometheus()
                .costSeries(1.0, "team-a", "alpha", "search", "a", "prod")
                .costSeries(0.5, "team-a", "beta", "search", "a", "prod")
                .costSeries(2.0, "team-b", "gamma", "search", "b", "prod");
        app = new OperatorApp(TestConfigs.operator(prometheus.url(), "1s", Map.of()), client, clock);
        app.start();
    }

    @AfterEach
    void stop() {
        app.close();
        prometheus.close();
    }

    @Test
    void writesSpendStateConditionsAndOneEventPerThreshold() {
        // alpha spent 346.00 of 480.00 = 72 %: Warning, the 70 % threshold fires once
        create("team-a", "alpha", spec("480.00", Map.of("tenant", "alpha")));

        CostBudget b = awaitState("team-a", "alpha", "Warning");
        assertThat(b.getStatus().spent).isEqualTo("346.00");
        assertThat(b.getStatus().usedPercent).isEqualTo(72);
        assertThat(b.getStatus().used).isEqualTo("72%");
        assertThat(b.getStatus().periodStart).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(b.getStatus().periodEnd).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(b.getStatus().dataThrough).isEqualTo("2026-11-15T10:00:00Z");
        assertThat(b.getStatus().observedGeneration).isEqualTo(b.getMetadata().getGeneration());
        assertThat(condition(b, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(b, "DataAvailable").getStatus()).isEqualTo("True");
        await().atMost(Waits.FOLLOW_UP).untilAsserted(() -> {
            CostBudget now = get("team-a", "alpha");
            assertThat(now.getStatus().crossedThresholds).hasSize(1);
            assertThat(now.getStatus().crossedThresholds.get(0).percent).isEqualTo(70);
            assertThat(now.getStatus().crossedThresholds.get(0).actions.get(0).result)
                    .isEqualTo("Done");
        });

        int queriesBefore = prometheus.queries();
        await().atMost(Waits.FOLLOW_UP).until(() -> prometheus.queries() >= queriesBefore + 3);
        List<Event> events = thresholdEvents("team-a");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getMessage()).contains("346.00", "480.00", "72%", "70% threshold");
        assertThat(events.get(0).getInvolvedObject().getName()).isEqualTo("alpha");
        assertThat(events.get(0).getType()).isEqualTo("Warning");
    }

    @Test
    void aSettledBudgetIsEvaluatedAgainWhenItsDataOrTheQuarterHourChangesNotOnEveryCycle() {
        // 346.00 of 10,000.00: under every threshold, nothing in flight; the stand-in answers the same every second
        create("team-a", "quiet", spec("10000.00", Map.of("tenant", "alpha")));
        awaitState("team-a", "quiet", "Ok");
        long skippedBefore = app.metrics().unchanged("CostBudget");
        await().atMost(Waits.FOLLOW_UP).until(() -> app.metrics().unchanged("CostBudget") >= skippedBefore + 2);
        long reconciled = app.metrics().reconciles("CostBudget");
        long skipped = app.metrics().unchanged("CostBudget");
        await().atMost(Waits.FOLLOW_UP).until(() -> app.metrics().unchanged("CostBudget") >= skipped + 2);
        assertThat(app.metrics().reconciles("CostBudget"))
                .as("cycles with the same answers, quarter hour and object leave it alone")
                .isEqualTo(reconciled);

        // the re-read of the newest hours answers differently: evaluated again, and the status follows
        prometheus.spike(NOW.minusSeconds(2 * 3600), NOW, 3);
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() ->
                        assertThat(get("team-a", "quiet").getStatus().spent).isNotEqualTo("346.00"));

        long beforeQuarter = app.metrics().reconciles("CostBudget");
        clock.advance(java.time.Duration.ofMinutes(15));
        await().atMost(Waits.RECONCILED)
                .alias("a new quarter hour evaluates every budget")
                .until(() -> app.metrics().reconciles("CostBudget") > beforeQuarter);
    }

    @Test
    void anEvaluationLaterInTheSameQuarterHourDecidesWhatTheSkippedCyclesKept() {
        // what leaving a settled budget alone relies on: evaluated again 14 minutes later with the same data, it
        // decides the same status
        create("team-a", "same", spec("10000.00", Map.of("tenant", "alpha")));
        awaitState("team-a", "same", "Ok");
        long skipped = app.metrics().unchanged("CostBudget");
        await().atMost(Waits.FOLLOW_UP).until(() -> app.metrics().unchanged("CostBudget") >= skipped + 1);
        com.fasterxml.jackson.databind.JsonNode before =
                new ObjectMapper().valueToTree(get("team-a", "same").getStatus());

        clock.advance(java.time.Duration.ofMinutes(14));
        long reconciled = app.metrics().reconciles("CostBudget");
        Conflicts.retry(() -> client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName("same")
                .edit(b -> {
                    b.getMetadata().setAnnotations(Map.of("example.com/touched", "1"));
                    return b;
                }));
        await().atMost(Waits.RECONCILED).until(() -> app.metrics().reconciles("CostBudget") > reconciled);
        long after = app.metrics().unchanged("CostBudget");
        await().atMost(Waits.FOLLOW_UP).until(() -> app.metrics().unchanged("CostBudget") > after);
        com.fasterxml.jackson.databind.JsonNode now =
                new ObjectMapper().valueToTree(get("team-a", "same").getStatus());
        assertThat(now).isEqualTo(before);
    }

    @Test
    void aSettledBudgetSeesADownEmptyNaNOrPartialAnswerAtTheNextCycleAndKeepsItsFigures() {
        create("team-a", "calm", spec("10000.00", Map.of("tenant", "alpha")));
        awaitState("team-a", "calm", "Ok");
        Instant reread = NOW.minusSeconds(2 * 3600);
        List<Map.Entry<String, Runnable[]>> faults = List.of(
                Map.entry("HttpError", new Runnable[] {() -> prometheus.down(true), () -> prometheus.down(false)}),
                Map.entry("MissingHours", new Runnable[] {() -> prometheus.empty(true), () -> prometheus.empty(false)}),
                Map.entry("NaNValues", new Runnable[] {
                    () -> prometheus.spike(reread, NOW, Double.NaN), () -> prometheus.spike(reread, NOW, 1)
                }),
                Map.entry(
                        "MissingHours",
                        new Runnable[] {() -> prometheus.hole(reread, NOW), () -> prometheus.hole(NOW, NOW)}));
        for (Map.Entry<String, Runnable[]> fault : faults) {
            long skipped = app.metrics().unchanged("CostBudget");
            await().atMost(Waits.FOLLOW_UP).until(() -> app.metrics().unchanged("CostBudget") > skipped);
            fault.getValue()[0].run();
            CostBudget blind = awaitState("team-a", "calm", "Unknown");
            assertThat(condition(blind, "DataAvailable").getReason()).isEqualTo(fault.getKey());
            assertThat(blind.getStatus().spent).as(fault.getKey()).isEqualTo("346.00");
            assertThat(blind.getStatus().dataThrough).isEqualTo("2026-11-15T10:00:00Z");
            fault.getValue()[1].run();
            assertThat(awaitState("team-a", "calm", "Ok").getStatus().spent).isEqualTo("346.00");
        }
    }

    @Test
    void aBudgetPastAThresholdIsEvaluatedOnEveryCycle() {
        create("team-a", "warm", spec("480.00", Map.of("tenant", "alpha")));
        awaitState("team-a", "warm", "Warning");
        long reconciled = app.metrics().reconciles("CostBudget");
        await().atMost(Waits.FOLLOW_UP).until(() -> app.metrics().reconciles("CostBudget") >= reconciled + 3);
        assertThat(app.metrics().unchanged("CostBudget")).isZero();
    }

    @Test
    void forecastsTheEndOfThePeriodAndWarnsOnceWhenItCrossesTheWarningLevel() {
        // a flat 1.00 an hour: 346 spent, 374 hours left until December
        create("team-a", "ahead", spec("480.00", Map.of("tenant", "alpha")));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "ahead");
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().forecast).isEqualTo("720.00");
            assertThat(b.getStatus().forecastPercent).isEqualTo(150);
            assertThat(b.getStatus().forecastExceededAt).isNotNull();
            assertThat(condition(b, "ForecastAvailable").getStatus()).isEqualTo("True");
        });
        int queriesBefore = prometheus.queries();
        await().atMost(Waits.FOLLOW_UP).until(() -> prometheus.queries() >= queriesBefore + 3);
        List<Event> warnings = client.v1().events().inNamespace("team-a").list().getItems().stream()
                .filter(e -> CostBudgetReconciler.FORECAST_EVENT.equals(e.getReason()))
                .toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).getMessage()).contains("forecast 720.00 of 480.00 USD (150%)", "100% warning");
    }

    @Test
    void aDayOfTripleSpendIsAnAnomalyWithAnEvent() {
        prometheus.spike(Instant.parse("2026-11-13T00:00:00Z"), Instant.parse("2026-11-14T00:00:00Z"), 3);
        create("team-a", "spiky", spec("100000.00", Map.of("tenant", "alpha")));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "spiky");
            assertThat(b.getStatus()).isNotNull();
            // with the default direction Both, the day back at the baseline is a day-over-day drop of two thirds
            assertThat(b.getStatus().anomalies)
                    .extracting(a -> a.day, a -> a.direction)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("2026-11-13", "Increase"),
                            org.assertj.core.groups.Tuple.tuple("2026-11-14", "Decrease"));
            assertThat(b.getStatus().anomalies.get(0).spend).isEqualTo("72.00");
            assertThat(b.getStatus().anomalies.get(0).expected).isEqualTo("24.00");
            assertThat(b.getStatus().anomalies.get(0).partial).isNull();
            assertThat(condition(b, "AnomalyDetected").getStatus()).isEqualTo("True");
        });
        List<Event> events = client.v1().events().inNamespace("team-a").list().getItems().stream()
                .filter(e -> CostBudgetReconciler.ANOMALY_EVENT.equals(e.getReason()))
                .toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getMessage()).contains("2026-11-13", "72.00", "24.00");
    }

    @Test
    void anAnomalyNamesTheTenantWhoseSpendSpikedAsItsDriver() {
        // three tenants in two namespaces; on 2026-11-13 beta's workload runs at 4x (+36.00) and gamma's at 1.1x
        // (+4.80)
        prometheus.spikeTenants(
                Instant.parse("2026-11-13T00:00:00Z"),
                Instant.parse("2026-11-14T00:00:00Z"),
                Map.of("beta", 4.0, "gamma", 1.1));
        CostBudgetSpec org = spec("100000.00", Map.of());
        org.scope.namespaces = List.of("team-a", "team-b");
        create("finance", "all-teams", org);
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("finance", "all-teams");
            assertThat(b.getStatus()).isNotNull();
            // the rise on the 13th, and (direction Both) the fall back to normal on the 14th
            assertThat(b.getStatus().anomalies)
                    .extracting(a -> a.day + " " + a.direction)
                    .containsExactly("2026-11-13 Increase", "2026-11-14 Decrease");
            io.costguard.api.CostAnomaly anomaly = b.getStatus().anomalies.get(0);
            assertThat(anomaly.drivers).hasSize(2);
            // back at its baseline, nobody moved against their own: a drop without drivers
            assertThat(b.getStatus().anomalies.get(1).drivers).isNull();
            io.costguard.api.AnomalyDriver top = anomaly.drivers.get(0);
            assertThat(top.namespace).isEqualTo("team-a");
            assertThat(top.keys).containsEntry("tenant", "beta").containsEntry("team", "a");
            assertThat(top.spend).isEqualTo("48.00");
            assertThat(top.expected).isEqualTo("12.00");
            assertThat(top.change).isEqualTo("+36.00");
            // 36.00 of the scope's 40.80
            assertThat(top.sharePercent).isEqualTo(88).isGreaterThanOrEqualTo(80);
            assertThat(anomaly.drivers.get(1).keys).containsEntry("tenant", "gamma");
            assertThat(anomaly.drivers.get(1).sharePercent).isEqualTo(12);
        });
        List<Event> events = client.v1().events().inNamespace("finance").list().getItems().stream()
                .filter(e -> CostBudgetReconciler.ANOMALY_EVENT.equals(e.getReason()))
                .toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getMessage())
                .contains(
                        "; driven by tenant=beta,feature=search,team=a,environment=prod in ns team-a +36.00 USD (88%), "
                                + "tenant=gamma,feature=search,team=b,environment=prod in ns team-b +4.80 USD (12%)")
                .hasSizeLessThan(1024);
    }

    @Test
    void aTwentyHourHoleIsMissingDataNotZeroSpend() {
        // no points for 2026-11-13 02:00-22:00: the day keeps 4 of its 24 hours, the day after is whole
        prometheus.hole(Instant.parse("2026-11-13T02:00:00Z"), Instant.parse("2026-11-13T22:00:00Z"));
        // the day after is a little above its baseline: against a day counted as 4 hours, a 500% jump
        prometheus.spike(Instant.parse("2026-11-14T00:00:00Z"), Instant.parse("2026-11-15T00:00:00Z"), 1.05);
        create("team-a", "holey", spec("100000.00", Map.of("tenant", "alpha")));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "holey");
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().spent).isEqualTo("327.20");
            // 326 of 346 hours
            assertThat(b.getStatus().dataCoveragePercent).isEqualTo(94);
            assertThat(b.getStatus().dataCoverage).isEqualTo("94%");
            assertThat(condition(b, "DataComplete").getStatus()).isEqualTo("True");
            assertThat(condition(b, "DataComplete").getReason()).isEqualTo("MostlyComplete");
            assertThat(condition(b, "DataComplete").getMessage())
                    .contains("20 of 346 hours", "between 2026-11-13T02:00:00Z and 2026-11-13T22:00:00Z");
            // a flat 1.00 an hour goes on for the 374 hours left; the hole does not pull the level down
            assertThat(Double.parseDouble(b.getStatus().forecast)).isBetween(327.20 + 374 * 0.99, 327.20 + 374 * 1.06);
            assertThat(condition(b, "AnomalyDetected").getStatus()).isEqualTo("False");
            assertThat(condition(b, "AnomalyDetected").getMessage()).contains("not judged", "2026-11-13");
            assertThat(b.getStatus().anomalies).isNull();
        });
        assertThat(client.v1().events().inNamespace("team-a").list().getItems().stream()
                        .filter(e -> CostBudgetReconciler.ANOMALY_EVENT.equals(e.getReason())))
                .isEmpty();
    }

    @Test
    void aDropIsReportedAsSuchWithItsOwnEventAndOnlyWhenAsked() {
        // a pipeline stopped on Friday 2026-11-13: a fifth of the usual spend
        prometheus.spike(Instant.parse("2026-11-13T00:00:00Z"), Instant.parse("2026-11-14T00:00:00Z"), 0.2);
        CostBudgetSpec drops = spec("100000.00", Map.of("tenant", "alpha"));
        drops.anomaly = new io.costguard.api.AnomalySpec();
        drops.anomaly.direction = "Decrease";
        create("team-a", "stopped", drops);
        CostBudgetSpec rises = spec("100000.00", Map.of("tenant", "alpha"));
        rises.anomaly = new io.costguard.api.AnomalySpec();
        rises.anomaly.direction = "Increase";
        create("team-a", "rises", rises);
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "stopped");
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().anomalies).hasSize(1);
            assertThat(b.getStatus().anomalies.get(0).day).isEqualTo("2026-11-13");
            assertThat(b.getStatus().anomalies.get(0).direction).isEqualTo("Decrease");
            assertThat(b.getStatus().anomalies.get(0).spend).isEqualTo("4.80");
            assertThat(b.getStatus().anomalies.get(0).changePercent).isEqualTo(-80);
            assertThat(condition(b, "AnomalyDetected").getMessage()).contains("down");
            CostBudget r = get("team-a", "rises");
            assertThat(r.getStatus()).isNotNull();
            assertThat(condition(r, "AnomalyDetected").getStatus()).isEqualTo("False");
            assertThat(r.getStatus().anomalies).isNull(); // neither the drop nor the way back up to the baseline
        });
        List<Event> events = client.v1().events().inNamespace("team-a").list().getItems();
        assertThat(events)
                .filteredOn(e -> CostBudgetReconciler.DROP_EVENT.equals(e.getReason()))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("stopped");
                    assertThat(e.getMessage()).contains("2026-11-13", "4.80", "24.00", "-80% day over day");
                });
        assertThat(events).noneMatch(e -> CostBudgetReconciler.ANOMALY_EVENT.equals(e.getReason()));
        // drops are reported, never acted on
        assertThat(get("team-a", "stopped").getStatus().crossedThresholds).isNullOrEmpty();
    }

    @Test
    void aSpikeInTheRunningDayIsFlaggedInTheFirstEvaluationAfterItsFirstCompleteHour() {
        // data runs through 10:00 on Sunday 2026-11-15; the hour 09:00-10:00 is the first complete hour at triple spend
        prometheus.spike(Instant.parse("2026-11-15T09:00:00Z"), Instant.parse("2026-11-15T12:00:00Z"), 3);
        create("team-a", "runaway", spec("100000.00", Map.of("tenant", "alpha")));
        CostBudget b = await().atMost(Waits.RECONCILED)
                .until(
                        () -> get("team-a", "runaway"),
                        x -> x.getStatus() != null && x.getStatus().observedGeneration != null);
        // the first status written already holds it
        assertThat(b.getStatus().anomalies).singleElement().satisfies(a -> {
            assertThat(a.day).isEqualTo("2026-11-15");
            assertThat(a.partial).isTrue();
            // the day so far: 12.00 against the 10.00 of the same hours on earlier days, +20 % day over day
            assertThat(a.hours).isEqualTo("00:00-10:00");
            assertThat(a.direction).isEqualTo("Increase");
            assertThat(a.spend).isEqualTo("12.00");
            assertThat(a.expected).isEqualTo("10.00");
        });
        assertThat(condition(b, "AnomalyDetected").getMessage()).contains("2026-11-15 00:00-10:00 (day running)");
        List<Event> events = client.v1().events().inNamespace("team-a").list().getItems().stream()
                .filter(e -> CostBudgetReconciler.ANOMALY_EVENT.equals(e.getReason()))
                .toList();
        assertThat(events)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("2026-11-15 00:00-10:00"));
    }

    @Test
    void aSpikeThatVolumeExplainsIsNoAnomaly() {
        // the stand-in answers the volume query with the same series: cost per unit stays flat
        prometheus.spike(Instant.parse("2026-11-13T00:00:00Z"), Instant.parse("2026-11-14T00:00:00Z"), 3);
        CostBudgetSpec spec = spec("100000.00", Map.of("tenant", "alpha"));
        spec.anomaly = new io.costguard.api.AnomalySpec();
        spec.anomaly.volumeQuery = "sum(rate(http_requests_total{namespace=\"team-a\"}[1h]))";
        create("team-a", "busy", spec);
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "busy");
            assertThat(b.getStatus()).isNotNull();
            assertThat(condition(b, "AnomalyDetected")).isNotNull();
            assertThat(condition(b, "AnomalyDetected").getStatus()).isEqualTo("False");
            assertThat(b.getStatus().anomalies).isNull();
        });
    }

    @Test
    void statusIsNotRewrittenWhenNothingChanged() {
        create("team-a", "steady", spec("10000.00", Map.of("tenant", "alpha")));
        awaitState("team-a", "steady", "Ok");
        String version = get("team-a", "steady").getMetadata().getResourceVersion();
        // later cycles in the same hour read the same data: time passing alone is no change
        clock.advance(java.time.Duration.ofMinutes(20));
        int queriesBefore = prometheus.queries();
        await().atMost(Waits.FOLLOW_UP).until(() -> prometheus.queries() >= queriesBefore + 3);
        assertThat(get("team-a", "steady").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void aSpecEditMovesObservedGenerationAndTheFigures() {
        create("team-a", "edit", spec("10000.00", Map.of("tenant", "alpha")));
        CostBudget first = awaitState("team-a", "edit", "Ok");
        long generation = first.getMetadata().getGeneration();

        Conflicts.retry(() -> client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName("edit")
                .edit(b -> {
                    b.getSpec().amount = "346.00";
                    return b;
                }));
        CostBudget edited = awaitState("team-a", "edit", "Exceeded");
        assertThat(edited.getMetadata().getGeneration()).isGreaterThan(generation);
        assertThat(edited.getStatus().observedGeneration)
                .isEqualTo(edited.getMetadata().getGeneration());
        assertThat(edited.getStatus().usedPercent).isEqualTo(100);
    }

    @Test
    void prometheusDownGivesUnknownAndNoEvent() {
        prometheus.down(true);
        // the first cycle may have read Prometheus before it went down: wait for one that found it down
        await().atMost(Waits.RECONCILED)
                .until(() -> app.collector().status().collected()
                        && !app.collector().status().available());
        // 346 of 100: would be Exceeded with fresh data
        create("team-a", "blind", spec("100.00", Map.of("tenant", "alpha")));
        CostBudget b = awaitState("team-a", "blind", "Unknown");
        Condition data = condition(b, "DataAvailable");
        assertThat(data.getStatus()).isEqualTo("False");
        assertThat(data.getReason()).isEqualTo("HttpError");
        assertThat(data.getMessage()).contains("stub is down");
        assertThat(condition(b, "Ready").getReason()).isEqualTo("DataUnavailable");
        assertThat(b.getStatus().crossedThresholds).isEmpty();
        assertThat(thresholdEvents("team-a")).isEmpty();

        prometheus.down(false);
        CostBudget back = awaitState("team-a", "blind", "Exceeded");
        assertThat(condition(back, "DataAvailable").getStatus()).isEqualTo("True");
        await().atMost(Waits.FOLLOW_UP).until(() -> thresholdEvents("team-a").size() == 3);
    }

    /**
     * DESIGN.md section 7, second round: an empty answer after real data is missing data, not zero cost. Two
     * daily budgets over alpha's 10.00 so far today: one at 90 % with Throttle in force (a flagd ConfigMap),
     * one at 102 % with Freeze in force. Losing the two re-read hours would put them at 72 % and 81 %.
     */
    @Test
    void anEmptyAnswerAfterRealDataRevertsNothingAndAnActionUndoneByAmountIsAppliedAgain() throws Exception {
        client.configMaps()
                .inNamespace("team-a")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("flagd-config")
                        .endMetadata()
                        .addToData(
                                "flags.json",
                                "{\"flags\":{\"ai-search\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},"
                                        + "\"defaultVariant\":\"on\"}}}")
                        .build())
                .create();
        CostBudgetSpec throttling = spec("11.10", Map.of("tenant", "alpha"));
        throttling.period = "Daily";
        throttling.throttle = new ThrottleSpec();
        throttling.throttle.featureFlags = List.of(BudgetTestData.flagdConfigMapFlag());
        create("team-a", "throttled", throttling);
        CostBudgetSpec freezing = spec("9.80", Map.of("tenant", "alpha"));
        freezing.period = "Daily";
        create("team-a", "frozen", freezing);
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(flagVariant()).isEqualTo("off");
            assertThat(actionResult(get("team-a", "throttled"), 85, "Throttle")).isEqualTo("Done");
            assertThat(actionResult(get("team-a", "frozen"), 100, "Freeze")).isEqualTo("Done");
            assertThat(app.freezes().snapshot()).containsKey("team-a/frozen");
        });
        assertThat(get("team-a", "throttled").getStatus().used).isEqualTo("90%");
        assertThat(get("team-a", "frozen").getStatus().used).isEqualTo("102%");

        prometheus.empty(true);
        for (String name : List.of("throttled", "frozen")) {
            CostBudget b = awaitState("team-a", name, "Unknown");
            assertThat(condition(b, "DataAvailable").getStatus()).isEqualTo("False");
            assertThat(condition(b, "DataAvailable").getReason()).isEqualTo("MissingHours");
            assertThat(condition(b, "DataAvailable").getMessage()).contains("missing data, not zero cost");
            assertThat(condition(b, "Ready").getReason()).isEqualTo("DataUnavailable");
            assertThat(b.getStatus().spent).isEqualTo("10.00");
            assertThat(b.getStatus().dataThrough).isEqualTo("2026-11-15T10:00:00Z");
        }
        int queriesBefore = prometheus.queries();
        await().atMost(Waits.FOLLOW_UP).until(() -> prometheus.queries() >= queriesBefore + 3);
        assertThat(app.collector().lastCycle().missingHours()).isEqualTo(2);
        assertThat(actionResult(get("team-a", "throttled"), 85, "Throttle")).isEqualTo("Done");
        assertThat(actionResult(get("team-a", "frozen"), 100, "Freeze")).isEqualTo("Done");
        assertThat(get("team-a", "frozen").getStatus().deploysFrozen).isTrue();
        assertThat(flagVariant()).isEqualTo("off");
        assertThat(app.freezes().snapshot()).containsKey("team-a/frozen");

        prometheus.empty(false);
        assertThat(awaitState("team-a", "throttled", "Critical").getStatus().spent)
                .isEqualTo("10.00");
        assertThat(condition(awaitState("team-a", "frozen", "Exceeded"), "DataAvailable")
                        .getStatus())
                .isEqualTo("True");
        assertThat(flagVariant()).isEqualTo("off");
        assertThat(app.freezes().snapshot()).containsKey("team-a/frozen");

        // raising the amounts undoes both; lowering them again crosses the thresholds again and re-applies both
        setAmount("throttled", "100.00");
        setAmount("frozen", "100.00");
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(flagVariant()).isEqualTo("on");
            assertThat(actionResult(get("team-a", "throttled"), 85, "Throttle")).isEqualTo("Reverted");
            assertThat(actionResult(get("team-a", "frozen"), 100, "Freeze")).isEqualTo("Reverted");
            assertThat(app.freezes().snapshot()).doesNotContainKey("team-a/frozen");
        });
        setAmount("throttled", "11.10");
        setAmount("frozen", "9.80");
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(flagVariant()).isEqualTo("off");
            assertThat(actionResult(get("team-a", "throttled"), 85, "Throttle")).isEqualTo("Done");
            assertThat(actionResult(get("team-a", "frozen"), 100, "Freeze")).isEqualTo("Done");
            assertThat(get("team-a", "frozen").getStatus().deploysFrozen).isTrue();
            assertThat(app.freezes().snapshot()).containsKey("team-a/frozen");
        });
        // Notify stays once per threshold per period: 70 and 85 for one, 70, 85 and 100 for the other
        assertThat(thresholdEvents("team-a")).hasSize(5);
    }

    /**
     * A first run recorded the 70 % crossing, sent its Event and stopped before marking it Done. The next run
     * finds the Event there: it marks the crossing Done without counting it again, and counts the new 85 %
     * crossing exactly once however often it reconciles.
     */
    @Test
    void aCrossingIsCountedOnceAndARestartThatFindsItsEventCountsItNoMore() throws Exception {
        app.close();
        create("team-a", "counted", spec("400.00", Map.of("tenant", "alpha"))); // 346.00: 86 %
        CostBudget first = get("team-a", "counted");
        first.setStatus(new io.costguard.api.CostBudgetStatus());
        first.getStatus().periodStart = "2026-11-01T00:00:00Z";
        first.getStatus().periodEnd = "2026-12-01T00:00:00Z";
        first.getStatus().crossedThresholds = new java.util.ArrayList<>(List.of(new io.costguard.api.CrossedThreshold(
                70,
                "2026-11-15T09:00:00Z",
                new java.util.ArrayList<>(List.of(
                        new io.costguard.api.ActionRecord("Notify", "Pending", "2026-11-15T09:00:00Z", null))))));
        client.resource(first).updateStatus();
        long periodStart = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
        assertThat(new io.costguard.kube.EventRecorder(client, "first-run")
                        .once(
                                first,
                                "threshold-70-" + periodStart,
                                io.costguard.kube.EventRecorder.Type.Warning,
                                CostBudgetReconciler.THRESHOLD_EVENT,
                                "crossed 70%",
                                NOW))
                .isTrue();

        app = new OperatorApp(
                TestConfigs.operator(prometheus.url(), "1s", Map.of()), client, Clock.fixed(NOW, ZoneOffset.UTC));
        app.start();
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("team-a", "counted");
            assertThat(actionResult(b, 70, "Notify")).isEqualTo("Done");
            assertThat(actionResult(b, 85, "Notify")).isEqualTo("Done");
        });
        int queriesBefore = prometheus.queries();
        await().atMost(Waits.FOLLOW_UP).until(() -> prometheus.queries() >= queriesBefore + 3);

        String metrics = io.costguard.testing.Scrape.metrics(app.httpPort());
        assertThat(metrics)
                .contains(
                        "costguard_threshold_crossings_total{name=\"counted\",namespace=\"team-a\",percent=\"85\"} 1.0")
                .doesNotContain(
                        "costguard_threshold_crossings_total{name=\"counted\",namespace=\"team-a\",percent=\"70\"}");
        assertThat(thresholdEvents("team-a")).hasSize(2);
    }

    /** A restart while Prometheus has nothing: the freeze recorded for this period stays published, one of last period does not. */
    @Test
    void aRestartWithoutDataKeepsTheFreezeThatStatusRecordsForThisPeriod() throws Exception {
        app.close();
        prometheus.empty(true);
        create("team-a", "held", spec("300.00", Map.of("tenant", "alpha")));
        create("team-a", "stale", spec("300.00", Map.of("tenant", "alpha")));
        frozenStatus("held", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z");
        frozenStatus("stale", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");

        app = new OperatorApp(
                TestConfigs.operator(prometheus.url(), "1s", Map.of()), client, Clock.fixed(NOW, ZoneOffset.UTC));
        app.start();
        await().atMost(Waits.RECONCILED).until(() -> app.collector().status().collected());
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(app.freezes().snapshot()).containsKey("team-a/held"));
        int queriesBefore = prometheus.queries();
        await().atMost(Waits.FOLLOW_UP).until(() -> prometheus.queries() >= queriesBefore + 3);
        assertThat(app.freezes().snapshot()).containsOnlyKeys("team-a/held");
        assertThat(get("team-a", "held").getStatus().deploysFrozen).isTrue();
    }

    private void frozenStatus(String name, String periodStart, String periodEnd) {
        CostBudget b = get("team-a", name);
        b.setStatus(new io.costguard.api.CostBudgetStatus());
        b.getStatus().periodStart = periodStart;
        b.getStatus().periodEnd = periodEnd;
        b.getStatus().state = "Exceeded";
        b.getStatus().deploysFrozen = true;
        b.getStatus().crossedThresholds = new java.util.ArrayList<>(List.of(new io.costguard.api.CrossedThreshold(
                100,
                periodStart,
                new java.util.ArrayList<>(
                        List.of(new io.costguard.api.ActionRecord("Freeze", "Done", periodStart, null))))));
        client.resource(b).updateStatus();
    }

    @Test
    void anInvalidSpecNamesTheFieldAndTheFix() {
        CostBudgetSpec spec = spec("100.00", Map.of());
        spec.thresholds = List.of(
                new BudgetThreshold(85, List.of(BudgetAction.Notify)),
                new BudgetThreshold(70, List.of(BudgetAction.Notify)));
        create("team-a", "unordered", spec);
        CostBudget b = awaitState("team-a", "unordered", "Invalid");
        Condition ready = condition(b, "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("InvalidSpec");
        assertThat(ready.getMessage()).contains("spec.thresholds[1].percent", "strictly ascending");
        assertThat(thresholdEvents("team-a")).isEmpty();
    }

    @Test
    void onlyATrustedNamespaceMaySelectOtherNamespaces() {
        CostBudgetSpec crossTeam = spec("1000.00", Map.of());
        crossTeam.scope.namespaces = List.of("team-a", "team-b");
        create("team-a", "grab", crossTeam);
        CostBudget denied = awaitState("team-a", "grab", "Invalid");
        assertThat(condition(denied, "Ready").getMessage()).contains("spec.scope.namespaces[1]", "budget-admin");

        CostBudgetSpec org = spec("10000.00", Map.of());
        org.scope.namespaces = List.of("team-a", "team-b");
        create("finance", "org", org);
        CostBudget allowed = awaitState("finance", "org", "Ok");
        // 1.0 + 0.5 + 2.0 per hour over 346 hours
        assertThat(allowed.getStatus().spent).isEqualTo("1211.00");

        create("costguard-system", "org", org);
        assertThat(awaitState("costguard-system", "org", "Ok").getStatus().spent)
                .isEqualTo("1211.00");
    }

    @Test
    void anUnknownAllocationKeyIsInvalid() {
        create("team-a", "typo", spec("100.00", Map.of("tennant", "alpha")));
        CostBudget b = awaitState("team-a", "typo", "Invalid");
        assertThat(condition(b, "Ready").getMessage())
                .contains("spec.scope.selector.tennant", "tenant, feature, team, environment");
    }

    private static CostBudgetSpec spec(String amount, Map<String, String> selector) {
        CostBudgetSpec spec = new CostBudgetSpec();
        spec.amount = amount;
        spec.scope = new BudgetScope();
        spec.scope.selector = selector;
        return spec;
    }

    private void create(String ns, String name, CostBudgetSpec spec) {
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        b.setSpec(spec);
        client.resource(b).create();
    }

    private void setAmount(String name, String amount) {
        BudgetTestData.setAmount(client, "team-a", name, amount);
    }

    private String flagVariant() throws IOException {
        String json = client.configMaps()
                .inNamespace("team-a")
                .withName("flagd-config")
                .get()
                .getData()
                .get("flags.json");
        return new ObjectMapper()
                .readTree(json)
                .path("flags")
                .path("ai-search")
                .path("defaultVariant")
                .asText();
    }

    private CostBudget get(String ns, String name) {
        return client.resources(CostBudget.class).inNamespace(ns).withName(name).get();
    }

    private CostBudget awaitState(String ns, String name, String state) {
        await().atMost(Waits.RECONCILED).until(() -> {
            CostBudget b = get(ns, name);
            return b.getStatus() != null && state.equals(b.getStatus().state);
        });
        return get(ns, name);
    }

    private static Condition condition(CostBudget b, String type) {
        return Conditions.find(b.getStatus().conditions, type);
    }

    private List<Event> thresholdEvents(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> CostBudgetReconciler.THRESHOLD_EVENT.equals(e.getReason()))
                .toList();
    }
}

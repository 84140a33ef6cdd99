package io.costguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.admission.ClusterFeed;
import io.costguard.api.PerfBaseline;
import io.costguard.app.OperatorApp;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.Conflicts;
import io.costguard.kube.NamespaceTrust;
import io.costguard.status.Conditions;
import io.costguard.testing.MockApi;
import io.costguard.testing.MutableClock;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.ScriptedPrometheus.Sample;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PerfBaseline reconciler against the mock API and a scripted Prometheus: status, rightsizing, freeze. */
@EnableKubernetesMockClient(crud = true)
class PerfBaselineReconcilerTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String POD_A = "api-7d9f8c6b5-abcde";
    static final String POD_B = "api-7d9f8c6b5-fghij";
    static final double MIB = 1024 * 1024;

    KubernetesClient client;
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;
    MutableClock clock = new MutableClock(NOW);
    ScriptedPrometheus prom;
    OperatorApp app;
    OperatorConfig config;
    /** Share of 5xx responses the stand-in reports now. */
    final AtomicReference<Double> errors = new AtomicReference<>(0.0);
    /** Requests per second of the second pod the stand-in reports now. */
    final AtomicReference<Double> podBRate = new AtomicReference<>(50.0);
    /** When set, the stand-in answers the request counts with no series at all (an empty answer). */
    final java.util.concurrent.atomic.AtomicBoolean noRequestSeries = new java.util.concurrent.atomic.AtomicBoolean();

    @BeforeEach
    void start() throws Exception {
        MockApi.crds(client, "perfbaselines", "costbudgets");
        MockApi.namespaces(client, "team-a");
        // answering several queries at once, as Prometheus does: a slow answer holds up only its own caller
        prom = new ScriptedPrometheus(4);
        prom.steady("_bucket{namespace=\"team-a\"}", () -> {
            List<Sample> out = new ArrayList<>();
            for (String pod : List.of(POD_A, POD_B)) {
                // every request takes 0.1-0.2 s: p95 = 0.1 + 0.1 × 0.95 = 0.195 s
                out.add(new Sample(Map.of("pod", pod, "le", "0.1"), 0));
                out.add(new Sample(Map.of("pod", pod, "le", "0.2"), 50));
                out.add(new Sample(Map.of("pod", pod, "le", "+Inf"), 50));
            }
            return out;
        });
        prom.instant(
                "_count{namespace=\"team-a\"}",
                () -> noRequestSeries.get()
                        ? List.of()
                        : List.of(
                                new Sample(
                                        Map.of("pod", POD_A, "http_response_status_code", "200"),
                                        50 * (1 - errors.get())),
                                new Sample(Map.of("pod", POD_A, "http_response_status_code", "500"), 50 * errors.get()),
                                new Sample(Map.of("pod", POD_B, "http_response_status_code", "200"), podBRate.get())));
        prom.instant(
                "kube_pod_container_resource_requests{namespace=\"team-a\"",
                () -> List.of(
                        new Sample(Map.of("namespace", "team-a", "pod", POD_A), 0.09),
                        new Sample(Map.of("namespace", "team-a", "pod", POD_B), 0.09)));
        long from = NOW.minus(Duration.ofDays(2)).getEpochSecond();
        prom.range(
                "container_cpu_usage_seconds_total{namespace=\"team-a\"",
                List.of(Map.of("pod", POD_A, "container", "app"), Map.of("pod", POD_B, "container", "app")),
                (labels, t) -> t < from ? Double.NaN : 0.5);
        prom.instant(
                "container_memory_working_set_bytes{namespace=\"team-a\"",
                () -> List.of(
                        new Sample(Map.of("pod", POD_A, "container", "app"), 400 * MIB),
                        new Sample(Map.of("pod", POD_B, "container", "app"), 380 * MIB)));
        config = TestConfigs.operator(prom.url(), "1s", Map.of());
        app = new OperatorApp(config, client, clock);
        app.start();
    }

    /** Watches team-a's PerfBaselines and adds what {@code what} says of each status an event carries to {@code seen}. */
    io.fabric8.kubernetes.client.Watch recordStatuses(
            List<String> seen, java.util.function.Function<io.costguard.api.PerfBaselineStatus, String> what) {
        return client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, PerfBaseline pb) {
                        if (pb.getStatus() != null) {
                            seen.add(what.apply(pb.getStatus()));
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                });
    }

    final List<Thread> tickers = new ArrayList<>();

    @AfterEach
    void stop() {
        tickers.forEach(Thread::interrupt);
        app.close();
        prom.close();
    }

    void deployment(boolean limits) {
        var b = new DeploymentBuilder()
                .withNewMetadata()
                .withName("api")
                .withNamespace("team-a")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "api")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "api")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("api:1")
                .withNewResources()
                .addToRequests("cpu", new Quantity("1"))
                .addToRequests("memory", new Quantity("1Gi"));
        if (limits) {
            b = b.addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("2Gi"));
        }
        client.apps()
                .deployments()
                .inNamespace("team-a")
                .resource(b.endResources()
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
    }

    PerfBaseline create(String name, String specYaml) {
        return client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .resource(PerfFixtures.resource(name, "team-a", specYaml))
                .create();
    }

    PerfBaseline get(String name) {
        return client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName(name)
                .get();
    }

    Map<String, Quantity> requests() {
        return client.apps()
                .deployments()
                .inNamespace("team-a")
                .withName("api")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests();
    }

    Map<String, Quantity> limits() {
        return client.apps()
                .deployments()
                .inNamespace("team-a")
                .withName("api")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits();
    }

    @Test
    void aReadAsksForEveryCachedPerfBaselineNotOnlyThoseReconciledBeforeIt() throws Exception {
        // an hour between cycles: nothing but this test asks the collector for a read
        app.close();
        app = new OperatorApp(TestConfigs.operator(prom.url(), "1h", Map.of()), client, clock);
        app.start();
        deployment(false);
        create("api", "workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        create("ghost", "workload: {name: gone}\nrightsizing: {mode: \"Off\"}");
        create("broken", "workload: {name: api}\nslo: {latencyP95: soon}");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("api").getStatus().state).isNotNull();
            assertThat(get("ghost").getStatus().state).isEqualTo("Invalid");
            assertThat(get("broken").getStatus().state).isEqualTo("Invalid");
        });
        // as if the read came before api's first reconcile: its collector knows nothing of it
        app.perf().forget("team-a/api");
        app.baselines().demandCached();
        // the valid one whose workload is cached; neither the one naming a missing workload nor the invalid one
        assertThat(app.perf().collect().targets()).isEqualTo(1);
        assertThat(app.perf().signals("team-a/api")).isNotNull();
    }

    @Test
    void aSlowCostReadDoesNotHoldUpThePerformanceCycle() throws Exception {
        app.close();
        // every cost read (sums over the period) waits 30 s for Prometheus; the signals answer at once
        prom.delay("sum_over_time(", Duration.ofSeconds(30));
        app = new OperatorApp(
                TestConfigs.operator(prom.url(), "1s", Map.of("COSTGUARD_PROMETHEUS_TIMEOUT", "60s")), client, clock);
        app.start();
        deployment(false);
        create("api", "workload: {name: api}");
        await().atMost(Waits.FOLLOW_UP)
                .ignoreExceptions()
                .untilAsserted(() ->
                        assertThat(get("api").getStatus().current.latencyP95).isEqualTo("195ms"));
        assertThat(prom.queries()).anySatisfy(q -> assertThat(q).contains("sum_over_time("));
    }

    @Test
    void aNewPerfBaselineWaitsForTheFirstReadInsteadOfWritingAStatusItWouldOverwrite() throws Exception {
        app.close();
        deployment(false);
        create("api", "workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        // the new process's first read takes a while (within the 2 s query timeout): its first reconcile of api
        // comes before the read ends
        prom.delay("_bucket{namespace=\"team-a\"}", Duration.ofMillis(1500));
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = recordStatuses(seen, status -> status.state)) {
            app = new OperatorApp(config, client, clock);
            app.start();
            await().atMost(Waits.FOLLOW_UP)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(get("api").getStatus().current.latencyP95)
                            .isEqualTo("195ms"));
        }
        // one status, the measured one: no "waiting for the first measurement" written and overwritten at start
        assertThat(seen).isNotEmpty().allSatisfy(state -> assertThat(state).isNotEqualTo("Unknown"));

        // settled by the write itself: the cycles that follow with the same signals reconcile it no more (before,
        // one more reconcile came only to find the status it had written)
        Thread.sleep(300);
        long reconciled = app.metrics().reconciles("PerfBaseline");
        java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();
        app.perf().onCycle(stats -> cycles.incrementAndGet());
        awaitCycles(cycles, 3);
        assertThat(app.metrics().reconciles("PerfBaseline")).isEqualTo(reconciled);
    }

    @Test
    void aFailedReconcileIsInStatusAndEventsUntilARetryGetsThrough() {
        deployment(true);
        // 403 as from a Role that lost "patch" on deployments (the workload itself comes from the watch, so the
        // rightsizing patch is the reconcile's call to fail); the client does not retry it, JOSDK does (2 failures)
        String forbidden =
                "deployments.apps \"api\" is forbidden: User \"system:serviceaccount:costguard-system:costguard\" "
                        + "cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"team-a\"";
        server.expect()
                .patch()
                .withPath("/apis/apps/v1/namespaces/team-a/deployments/api?fieldManager=costguard")
                .andReturn(
                        403,
                        new io.fabric8.kubernetes.api.model.StatusBuilder()
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage(forbidden)
                                .build())
                .times(2);
        create("api", "workload: {name: api}\nslo: {latencyP95: 300ms}\nrightsizing: {mode: Apply}");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            var ready = Conditions.find(get("api").getStatus().conditions, "Ready");
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("ReconcileError");
            assertThat(ready.getMessage())
                    .startsWith("reconcile failed: Failure executing: PATCH at: ")
                    .contains("cannot patch resource \"deployments\"")
                    .contains("retrying with backoff")
                    .doesNotContain("Exception")
                    .doesNotContain("Status(")
                    .doesNotContain("\n");
            assertThat(client.v1().events().inNamespace("team-a").list().getItems())
                    .anySatisfy(e -> {
                        assertThat(e.getReason()).isEqualTo("ReconcileError");
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("api");
                    });
        });
        // the third try gets through: the evaluation replaces the error
        await().atMost(Waits.RETRIED).ignoreExceptions().untilAsserted(() -> {
            assertThat(Conditions.find(get("api").getStatus().conditions, "Ready")
                            .getStatus())
                    .isEqualTo("True");
            assertThat(get("api").getStatus().state).isEqualTo("Healthy");
        });
    }

    @Test
    void recommendWritesStatusOnly() {
        deployment(false);
        String before = client.apps()
                .deployments()
                .inNamespace("team-a")
                .withName("api")
                .get()
                .getMetadata()
                .getResourceVersion();
        create("api", "workload: {name: api}\nslo: {latencyP95: 300ms}");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            PerfBaseline pb = get("api");
            assertThat(pb.getStatus().state).isEqualTo("Healthy");
            assertThat(pb.getStatus().current.latencyP95).isEqualTo("195ms");
            assertThat(pb.getStatus().current.throughput).isEqualTo("100");
            assertThat(pb.getStatus().recommendations).singleElement().satisfies(r -> {
                // p95 of 0.5 cores + 30 % = 650m; peak 400Mi + 30 % = 520Mi
                assertThat(r.cpuRequest.current).isEqualTo("1");
                assertThat(r.cpuRequest.recommended).isEqualTo("650m");
                assertThat(r.memoryRequest.recommended).isEqualTo("520Mi");
            });
            assertThat(pb.getStatus().recommendedPatch).contains("- name: app", "cpu: 650m", "memory: 520Mi");
            assertThat(Conditions.find(pb.getStatus().conditions, "RightsizingApplied")
                            .getReason())
                    .isEqualTo("RecommendOnly");
        });
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("team-a")
                        .withName("api")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(before);
        assertThat(requests()).containsEntry("cpu", new Quantity("1"));
    }

    @Test
    void applyPatchesRecordsAndUndoRestores() {
        deployment(true);
        create("api", "workload: {name: api}\nrightsizing: {mode: Apply}");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(requests())
                    .containsEntry("cpu", new Quantity("650m"))
                    .containsEntry("memory", new Quantity("520Mi"));
            // limits keep their proportion to the requests: 2 × 0.65 = 1.3 cores, 2Gi × 520/1024 = 1040Mi
            assertThat(limits())
                    .containsEntry("cpu", new Quantity("1300m"))
                    .containsEntry("memory", new Quantity("1040Mi"));
            PerfBaseline pb = get("api");
            assertThat(pb.getStatus().lastApplied.result).isEqualTo("Applied");
            assertThat(pb.getStatus().lastApplied.previous.get("app").requests)
                    .containsEntry("cpu", "1")
                    .containsEntry("memory", "1Gi");
            assertThat(pb.getStatus().lastApplied.previous.get("app").limits)
                    .containsEntry("cpu", "2")
                    .containsEntry("memory", "2Gi");
        });
        assertThat(client.v1().events().inNamespace("team-a").list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RightsizingApplied"));
        var managed = client.apps()
                .deployments()
                .inNamespace("team-a")
                .withName("api")
                .get();
        assertThat(managed).isNotNull();

        Conflicts.retry(() -> client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .edit(pb -> {
                    pb.getMetadata().setAnnotations(Map.of("costguard.io/rightsizing-undo", "true"));
                    return pb;
                }));
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(requests()).containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("1Gi"));
            assertThat(limits()).containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("2Gi"));
            PerfBaseline pb = get("api");
            assertThat(pb.getStatus().lastApplied.result).isEqualTo("Undone");
            assertThat(pb.getMetadata().getAnnotations()).doesNotContainKey("costguard.io/rightsizing-undo");
            assertThat(Conditions.find(pb.getStatus().conditions, "RightsizingApplied")
                            .getReason())
                    .isEqualTo("Undone");
        });
        // undone stays undone: later cycles do not re-apply the same spec
        clock.advance(Duration.ofSeconds(30));
        await().during(Waits.HOLDS)
                .atMost(Waits.HOLDS_WITHIN)
                .untilAsserted(() -> assertThat(requests()).containsEntry("cpu", new Quantity("1")));
    }

    @Test
    void anHpaOnCpuLeavesCpuRequestsAlone() {
        deployment(false);
        client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace("team-a")
                .resource(new HorizontalPodAutoscalerBuilder()
                        .withNewMetadata()
                        .withName("api")
                        .endMetadata()
                        .withNewSpec()
                        .withNewScaleTargetRef()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName("api")
                        .endScaleTargetRef()
                        .withMinReplicas(2)
                        .withMaxReplicas(10)
                        .addNewMetric()
                        .withType("Resource")
                        .withNewResource()
                        .withName("cpu")
                        .withNewTarget()
                        .withType("Utilization")
                        .withAverageUtilization(70)
                        .endTarget()
                        .endResource()
                        .endMetric()
                        .endSpec()
                        .build())
                .create();
        create("api", "workload: {name: api}\nrightsizing: {mode: Apply}");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            PerfBaseline pb = get("api");
            assertThat(pb.getStatus().recommendations).singleElement().satisfies(r -> {
                assertThat(r.cpuRequest).isNull();
                assertThat(r.basis).contains("an HPA scales this workload on CPU");
            });
            assertThat(requests())
                    .containsEntry("cpu", new Quantity("1"))
                    .containsEntry("memory", new Quantity("520Mi"));
        });
    }

    @Test
    void freezeOnErrorRatioAndItsRelease() {
        deployment(false);
        NamespaceTrust trust = new NamespaceTrust(client, "costguard-system");
        FreezeRegistry registry = new FreezeRegistry();
        try (ClusterFeed feed = new ClusterFeed(
                client,
                trust,
                registry,
                new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, java.util.Map.of(), "USD"),
                java.util.Set.of(),
                new io.costguard.admission.Workloads(io.costguard.admission.Workloads.DEFAULT))) {
            create("api", """
          workload: {name: api}
          baseline: {latencyP95: 195ms, errorRatio: "0.001", throughput: "100"}
          regression: {consecutiveEvaluations: 2}
          onRegression: [Notify, Freeze]
          rightsizing: {mode: "Off"}
          """);
            await().atMost(Waits.RECONCILED)
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> assertThat(get("api").getStatus().state).isEqualTo("Healthy"));
            errors.set(0.02); // 1 % of all requests fail: above the 0.4 % limit
            ticking();
            await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
                PerfBaseline pb = get("api");
                assertThat(pb.getStatus().state).isEqualTo("Regressed");
                assertThat(pb.getStatus().deploysFrozen).isTrue();
                assertThat(pb.getStatus().freezeSelector).isEqualTo(Map.of("app", "api"));
                assertThat(pb.getStatus().regressions).singleElement().satisfies(r -> {
                    assertThat(r.metric).isEqualTo("errorRatio");
                    assertThat(r.current).isEqualTo("0.01");
                });
                assertThat(registry.frozenBy("team-a", Map.of("app", "api"))).hasValueSatisfying(e -> {
                    assertThat(e.getKey()).isEqualTo("PerfBaseline team-a/api");
                    assertThat(e.getValue().reason()).contains("errorRatio 0.01 vs baseline 0.001");
                });
                assertThat(registry.frozenBy("team-a", Map.of("app", "other"))).isEmpty();
            });
            assertThat(client.v1().events().inNamespace("team-a").list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("PerformanceRegression"));

            errors.set(0.0);
            await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
                PerfBaseline pb = get("api");
                assertThat(pb.getStatus().state).isEqualTo("Healthy");
                assertThat(pb.getStatus().deploysFrozen).isNull();
                assertThat(registry.snapshot()).isEmpty();
            });
            assertThat(client.v1().events().inNamespace("team-a").list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RegressionCleared"));
        } finally {
            trust.close();
        }
    }

    /** p95 is 195ms at every step Prometheus has (see the buckets above): 30 % over this baseline, for longer than 15m. */
    static final String LATENCY_REGRESSED = """
      workload: {name: api}
      baseline: {latencyP95: 150ms}
      regression: {latencyFor: 15m, consecutiveEvaluations: 3}
      onRegression: [Freeze]
      rightsizing: {mode: "Off"}
      """;

    @Test
    void aNewPerfBaselineOverDataAlreadyAboveTheLimitConfirmsOnItsFirstEvaluation() {
        deployment(false);
        create("api", LATENCY_REGRESSED);
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            PerfBaseline pb = get("api");
            assertThat(pb.getStatus().state).isEqualTo("Regressed");
            assertThat(pb.getStatus().deploysFrozen).isTrue();
            assertThat(pb.getStatus().regressions).singleElement().satisfies(r -> {
                assertThat(r.metric).isEqualTo("latencyP95");
                assertThat(r.current).isEqualTo("195ms");
                // the start of the range read: the data held the breach for all of latencyFor before this PerfBaseline
                // existed
                assertThat(r.since).isEqualTo(NOW.minus(Duration.ofMinutes(15)).toString());
            });
            assertThat(pb.getStatus().pendingRegressions).isNull();
        });
        // the clock never moved: confirmed by what Prometheus holds, not by 15 minutes (or 3 evaluations) of watching
        assertThat(clock.instant()).isEqualTo(NOW);
        assertThat(prom.queries())
                .anySatisfy(q ->
                        assertThat(q).contains("sum by (pod, le) (rate(http_server_request_duration_seconds_bucket"));
    }

    @Test
    void aRestartKeepsRegressedAndTheFreezeUntilItsFirstFreshEvaluation() throws Exception {
        deployment(false);
        create("api", LATENCY_REGRESSED);
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("api").getStatus().state).isEqualTo("Regressed");
            assertThat(get("api").getStatus().deploysFrozen).isTrue();
        });
        app.close();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = recordStatuses(
                seen, status -> status.state + (Boolean.TRUE.equals(status.deploysFrozen) ? "+frozen" : ""))) {
            // past the heartbeat, so that the new process's first fresh evaluation is written
            Duration later = io.costguard.status.Heartbeat.DEFAULT.plusMinutes(1);
            clock.advance(later);
            app = new OperatorApp(config, client, clock);
            app.start();
            await().atMost(Waits.RECONCILED)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(get("api").getStatus().lastEvaluated)
                            .isEqualTo(NOW.plus(later).toString()));
        }
        // the new process wrote nothing before it had measured, and then the same verdict: never Unknown, never
        // unfrozen
        assertThat(seen).isNotEmpty().allSatisfy(state -> assertThat(state).isEqualTo("Regressed+frozen"));
        assertThat(get("api").getStatus().regressions.get(0).since)
                .isEqualTo(NOW.minus(Duration.ofMinutes(15)).toString());
    }

    @Test
    void unchangedSignalsWriteNoStatusAChangedFigureOneAndTheHeartbeatOneAnHour() throws Exception {
        deployment(false);
        create("api", "workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() ->
                        assertThat(get("api").getStatus().current.throughput).isEqualTo("100"));
        java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();
        app.perf().onCycle(stats -> cycles.incrementAndGet());
        awaitCycles(cycles, 2);
        statusPatches();

        // a minute later the same figures: nothing a user acts on changed, so nothing is written
        clock.advance(Duration.ofMinutes(1));
        awaitCycles(cycles, 3);
        assertThat(statusPatches()).isZero();
        assertThat(get("api").getStatus().lastEvaluated).isEqualTo(NOW.toString());
        assertThat(Conditions.find(get("api").getStatus().conditions, "Ready").getMessage())
                .isEqualTo("state Healthy");

        // a changed figure is one write, and it carries the time of the data it was judged on
        errors.set(0.02);
        awaitCycles(cycles, 3);
        assertThat(statusPatches()).isEqualTo(1);
        assertThat(get("api").getStatus().current.errorRatio).isEqualTo("0.01");
        assertThat(get("api").getStatus().lastEvaluated)
                .isEqualTo(NOW.plus(Duration.ofMinutes(1)).toString());

        // past the heartbeat: one write refreshes lastEvaluated alone
        clock.advance(io.costguard.status.Heartbeat.DEFAULT);
        awaitCycles(cycles, 3);
        assertThat(statusPatches()).isEqualTo(1);
        assertThat(get("api").getStatus().lastEvaluated)
                .isEqualTo(NOW.plus(Duration.ofMinutes(1))
                        .plus(io.costguard.status.Heartbeat.DEFAULT)
                        .toString());

        // as a live workload moves its figures: throughput 100 -> 102 (cost per 1k requests with it) stays within
        // 5 % of what status holds, so nothing is written until the heartbeat
        errors.set(0.0);
        awaitCycles(cycles, 3);
        statusPatches();
        podBRate.set(52.0);
        clock.advance(Duration.ofMinutes(1));
        awaitCycles(cycles, 3);
        assertThat(statusPatches()).isZero();
        assertThat(get("api").getStatus().current.throughput).isEqualTo("100");

        // 100 -> 110 is written, with the time of the data it was judged on
        podBRate.set(60.0);
        awaitCycles(cycles, 3);
        assertThat(statusPatches()).isEqualTo(1);
        assertThat(get("api").getStatus().current.throughput).isEqualTo("110");
        assertThat(get("api").getStatus().lastEvaluated)
                .isEqualTo(NOW.plus(Duration.ofMinutes(2))
                        .plus(io.costguard.status.Heartbeat.DEFAULT)
                        .toString());

        // kept figures never hide missing data: Prometheus down is written at the next cycle, with nothing judged
        prom.down(true);
        clock.advance(Duration.ofMinutes(1));
        awaitCycles(cycles, 3);
        assertThat(statusPatches()).isEqualTo(1);
        assertThat(Conditions.find(get("api").getStatus().conditions, "DataAvailable")
                        .getStatus())
                .isEqualTo("False");
        assertThat(get("api").getStatus().state).isEqualTo("Unknown");
        assertThat(get("api").getStatus().regressions).isNull();
    }

    @Test
    void aSettledPerfBaselineIsLeftAloneUntilItsSignalsCouldChangeTheVerdict() throws Exception {
        deployment(false);
        create("api", "workload: {name: api}\nrightsizing: {mode: \"Off\"}\nslo: {minThroughput: \"98\"}");
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(get("api").getStatus().state).isEqualTo("Healthy"));
        java.util.concurrent.atomic.AtomicInteger cycles = new java.util.concurrent.atomic.AtomicInteger();
        app.perf().onCycle(stats -> cycles.incrementAndGet());
        awaitCycles(cycles, 3);

        // new data a minute later, throughput 100 -> 101: within the band status keeps and above the objective
        long reconciled = app.metrics().reconciles("PerfBaseline");
        long leftAlone = app.metrics().unchanged("PerfBaseline");
        podBRate.set(51.0);
        clock.advance(Duration.ofMinutes(1));
        awaitCycles(cycles, 3);
        assertThat(app.metrics().reconciles("PerfBaseline"))
                .as("cycles whose signals cannot change the verdict leave it alone")
                .isEqualTo(reconciled);
        assertThat(app.metrics().unchanged("PerfBaseline")).isGreaterThanOrEqualTo(leftAlone + 2);
        assertThat(get("api").getStatus().current.throughput).isEqualTo("100");
        assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                .as("its metrics still carry each cycle's values")
                .contains("costguard_perf_value{name=\"api\",namespace=\"team-a\",signal=\"throughput_rps\"} 101.0");

        // 100 -> 97 is within the band too, but below the objective: reconciled, and the verdict written at once
        podBRate.set(47.0);
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(get("api").getStatus().state).isEqualTo("SLOViolated"));
        assertThat(get("api").getStatus().current.throughput).isEqualTo("97");
        assertThat(app.metrics().reconciles("PerfBaseline")).isGreaterThan(reconciled);

        // settled again on healthy figures, then an empty answer: missing data is never left alone as Healthy
        podBRate.set(50.0);
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(get("api").getStatus().state).isEqualTo("Healthy"));
        awaitCycles(cycles, 3);
        noRequestSeries.set(true);
        clock.advance(Duration.ofMinutes(1));
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(get("api").getStatus().state).isEqualTo("Unknown"));
        var data = Conditions.find(get("api").getStatus().conditions, "DataAvailable");
        assertThat(data.getStatus()).isEqualTo("False");
        assertThat(data.getReason()).isEqualTo("NoData");
    }

    @Test
    void itsRecommendationSeriesGoWhenRightsizingIsSwitchedOffOrThePerfBaselineIsDeleted() throws Exception {
        deployment(false);
        create("api", "workload: {name: api}\nslo: {latencyP95: 300ms}");
        String cpu = "costguard_rightsizing_recommended{container=\"app\",name=\"api\",namespace=\"team-a\","
                + "resource=\"cpu\"} 0.65";
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                        .contains(cpu)
                        .contains("costguard_rightsizing_recommended{container=\"app\",name=\"api\","
                                + "namespace=\"team-a\",resource=\"memory\"} 5.4525952E8"));

        PerfBaseline off = get("api");
        off.getSpec().rightsizing = new io.costguard.api.RightsizingSpec();
        off.getSpec().rightsizing.mode = "Off";
        client.resource(off).update();
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                        .as("no recommendation is made, so none is exported")
                        .doesNotContain("costguard_rightsizing_recommended{"));

        PerfBaseline on = get("api");
        on.getSpec().rightsizing.mode = "Recommend";
        client.resource(on).update();
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                        .contains(cpu));
        client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .delete();
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                        .doesNotContain("costguard_rightsizing_recommended{"));
    }

    @Test
    void aPerfBaselineHasNoFinalizerAndItsDeletionDropsWhatTheOperatorHeldAtOnce() throws Exception {
        deployment(false);
        create("api", "workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        await().atMost(Waits.RECONCILED)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(get("api").getStatus().state).isEqualTo("Healthy"));
        assertThat(get("api").getMetadata().getFinalizers()).isEmpty();
        assertThat(app.perf().signals("team-a/api")).isNotNull();
        assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                .contains("costguard_perf_state{name=\"api\",namespace=\"team-a\",state=\"Healthy\"} 1.0");

        client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .delete();
        assertThat(get("api")).as("nothing holds the deletion").isNull();
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(app.perf().signals("team-a/api")).isNull();
            assertThat(io.costguard.testing.Scrape.metrics(app.httpPort()))
                    .doesNotContain("name=\"api\",namespace=\"team-a\"");
        });
    }

    @Test
    void theFinalizerOfAnEarlierVersionIsRemovedSoThatDeletingDoesNotHang() throws Exception {
        // the name JOSDK gave it when this reconciler was a Cleaner
        assertThat(PerfBaselineReconciler.FORMER_FINALIZER)
                .isEqualTo(io.javaoperatorsdk.operator.ReconcilerUtilsInternal.getDefaultFinalizerName(
                        PerfBaseline.class));
        deployment(false);
        PerfBaseline old =
                PerfFixtures.resource("api", "team-a", "workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        old.getMetadata().setFinalizers(List.of("example.com/keep", PerfBaselineReconciler.FORMER_FINALIZER));
        client.resources(PerfBaseline.class).inNamespace("team-a").resource(old).create();
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("api").getMetadata().getFinalizers()).containsExactly("example.com/keep");
            assertThat(get("api").getStatus().state).isEqualTo("Healthy");
        });

        // one left over on a PerfBaseline deleted while no operator ran (the upgrade came while it waited): removed
        // by the new process, and the deletion completes
        app.close();
        PerfBaseline leaving =
                PerfFixtures.resource("leaving", "team-a", "workload: {name: api}\nrightsizing: {mode: \"Off\"}");
        leaving.getMetadata().setFinalizers(List.of(PerfBaselineReconciler.FORMER_FINALIZER));
        client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .resource(leaving)
                .create();
        client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("leaving")
                .delete();
        assertThat(get("leaving").getMetadata().getDeletionTimestamp()).isNotNull();
        app = new OperatorApp(config, client, clock);
        app.start();
        await().atMost(Waits.RECONCILED)
                .untilAsserted(() -> assertThat(get("leaving")).isNull());
    }

    /** Waits for {@code n} more performance cycles (a second apart): the reconciles of all but the last are done. */
    void awaitCycles(java.util.concurrent.atomic.AtomicInteger cycles, int n) {
        int target = cycles.get() + n;
        await().atMost(Waits.RECONCILED).until(() -> cycles.get() >= target);
    }

    /** PATCHes of a PerfBaseline's status the API received since the last call; other requests are dropped. */
    int statusPatches() throws InterruptedException {
        int n = 0;
        for (var r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if ("PATCH".equals(r.getMethod())
                    && r.getPath().contains("/perfbaselines/")
                    && r.getPath().contains("/status")) {
                n++;
            }
        }
        return n;
    }

    /** Time moves a second per 200 ms, so every cycle brings a new sample to count. */
    void ticking() {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                clock.advance(Duration.ofSeconds(1));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        tickers.add(t);
    }

    @Test
    void badInputIsInvalidWithTheFieldAndTheFix() {
        deployment(false);
        create("ghost", "workload: {name: nope}");
        create(
                "bounds",
                "workload: {name: api}\nrightsizing: {bounds: {cpu: {min: \"2\", max: 500m}}, percentile: 40}");
        prom.reject("broken(", "1:8: parse error: unclosed left parenthesis");
        create("promql", "workload: {name: api}\nmetrics: {throughput: 'sum(broken(x))'}");
        await().atMost(Waits.RECONCILED).ignoreExceptions().untilAsserted(() -> {
            assertThat(get("ghost").getStatus().state).isEqualTo("Invalid");
            assertThat(Conditions.find(get("ghost").getStatus().conditions, "Ready")
                            .getMessage())
                    .isEqualTo(
                            "spec.workload.name: Deployment nope does not exist in namespace team-a; create it, or name an existing Deployment or StatefulSet here");
            assertThat(Conditions.find(get("bounds").getStatus().conditions, "Ready")
                            .getMessage())
                    .contains("spec.rightsizing.percentile: 40 is out of range; use 50 to 100")
                    .contains(
                            "spec.rightsizing.bounds.cpu.min: 2 is above spec.rightsizing.bounds.cpu.max 500m; set min at or below max");
            assertThat(Conditions.find(get("promql").getStatus().conditions, "Ready")
                            .getMessage())
                    .startsWith(
                            "spec.metrics.throughput: Prometheus rejects spec.metrics.throughput: bad_data: 1:8: parse error");
            assertThat(get("promql").getStatus().state).isEqualTo("Invalid");
        });
    }
}

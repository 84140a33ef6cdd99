package io.costguard.budget;

import static io.costguard.budget.BudgetTestData.actionResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetScope;
import io.costguard.api.BudgetThreshold;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.FeatureFlagRef;
import io.costguard.api.ThrottleSpec;
import io.costguard.app.OperatorApp;
import io.costguard.kube.Conflicts;
import io.costguard.status.Conditions;
import io.costguard.testing.MockApi;
import io.costguard.testing.StubPrometheus;
import io.costguard.testing.TestConfigs;
import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttle and Freeze against the mock API: flips, restores, approval, DryRun, deletion, failures. */
@EnableKubernetesMockClient(crud = true)
class BudgetActionsTest {
    // 346.00 spent this month at a flat 1.00 an hour
    static final Instant NOW = Instant.parse("2026-11-15T10:30:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FLAGD =
            "{\"flags\":{\"ai-search\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},"
                    + "\"defaultVariant\":\"on\",\"targeting\":{\"if\":[{\"==\":[{\"var\":\"tier\"},\"gold\"]},\"on\",\"off\"]}}}}";

    KubernetesClient client;
    io.costguard.testing.MutableClock clock = new io.costguard.testing.MutableClock(NOW);
    StubPrometheus prometheus;
    OperatorApp app;

    @BeforeEach
    void start() throws Exception {
        MockApi.crds(client, "costbudgets");
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(featureFlagCrd())
                .create();
        MockApi.namespaces(client, "team-a");
        GenericKubernetesResource ff = new GenericKubernetesResource();
        ff.setApiVersion("core.openfeature.dev/v1beta1");
        ff.setKind("FeatureFlag");
        ff.setMetadata(new ObjectMetaBuilder()
                .withName("alpha-flags")
                .withNamespace("team-a")
                .build());
        ff.setAdditionalProperty("spec", Map.of("flagSpec", JSON.convertValue(JSON.readTree(FLAGD), Map.class)));
        client.genericKubernetesResources("core.openfeature.dev/v1beta1", "FeatureFlag")
                .inNamespace("team-a")
                .resource(ff)
                .create();
        client.configMaps()
                .inNamespace("team-a")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("flagd-config")
                        .endMetadata()
                        .addToData("flags.json", FLAGD)
                        .build())
                .create();
        prometheus = new StubPrometheus().costSeries(1.0, "team-a", "alpha", "search", "a", "prod");
        app = new OperatorApp(TestConfigs.operator(prometheus.url(), "1s", Map.of()), client, clock);
        app.start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        prometheus.close();
    }

    @Test
    void aBudgetHoldsItsFinalizerExactlyWhileItThrottlesFlagsAndFromBeforeTheFirstFlip() throws Exception {
        List<Boolean> finalizerAtFlip = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Watch watch = client.configMaps()
                .inNamespace("team-a")
                .withName("flagd-config")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap cm) {
                        try {
                            String variant = JSON.readTree(cm.getData().get("flags.json"))
                                    .path("flags")
                                    .path("ai-search")
                                    .path("defaultVariant")
                                    .asText();
                            if (variant.equals("off")) {
                                finalizerAtFlip.add(get("thr").hasFinalizer(CostBudgetReconciler.FINALIZER));
                            }
                        } catch (Exception e) {
                            finalizerAtFlip.add(false);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            create("thr", spec("10000.00")); // 3 %: nothing to act on
            await().atMost(Waits.RECONCILED)
                    .until(() -> get("thr").getStatus() != null && get("thr").getStatus().dataThrough != null);
            assertThat(get("thr").getMetadata().getFinalizers()).isEmpty();

            setAmount("thr", "400.00"); // 86 %: the 85 % threshold throttles
            await().atMost(Waits.RECONCILED).untilAsserted(() -> {
                assertThat(flagd().path("defaultVariant").asText()).isEqualTo("off");
                assertThat(get("thr").getStatus().throttledFlags).hasSize(2);
                assertThat(get("thr").getMetadata().getFinalizers()).containsExactly(CostBudgetReconciler.FINALIZER);
            });
            assertThat(finalizerAtFlip).isNotEmpty().containsOnly(true);

            setAmount("thr", "10000.00"); // flags restored: nothing left to undo on deletion
            await().atMost(Waits.RECONCILED).untilAsserted(() -> {
                assertThat(flagd().path("defaultVariant").asText()).isEqualTo("on");
                assertThat(get("thr").getStatus().throttledFlags).isNull();
                assertThat(get("thr").getMetadata().getFinalizers()).isEmpty();
            });
        }
    }

    @Test
    void aBudgetThatNeverThrottledIsDeletedWithoutTheOperatorAndOneFromAnEarlierVersionLosesItsFinalizer()
            throws Exception {
        create("calm", spec("10000.00"));
        CostBudget earlier = new CostBudget();
        earlier.setMetadata(new ObjectMetaBuilder()
                .withName("earlier")
                .withNamespace("team-a")
                .withFinalizers(CostBudgetReconciler.FINALIZER)
                .build());
        earlier.setSpec(spec("10000.00"));
        client.resource(earlier).create();
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(get("calm").getStatus()).isNotNull();
            assertThat(get("calm").getStatus().dataThrough).isNotNull();
            assertThat(get("earlier").getMetadata().getFinalizers()).isEmpty();
        });
        assertThat(get("calm").getMetadata().getFinalizers()).isEmpty();

        app.close(); // no operator: nothing may wait for it
        app = null;
        client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName("calm")
                .delete();
        await().atMost(Waits.RECONCILED).until(() -> get("calm") == null);
    }

    private void setAmount(String name, String amount) {
        BudgetTestData.setAmount(client, "team-a", name, amount);
    }

    @Test
    void throttleFlipsBothKindsOfFlagAndRaisingTheAmountRestoresThem() throws Exception {
        create("flip", spec("400.00")); // 86 %: the 85 % threshold throttles
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("off");
            assertThat(featureFlag().path("targeting").isMissingNode()
                            || featureFlag().path("targeting").isNull())
                    .isTrue();
            assertThat(flagd().path("defaultVariant").asText()).isEqualTo("off");
            CostBudget b = get("flip");
            assertThat(b.getStatus().throttledFlags)
                    .hasSize(2)
                    .allSatisfy(t -> assertThat(t.previousVariant).isEqualTo("on"));
            assertThat(actionResult(b, 85, "Throttle")).isEqualTo("Done");
            assertThat(Conditions.find(b.getStatus().conditions, "Throttled").getStatus())
                    .isEqualTo("True");
        });

        Conflicts.retry(() -> client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName("flip")
                .edit(b -> {
                    b.getSpec().amount = "10000.00";
                    return b;
                }));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("on");
            assertThat(featureFlag().path("targeting").toString()).contains("gold");
            assertThat(flagd().path("defaultVariant").asText()).isEqualTo("on");
            assertThat(flagd().path("targeting").toString()).contains("gold");
            CostBudget b = get("flip");
            assertThat(b.getStatus().throttledFlags).isNull();
            assertThat(actionResult(b, 85, "Throttle")).isEqualTo("Reverted");
            assertThat(Conditions.find(b.getStatus().conditions, "Throttled").getStatus())
                    .isEqualTo("False");
        });
    }

    @Test
    void aNewPeriodRevertsThrottleAndFreeze() throws Exception {
        create("rollover", spec("300.00"));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("off");
            assertThat(app.freezes().snapshot()).isNotEmpty();
        });
        // December: nothing spent yet, the November thresholds no longer apply
        clock.set(Instant.parse("2026-12-01T02:30:00Z"));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("rollover");
            assertThat(b.getStatus().periodStart).isEqualTo("2026-12-01T00:00:00Z");
            assertThat(b.getStatus().crossedThresholds).isEmpty();
            assertThat(b.getStatus().throttledFlags).isNull();
            assertThat(b.getStatus().deploysFrozen).isFalse();
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("on");
            assertThat(flagd().path("defaultVariant").asText()).isEqualTo("on");
            assertThat(app.freezes().snapshot()).isEmpty();
        });
    }

    @Test
    void aManualThresholdWaitsForApproval() throws Exception {
        CostBudgetSpec spec = spec("400.00");
        BudgetThreshold manual = new BudgetThreshold(85, List.of(BudgetAction.Notify, BudgetAction.Throttle));
        manual.approval = "Manual";
        spec.thresholds = List.of(manual);
        create("manual", spec);
        await().atMost(Waits.RECONCILED)
                .until(() -> get("manual").getStatus() != null
                        && "PendingApproval".equals(actionResult(get("manual"), 85, "Throttle")));
        assertThat(get("manual").getStatus().awaitingApproval).isEqualTo("85%: Throttle");
        assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("on");
        afterAnEvaluationOfTheNextHour("manual");
        assertThat(actionResult(get("manual"), 85, "Throttle")).isEqualTo("PendingApproval");
        assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("on");

        Conflicts.retry(() -> client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName("manual")
                .edit(b -> {
                    b.getMetadata().setAnnotations(Map.of("costguard.io/approve", "85"));
                    return b;
                }));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("off");
            assertThat(actionResult(get("manual"), 85, "Throttle")).isEqualTo("Done");
            assertThat(get("manual").getStatus().awaitingApproval).isNull();
        });
    }

    @Test
    void dryRunActsOnNothing() throws Exception {
        CostBudgetSpec spec = spec("300.00"); // 115 %: throttle and freeze due
        spec.enforcement = "DryRun";
        create("dry", spec);
        await().atMost(Waits.RECONCILED)
                .until(() -> get("dry").getStatus() != null
                        && "Exceeded".equals(get("dry").getStatus().state));
        afterAnEvaluationOfTheNextHour("dry");
        CostBudget b = get("dry");
        assertThat(actionResult(b, 85, "Throttle")).isEqualTo("DryRun");
        assertThat(actionResult(b, 100, "Freeze")).isEqualTo("DryRun");
        assertThat(b.getStatus().deploysFrozen).isNotEqualTo(Boolean.TRUE);
        assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("on");
        assertThat(flagd().path("defaultVariant").asText()).isEqualTo("on");
        assertThat(app.freezes().snapshot()).isEmpty();
    }

    /**
     * Moves the clock an hour on and waits until the budget's status shows that hour's data: a reconcile that saw the
     * same thresholds again has then finished, so "nothing happened" is asserted after the operator had its chance.
     */
    private void afterAnEvaluationOfTheNextHour(String name) {
        Instant before = Instant.parse(get(name).getStatus().dataThrough);
        clock.set(clock.instant().plus(Duration.ofHours(1)));
        await().atMost(Waits.RECONCILED)
                .until(() -> Instant.parse(get(name).getStatus().dataThrough).isAfter(before));
    }

    @Test
    void freezeIsPublishedAndDeletionRevertsEverything() throws Exception {
        create("freeze", spec("300.00"));
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("freeze");
            assertThat(b.getStatus()).isNotNull();
            assertThat(b.getStatus().deploysFrozen).isTrue();
            assertThat(Conditions.find(b.getStatus().conditions, "DeploysFrozen")
                            .getStatus())
                    .isEqualTo("True");
            assertThat(app.freezes().frozenBy("team-a", Map.of("tenant", "alpha")))
                    .isPresent();
            assertThat(app.freezes().frozenBy("team-a", Map.of("tenant", "beta")))
                    .isEmpty();
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("off");
        });
        client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName("freeze")
                .delete();
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            assertThat(get("freeze")).isNull();
            assertThat(featureFlag().path("defaultVariant").asText()).isEqualTo("on");
            assertThat(flagd().path("defaultVariant").asText()).isEqualTo("on");
            assertThat(app.freezes().snapshot()).isEmpty();
        });
    }

    @Test
    void aMissingFlagIsAFailedActionWithTheReasonNotACrash() throws Exception {
        CostBudgetSpec spec = spec("400.00");
        FeatureFlagRef missing = new FeatureFlagRef();
        missing.kind = "FeatureFlag";
        missing.name = "no-such-flags";
        missing.flagKey = "ai-search";
        missing.variant = "off";
        spec.throttle.featureFlags = List.of(missing);
        create("broken", spec);
        await().atMost(Waits.RECONCILED).untilAsserted(() -> {
            CostBudget b = get("broken");
            assertThat(actionResult(b, 85, "Throttle")).isEqualTo("Failed");
            assertThat(b.getStatus()).isNotNull();
            var c = Conditions.find(b.getStatus().conditions, "Throttled");
            assertThat(c.getReason()).isEqualTo("FlagUpdateFailed");
            assertThat(c.getMessage()).contains("FeatureFlag no-such-flags does not exist");
        });
    }

    private CostBudgetSpec spec(String amount) {
        CostBudgetSpec spec = new CostBudgetSpec();
        spec.amount = amount;
        spec.scope = new BudgetScope();
        spec.scope.selector = Map.of("tenant", "alpha");
        spec.throttle = new ThrottleSpec();
        FeatureFlagRef ff = new FeatureFlagRef();
        ff.kind = "FeatureFlag";
        ff.name = "alpha-flags";
        ff.flagKey = "ai-search";
        ff.variant = "off";
        spec.throttle.featureFlags = List.of(ff, BudgetTestData.flagdConfigMapFlag());
        return spec;
    }

    private void create(String name, CostBudgetSpec spec) {
        CostBudget b = new CostBudget();
        b.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
        b.setSpec(spec);
        client.resource(b).create();
    }

    private CostBudget get(String name) {
        return client.resources(CostBudget.class)
                .inNamespace("team-a")
                .withName(name)
                .get();
    }

    private JsonNode featureFlag() {
        GenericKubernetesResource ff = client.genericKubernetesResources("core.openfeature.dev/v1beta1", "FeatureFlag")
                .inNamespace("team-a")
                .withName("alpha-flags")
                .get();
        return JSON.valueToTree(ff.getAdditionalProperties())
                .path("spec")
                .path("flagSpec")
                .path("flags")
                .path("ai-search");
    }

    private JsonNode flagd() throws Exception {
        return JSON.readTree(client.configMaps()
                        .inNamespace("team-a")
                        .withName("flagd-config")
                        .get()
                        .getData()
                        .get("flags.json"))
                .path("flags")
                .path("ai-search");
    }

    private static CustomResourceDefinition featureFlagCrd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("featureflags.core.openfeature.dev")
                .endMetadata()
                .withNewSpec()
                .withGroup("core.openfeature.dev")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("FeatureFlag")
                .withPlural("featureflags")
                .withSingular("featureflag")
                .endNames()
                .addNewVersion()
                .withName("v1beta1")
                .withServed(true)
                .withStorage(true)
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }
}

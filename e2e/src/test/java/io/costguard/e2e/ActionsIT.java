package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.api.CostBudget;
import io.costguard.demo.LocalKubernetes;
import io.costguard.demo.OperatorProcess;
import io.costguard.demo.PrometheusProcess;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar crossing 70 % and 85 % while being killed with SIGKILL again and again: still exactly one
 * event per threshold and exactly one flip of the throttled flag.
 */
class ActionsIT {
    /** How long before the month ends the operator's clock starts in theNextPeriodRestoresTheFlag. */
    static final Duration BEFORE_MONTH_END = Duration.ofMinutes(2);

    @TempDir
    Path work;

    PrometheusProcess prometheus;
    LocalKubernetes kube;
    KubernetesClient client;
    OperatorProcess operator;
    Watch watch;

    @AfterEach
    void stop() throws Exception {
        if (watch != null) {
            watch.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {operator, client, kube, prometheus}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void killedRepeatedlyWhileCrossingItStillNotifiesOnceAndFlipsOnce() throws Exception {
        Instant now = Instant.now();
        Path kubeconfig = setUp(now);
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 6; round++) {
            operator = OperatorProcess.start(
                    jar, env(kubeconfig, Duration.ZERO), work.resolve("operator-" + round + ".log"));
            Thread.sleep(1500 + random.nextInt(3500));
            operator.kill();
        }
        operator = OperatorProcess.start(jar, env(kubeconfig, Duration.ZERO), work.resolve("operator-final.log"));
        awaitThrottled();
        Thread.sleep(3000);
        List<String> events = client.v1().events().inNamespace("team-alpha").list().getItems().stream()
                .filter(e -> "BudgetThresholdCrossed".equals(e.getReason()))
                .map(e -> e.getMessage())
                .toList();
        assertThat(events).hasSize(2);
        assertThat(events)
                .anySatisfy(m -> assertThat(m).contains("70% threshold"))
                .anySatisfy(m -> assertThat(m).contains("85% threshold"));
        assertThat(variant.get()).isEqualTo("off");
        assertThat(flips).hasValue(1);
    }

    @Test
    void theNextPeriodRestoresTheFlag() throws Exception {
        // the operator's clock runs BEFORE_MONTH_END before the end of the month (testing.clockOffset)
        Instant real = Instant.now();
        ZonedDateTime nextMonth = ZonedDateTime.ofInstant(real, ZoneOffset.UTC)
                .withDayOfMonth(1)
                .toLocalDate()
                .plusMonths(1)
                .atStartOfDay(ZoneOffset.UTC);
        Instant shifted = nextMonth.toInstant().minus(BEFORE_MONTH_END);
        Path kubeconfig = setUp(shifted);
        Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
        // taken after the set-up (tens of seconds on a slow machine), so the operator starts the full two minutes ahead
        Duration offset = Duration.between(Instant.now(), shifted);
        operator = OperatorProcess.start(jar, env(kubeconfig, offset), work.resolve("operator.log"));
        awaitThrottled();
        assertThat(variant.get()).isEqualTo("off");
        // until the month turns, and as long again for the new period's first evaluation to restore the flag
        await().atMost(BEFORE_MONTH_END.multipliedBy(2)).untilAsserted(() -> {
            CostBudget b = client.resources(CostBudget.class)
                    .inNamespace("team-alpha")
                    .withName("alpha")
                    .get();
            assertThat(b.getStatus().periodStart)
                    .isEqualTo(nextMonth.toInstant().toString());
            assertThat(b.getStatus().throttledFlags).isNull();
            assertThat(variant.get()).isEqualTo("on");
        });
    }

    MonthOfHistory history;
    AtomicReference<String> variant = new AtomicReference<>("on");
    AtomicInteger flips = new AtomicInteger();

    void awaitThrottled() {
        await().atMost(Waits.STARTED).untilAsserted(() -> {
            CostBudget now2 = client.resources(CostBudget.class)
                    .inNamespace("team-alpha")
                    .withName("alpha")
                    .get();
            assertThat(now2.getStatus()).isNotNull();
            assertThat(now2.getStatus().state).isEqualTo("Critical");
            assertThat(now2.getStatus().crossedThresholds).hasSize(2);
            assertThat(now2.getStatus().crossedThresholds)
                    .allSatisfy(c -> assertThat(c.actions)
                            .allSatisfy(a -> assertThat(a.result).isEqualTo("Done")));
        });
    }

    /** Prometheus with this month's history until {@code now}, the API with a budget at about 90 % and its flag. */
    Path setUp(Instant now) throws Exception {
        history = MonthOfHistory.start(work, now);
        prometheus = history.prometheus();

        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha", "costguard-system"));
        kube.installCrds(client, List.of(MonthOfHistory.costBudgetCrd(), featureFlagCrd()));
        AlphaBudgets.createFlag(client);

        watch = client.genericKubernetesResources("core.openfeature.dev/v1beta1", "FeatureFlag")
                .inNamespace("team-alpha")
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource r) {
                        String v = AlphaBudgets.variant(r);
                        if ("off".equals(v) && "on".equals(variant.getAndSet(v))) {
                            flips.incrementAndGet();
                        } else {
                            variant.set(v);
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                });

        // alpha at about 90 % of its budget: 70 % notifies, 85 % notifies and throttles
        double spent = history.alphaSpent();
        CostBudget b = AlphaBudgets.budget(
                "alpha",
                BigDecimal.valueOf(spent / 0.90)
                        .setScale(2, RoundingMode.HALF_UP)
                        .toPlainString(),
                true);
        client.resource(b).create();

        return kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
    }

    Map<String, String> env(Path kubeconfig, Duration ownOffset) {
        Map<String, String> env = new HashMap<>();
        Duration clockOffset = ownOffset.plus(history.clockOffset());
        if (!clockOffset.isZero()) {
            env.put(
                    "COSTGUARD_TEST_CLOCK_OFFSET",
                    (clockOffset.isNegative() ? "-" : "") + clockOffset.abs().toMillis() + "ms");
        }
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("COSTGUARD_PROMETHEUS_URL", prometheus.url().toString());
        env.put("COSTGUARD_EVALUATION_INTERVAL", "1s");
        env.put("COSTGUARD_RATE_WINDOW", "10m");
        env.put("COSTGUARD_HTTP_PORT", "0");
        env.put("POD_NAMESPACE", "costguard-system");
        return env;
    }

    static CustomResourceDefinition featureFlagCrd() {
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

package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.api.ConditionReason;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostQueries;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.TestConfigs;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RunCostTest {
    @Test
    void aConstantRateCostsRateTimesHours() {
        long[] t = {0, 60, 120, 180};
        double[] v = {0.34, 0.34, 0.34, 0.34};
        RunCost.Integral i = RunCost.integrate(t, v, 0, 240, 60);
        assertThat(i.cost()).isCloseTo(0.34 * 240 / 3600, within(1e-12));
        assertThat(i.coverage()).isEqualTo(1.0);
    }

    @Test
    void samplesOutsideTheWindowDoNotCountAndTheLastStepIsCut() {
        long[] t = {-60, 0, 60, 120};
        double[] v = {100, 1, 2, 3};
        RunCost.Integral i = RunCost.integrate(t, v, 0, 150, 60);
        assertThat(i.cost()).isCloseTo((1 * 60 + 2 * 60 + 3 * 30) / 3600.0, within(1e-12));
        assertThat(i.coverage()).isEqualTo(1.0);
    }

    @Test
    void gapsLowerTheCoverage() {
        RunCost.Integral i = RunCost.integrate(new long[] {0, 180}, new double[] {1, 1}, 0, 240, 60);
        assertThat(i.coverage()).isEqualTo(0.5);
    }

    @Property
    void costIsLinearInThePrice(
            @ForAll @DoubleRange(min = 0.01, max = 100) double rate,
            @ForAll @IntRange(min = 1, max = 8) int factor,
            @ForAll @LongRange(min = 5, max = 7200) long window) {
        long step = RunCost.step(Duration.ofSeconds(window)).toSeconds();
        int n = (int) ((window + step - 1) / step);
        long[] t = new long[n];
        double[] base = new double[n];
        double[] scaled = new double[n];
        for (int k = 0; k < n; k++) {
            t[k] = k * step;
            base[k] = rate * (1 + (k % 3));
            scaled[k] = base[k] * factor;
        }
        double a = RunCost.integrate(t, base, 0, window, step).cost();
        double b = RunCost.integrate(t, scaled, 0, window, step).cost();
        assertThat(b).isCloseTo(a * factor, within(1e-9 * Math.max(1, b)));
    }

    @Property
    void stepsStayBetweenFiveSecondsAndFiveHundredPoints(@ForAll @LongRange(min = 1, max = 86_400) long window) {
        long step = RunCost.step(Duration.ofSeconds(window)).toSeconds();
        assertThat(step).isGreaterThanOrEqualTo(5);
        assertThat(window / step).isLessThanOrEqualTo(500);
    }

    private static RunCost cost(ScriptedPrometheus p, Map<String, String> extra) {
        OperatorConfig config = TestConfigs.operator(p.url(), "60s", extra);
        return new RunCost(
                new PrometheusClient(config.prometheus(), new OperatorMetrics(new PrometheusRegistry())),
                new CostQueries(config));
    }

    @Test
    void theQueryCoversTheWorkloadsPodsOnly() throws Exception {
        try (ScriptedPrometheus p = new ScriptedPrometheus()) {
            RunCost c = cost(p, Map.of());
            String q = c.query("team-alpha", "Deployment", "expense-api");
            assertThat(q)
                    .startsWith("sum(")
                    .contains("namespace=\"team-alpha\"", "pod=~\"expense-api-[a-z0-9]{1,10}-[a-z0-9]{5}\"")
                    .as("k6's own pods are not the target's")
                    .contains("pod!~\".+-k6-[a-z0-9]{5}\"");
            assertThat(c.query("db", "StatefulSet", "pg")).contains("pod=~\"pg-[0-9]+\"");
        }
    }

    @Test
    void outcomesFromPrometheus() throws Exception {
        Instant from = Instant.parse("2026-11-20T10:05:00Z");
        Instant to = Instant.parse("2026-11-20T10:35:00Z");
        try (ScriptedPrometheus p = new ScriptedPrometheus()) {
            RunCost c = cost(p, Map.of());
            var none = (RunCost.Unavailable) c.cost("team-alpha", "Deployment", "expense-api", from, to);
            assertThat(none.reason()).isEqualTo(ConditionReason.NoData);
            assertThat(none.message()).contains("no cost series for the pods of Deployment expense-api");
            assertThat(none.prometheusDown()).isFalse();

            p.range(
                    "expense-api",
                    List.of(Map.of()),
                    (labels, t) -> t < from.getEpochSecond() + 600 ? Double.NaN : 0.5);
            var partial = (RunCost.Unavailable) c.cost("team-alpha", "Deployment", "expense-api", from, to);
            assertThat(partial.reason()).isEqualTo(ConditionReason.IncompleteData);
            assertThat(partial.message()).contains("67 %");

            p.clear();
            p.range("expense-api", List.of(Map.of()), (labels, t) -> 0.5);
            var priced = (RunCost.Priced) c.cost("team-alpha", "Deployment", "expense-api", from, to);
            assertThat(priced.cost()).isCloseTo(0.25, within(1e-12));

            p.down(true);
            assertThat(((RunCost.Unavailable) c.cost("team-alpha", "Deployment", "expense-api", from, to))
                            .prometheusDown())
                    .isTrue();
        }
    }
}

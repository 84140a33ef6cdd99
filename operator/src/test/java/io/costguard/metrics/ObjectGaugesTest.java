package io.costguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Per-object gauges kept as rows scrape exactly as registered gauges with the same sets and removals. */
class ObjectGaugesTest {
    static final List<String> STATES = List.of("Ok", "Warning", "Unknown");
    static final List<String> OBJECTS = List.of("a/x", "a/y", "b/x");

    /** family 0: one series per object with the row's currency; 1: one per state; 2: one per object, no row label */
    static ObjectGauges gauges() {
        return new ObjectGauges(
                List.of("currency"),
                List.of(
                        ObjectGauges.Family.single("t_spent", "spent", true),
                        ObjectGauges.Family.perValue("t_state", "state", "state", STATES),
                        ObjectGauges.Family.single("t_ratio", "ratio", false)));
    }

    /** One change: object, family (0-2), column, value (NaN: remove), or remove the whole object. */
    record Op(int object, int family, int column, double value, boolean removeObject) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, OBJECTS.size() - 1),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, STATES.size() - 1),
                        Arbitraries.of(Double.NaN, 0.0, 1.0, 12.5, -3.25, 1e9),
                        Arbitraries.integers().between(0, 9).map(i -> i == 0))
                .as(Op::new)
                .list()
                .ofMaxSize(40);
    }

    @Property(tries = 300)
    void scrapesAsRegisteredGaugesWould(@ForAll("ops") List<Op> ops) throws IOException {
        PrometheusRegistry rows = new PrometheusRegistry();
        ObjectGauges g = gauges();
        rows.register(g);

        PrometheusRegistry reference = new PrometheusRegistry();
        Gauge spent = gauge(reference, "t_spent", "spent", "currency");
        Gauge state = gauge(reference, "t_state", "state", "state");
        Gauge ratio = gauge(reference, "t_ratio", "ratio");

        for (Op op : ops) {
            String[] id = OBJECTS.get(op.object()).split("/");
            if (op.removeObject()) {
                g.remove(id[0], id[1]);
                spent.remove(id[0], id[1], "EUR");
                for (String s : STATES) {
                    state.remove(id[0], id[1], s);
                }
                ratio.remove(id[0], id[1]);
                continue;
            }
            int column = op.family() == 1 ? op.column() : 0;
            g.update(id[0], id[1], new String[] {"EUR"}, v -> v[g.at(op.family(), column)] = op.value());
            String[] labels = switch (op.family()) {
                case 0 -> new String[] {id[0], id[1], "EUR"};
                case 1 -> new String[] {id[0], id[1], STATES.get(column)};
                default -> new String[] {id[0], id[1]};
            };
            Gauge target = op.family() == 0 ? spent : op.family() == 1 ? state : ratio;
            Gauges.setOrRemove(target, Double.isNaN(op.value()) ? null : op.value(), labels);
        }
        assertThat(lines(rows)).isEqualTo(lines(reference));
    }

    @Test
    void aNewCurrencyReplacesTheSeriesAndNullKeepsTheRowsLabels() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        ObjectGauges g = gauges();
        registry.register(g);
        g.update("a", "x", new String[] {"USD"}, v -> v[g.at(0, 0)] = 5);
        g.update("a", "x", new String[] {"EUR"}, v -> {});
        g.update("a", "x", null, v -> v[g.at(2, 0)] = 0.5);

        assertThat(lines(registry))
                .containsExactly(
                        "t_ratio{name=\"x\",namespace=\"a\"} 0.5",
                        "t_spent{currency=\"EUR\",name=\"x\",namespace=\"a\"} 5.0");
    }

    @Test
    void aFamilyWithNoSeriesIsStillDescribedAndNamesAreClaimed() {
        ObjectGauges g = gauges();
        assertThat(g.getPrometheusNames()).containsExactly("t_spent", "t_state", "t_ratio");
        assertThat(g.collect().size()).isEqualTo(3);
    }

    private static Gauge gauge(PrometheusRegistry registry, String name, String help, String... labels) {
        List<String> names = new ArrayList<>(List.of("namespace", "name"));
        names.addAll(List.of(labels));
        return Gauge.builder()
                .withoutExemplars()
                .name(name)
                .help(help)
                .labelNames(names.toArray(String[]::new))
                .register(registry);
    }

    private static List<String> lines(PrometheusRegistry registry) throws IOException {
        List<String> out = new ArrayList<>(LeadershipTest.scrape(registry)
                .lines()
                .filter(l -> !l.startsWith("#"))
                .toList());
        out.sort(null);
        return out;
    }
}

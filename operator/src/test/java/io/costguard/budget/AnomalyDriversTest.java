package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.anomaly.Direction;
import io.costguard.api.AnomalyDriver;
import io.costguard.cost.AllocationKey;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.cost.Scope;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnomalyDriversTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final LocalDate FIRST = LocalDate.parse("2026-11-02");
    static final int DAYS = 14;

    /** Tenants at 1.00 and 0.50 an hour and cost without labels at 0.25; {@code spiked} spends 3.00 an hour on the last day. */
    static HourlyCostLedger ledger(String spiked) {
        HourlyCostLedger l = new HourlyCostLedger(List.of("tenant", "team"));
        long from = FIRST.atStartOfDay(BERLIN).toEpochSecond() / 3600;
        long lastDay = FIRST.plusDays(DAYS - 1).atStartOfDay(BERLIN).toEpochSecond() / 3600;
        long to = FIRST.plusDays(DAYS).atStartOfDay(BERLIN).toEpochSecond() / 3600;
        List<HourlyCostLedger.KeyedCosts> costs = new ArrayList<>();
        for (var k : Map.of("alpha", 1.0, "beta", 0.5, "", 0.25).entrySet()) {
            long[] hours = new long[(int) (to - from)];
            double[] values = new double[hours.length];
            for (int i = 0; i < hours.length; i++) {
                hours[i] = from + i;
                values[i] = k.getKey().equals(spiked) && hours[i] >= lastDay ? 3.0 : k.getValue();
            }
            costs.add(new HourlyCostLedger.KeyedCosts(
                    new AllocationKey("team-a", List.of(k.getKey(), k.getKey().isEmpty() ? "" : "x")), hours, values));
        }
        l.replace("compute", from, to, costs);
        return l;
    }

    static List<LocalDate> days() {
        return FIRST.datesUntil(FIRST.plusDays(DAYS)).toList();
    }

    @Test
    void theSpikedTenantDrivesTheLastDayInTheBudgetsTimeZone() {
        double[] scope = new double[DAYS];
        Arrays.fill(scope, 42);
        AnomalyDrivers drivers =
                AnomalyDrivers.read(ledger("beta"), new Scope(Set.of("team-a"), Map.of()), BERLIN, days(), scope, null);
        List<AnomalyDriver> last = drivers.on(DAYS - 1, Direction.Increase);
        assertThat(last).singleElement().satisfies(d -> {
            assertThat(d.namespace).isEqualTo("team-a");
            assertThat(d.keys).containsExactly(Map.entry("tenant", "beta"), Map.entry("team", "x"));
            assertThat(d.spend).isEqualTo("72.00");
            assertThat(d.expected).isEqualTo("12.00");
            assertThat(d.change).isEqualTo("+60.00");
            assertThat(d.sharePercent).isEqualTo(100);
        });
        // nothing moved on an ordinary day, nothing fell on the last one
        assertThat(drivers.on(DAYS - 2, Direction.Increase)).isNull();
        assertThat(drivers.on(DAYS - 1, Direction.Decrease)).isNull();
        assertThat(AnomalyDrivers.sentence(last, "EUR"))
                .isEqualTo("; driven by tenant=beta,team=x in ns team-a +60.00 EUR (100%)");
    }

    @Test
    void unlabelledCostIsNamedByItsNamespaceAndDaysWithoutDataAreNotJudged() {
        double[] scope = new double[DAYS];
        Arrays.fill(scope, 42);
        Arrays.fill(scope, 0, 7, Double.NaN);
        AnomalyDrivers drivers =
                AnomalyDrivers.read(ledger(""), new Scope(Set.of("team-a"), Map.of()), BERLIN, days(), scope, null);
        assertThat(drivers.on(DAYS - 1, Direction.Increase)).singleElement().satisfies(d -> {
            assertThat(d.keys).isEmpty();
            assertThat(d.expected).isEqualTo("6.00");
        });
    }

    @Test
    void theEventSentenceStaysShortAndSaysWhenDriversWereLeftOut() {
        List<AnomalyDriver> many = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AnomalyDriver d = new AnomalyDriver();
            d.namespace = "team-" + "n".repeat(60) + i;
            d.keys = Map.of(
                    "tenant",
                    "t".repeat(63),
                    "team",
                    "u".repeat(63),
                    "feature",
                    "f".repeat(63),
                    "environment",
                    "e".repeat(63));
            d.change = "+1000000.00";
            d.sharePercent = 33;
            many.add(d);
        }
        String sentence = AnomalyDrivers.sentence(many, "USD");
        assertThat(sentence)
                .hasSizeLessThanOrEqualTo(AnomalyDrivers.SENTENCE_LIMIT)
                .startsWith("; driven by ")
                .endsWith(", …")
                .contains("team-" + "n".repeat(60) + "0", "team-" + "n".repeat(60) + "1");
        assertThat(AnomalyDrivers.sentence(null, "USD")).isEmpty();
    }
}

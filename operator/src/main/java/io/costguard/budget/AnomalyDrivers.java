package io.costguard.budget;

import io.costguard.anomaly.Direction;
import io.costguard.anomaly.Drivers;
import io.costguard.api.AnomalyDriver;
import io.costguard.cost.AllocationKey;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.cost.Scope;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drivers of a budget's anomalous days, from the ledger's spend per allocation-key combination over the days
 * the detector judged. Read only when the detector flagged a day, so budgets without anomalies cost nothing extra.
 */
final class AnomalyDrivers {
    /**
     * Characters the drivers may add to an event message: Kubernetes keeps messages short (events.k8s.io notes are
     * limited to 1 KB), and the figures before the drivers take under 200.
     */
    static final int SENTENCE_LIMIT = 800;

    private final List<String> keyNames;
    private final Map<AllocationKey, double[]> dailyByKey;
    private final double[] volume;

    private AnomalyDrivers(List<String> keyNames, Map<AllocationKey, double[]> dailyByKey, double[] volume) {
        this.keyNames = keyNames;
        this.dailyByKey = dailyByKey;
        this.volume = volume;
    }

    /**
     * Daily spend of each combination of {@code scope} on {@code days} (local days in {@code zone}); a day the
     * detector could not judge ({@code scopeDaily} NaN) is NaN for every combination. {@code volume} is null or the
     * detector's volume per day.
     */
    static AnomalyDrivers read(
            HourlyCostLedger ledger,
            Scope scope,
            ZoneId zone,
            List<LocalDate> days,
            double[] scopeDaily,
            double[] volume) {
        // a stable order, so that equal moves are named the same way every time
        Map<AllocationKey, double[]> daily = new TreeMap<>(
                Comparator.comparing(AllocationKey::namespace).thenComparing(k -> String.join("\u0000", k.values())));
        daily.putAll(ledger.costByKey(scope, Drivers.dayBounds(days, zone)));
        return new AnomalyDrivers(ledger.keyNames(), Drivers.judgedDaysOnly(daily, scopeDaily), volume);
    }

    /**
     * The top combinations of day {@code day} (an index into the days read) that moved in {@code direction}; null
     * when none did, so status leaves the field out.
     */
    List<AnomalyDriver> on(int day, Direction direction) {
        List<AnomalyDriver> out = new ArrayList<>();
        for (Drivers.Driver<AllocationKey> d : Drivers.onDay(dailyByKey, volume, day, direction, Drivers.TOP)) {
            AnomalyDriver a = new AnomalyDriver();
            a.namespace = d.key().namespace();
            a.keys = new LinkedHashMap<>();
            for (int k = 0; k < keyNames.size(); k++) {
                String value = d.key().values().get(k);
                if (!value.isEmpty()) {
                    a.keys.put(keyNames.get(k), value);
                }
            }
            a.spend = Money.text(d.spend());
            a.expected = Money.text(d.expected());
            a.change = (d.change() > 0 ? "+" : "") + Money.text(d.change());
            a.sharePercent = d.share();
            out.add(a);
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * "; driven by tenant=alpha in ns team-a +12.30 USD (87%), …" to end an event message; drivers that would take it
     * past {@link #SENTENCE_LIMIT} characters are left out (", …" says so). Empty without drivers.
     */
    static String sentence(List<AnomalyDriver> drivers, String currency) {
        StringBuilder b = new StringBuilder();
        for (AnomalyDriver d : drivers == null ? List.<AnomalyDriver>of() : drivers) {
            String part = (b.length() == 0 ? "; driven by " : ", ") + Drivers.label(d.namespace, d.keys) + " "
                    + Drivers.amount(d.change, currency, d.sharePercent);
            if (b.length() + part.length() + 3 > SENTENCE_LIMIT) {
                b.append(b.length() == 0 ? "" : ", …");
                break;
            }
            b.append(part);
        }
        return b.toString();
    }
}

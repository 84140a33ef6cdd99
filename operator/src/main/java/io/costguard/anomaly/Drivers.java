package io.costguard.anomaly;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What drove an anomalous day: each allocation-key combination of the scope is judged against its own baseline
 * (the detector's rule for that day), and the combinations that moved furthest in the anomaly's direction are
 * its drivers. A driver's share is its change over the scope's change, where the scope's change is the sum of
 * every combination's change; shares of all combinations therefore add up to 100 %, and a driver can exceed
 * 100 % when others moved the other way. Pure.
 */
public final class Drivers {
    /** Drivers named per anomaly. */
    public static final int TOP = 3;

    private Drivers() {}

    /** One combination's spend on the judged day and what its own history expected. */
    public record Move<K>(K key, double spend, double expected) {
        public double change() {
            return spend - expected;
        }
    }

    /**
     * A driver: its move, and its share of the scope's change in percent. The share is negative when the scope as a
     * whole moved the other way, and not finite when it did not move.
     */
    public record Driver<K>(K key, double spend, double expected, double change, double sharePercent) {
        /** The share rounded to a whole percent; null unless the scope moved the same way as this driver. */
        public Integer share() {
            if (!Double.isFinite(sharePercent) || sharePercent < 0) {
                return null;
            }
            return (int) Math.min(Integer.MAX_VALUE, Math.round(sharePercent));
        }
    }

    /**
     * The at most {@code top} combinations that moved in {@code direction}, largest move first (ties keep the
     * input order). Combinations that moved the other way or not at all are not drivers.
     */
    public static <K> List<Driver<K>> rank(List<Move<K>> moves, Direction direction, int top) {
        double total = 0;
        for (Move<K> m : moves) {
            total += m.change();
        }
        List<Move<K>> moved = new ArrayList<>();
        for (Move<K> m : moves) {
            if (direction.moved(m.change())) {
                moved.add(m);
            }
        }
        moved.sort(Comparator.comparingDouble((Move<K> m) -> -Math.abs(m.change())));
        List<Driver<K>> out = new ArrayList<>();
        for (Move<K> m : moved.subList(0, Math.min(Math.max(top, 0), moved.size()))) {
            out.add(new Driver<>(m.key(), m.spend(), m.expected(), m.change(), 100 * m.change() / total));
        }
        return out;
    }

    /**
     * Drivers of day {@code day} from each combination's daily spend (same days as the scope's series; NaN where
     * the scope's day has no judgeable data). {@code volume} is null or the detector's volume per day.
     */
    public static <K> List<Driver<K>> onDay(
            Map<K, double[]> dailyByKey, double[] volume, int day, Direction direction, int top) {
        List<Move<K>> moves = new ArrayList<>();
        for (Map.Entry<K, double[]> e : dailyByKey.entrySet()) {
            double spend = e.getValue()[day];
            if (!Double.isNaN(spend)) {
                moves.add(new Move<>(e.getKey(), spend, expected(e.getValue(), volume, day)));
            }
        }
        return rank(moves, direction, top);
    }

    /**
     * What the detector's baseline expects of {@code daily[day]} from the days before it (per unit of volume when
     * {@code volume} is given); 0 for a combination with no earlier spend, so a new one counts with all it spent.
     */
    public static double expected(double[] daily, double[] volume, int day) {
        double[] x = new double[day + 1];
        for (int i = 0; i <= day; i++) {
            x[i] = volume == null ? daily[i] : volume[i] > 0 ? daily[i] / volume[i] : Double.NaN;
        }
        double perUnit = AnomalyDetector.expected(x, day);
        if (Double.isNaN(perUnit)) {
            return 0;
        }
        return volume == null ? perUnit : perUnit * volume[day];
    }

    /** Epoch hours where each of {@code days} starts in {@code zone}, then where the last one ends. */
    public static long[] dayBounds(List<LocalDate> days, ZoneId zone) {
        long[] bounds = new long[days.size() + 1];
        for (int i = 0; i < days.size(); i++) {
            bounds[i] = days.get(i).atStartOfDay(zone).toEpochSecond() / 3600;
        }
        bounds[days.size()] =
                days.get(days.size() - 1).plusDays(1).atStartOfDay(zone).toEpochSecond() / 3600;
        return bounds;
    }

    /**
     * Each combination's spend per bucket of hours [bounds[i], bounds[i + 1]) from its hourly costs, which start at
     * {@code firstHour}; hours outside them count nothing. Keeps the order of {@code hourlyByKey}.
     */
    public static <K> Map<K, double[]> daily(Map<K, double[]> hourlyByKey, long firstHour, long[] bounds) {
        Map<K, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<K, double[]> e : hourlyByKey.entrySet()) {
            double[] hourly = e.getValue();
            double[] d = new double[bounds.length - 1];
            for (int i = 0; i < d.length; i++) {
                for (long h = Math.max(bounds[i], firstHour);
                        h < Math.min(bounds[i + 1], firstHour + hourly.length);
                        h++) {
                    d[i] += hourly[(int) (h - firstHour)];
                }
            }
            out.put(e.getKey(), d);
        }
        return out;
    }

    /**
     * Marks the days the detector could not judge ({@code scopeDaily} NaN) as NaN in every combination's series, so
     * they are neither judged nor baseline there either; changes {@code dailyByKey} and returns it.
     */
    public static <K> Map<K, double[]> judgedDaysOnly(Map<K, double[]> dailyByKey, double[] scopeDaily) {
        for (double[] d : dailyByKey.values()) {
            for (int i = 0; i < d.length; i++) {
                if (Double.isNaN(scopeDaily[i])) {
                    d[i] = Double.NaN;
                }
            }
        }
        return dailyByKey;
    }

    /** "tenant=alpha,team=x in ns team-alpha": the non-empty keys, then the namespace when there is one. */
    public static String label(String namespace, Map<String, String> keys) {
        StringJoiner pairs = new StringJoiner(",");
        keys.forEach((k, v) -> pairs.add(k + "=" + v));
        String ns = namespace == null || namespace.isEmpty() ? "" : "ns " + namespace;
        if (pairs.length() == 0) {
            return ns.isEmpty() ? "(no allocation labels)" : ns;
        }
        return ns.isEmpty() ? pairs.toString() : pairs + " in " + ns;
    }

    /** "+12.30 USD (87%)": a signed change, and the share when the scope moved the same way. */
    public static String amount(String signedChange, String currency, Integer sharePercent) {
        return signedChange
                + (currency == null || currency.isEmpty() ? "" : " " + currency)
                + (sharePercent == null ? "" : " (" + sharePercent + "%)");
    }
}

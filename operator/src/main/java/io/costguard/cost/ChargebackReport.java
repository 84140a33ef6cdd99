package io.costguard.cost;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chargeback table of [from, to) by the values of some allocation keys: per row the direct cost (less what
 * shared entries took), the shared cost and the shared idle cost it received; beside the rows the unattributed
 * bucket and idle kept as its own bucket. {@code clusterTotal} is counted independently (all cost read plus the
 * idle node cost of each hour), and {@code difference} is what the rows and buckets miss of it.
 */
public record ChargebackReport(
        Instant from,
        Instant to,
        List<String> by,
        List<Row> rows,
        double unattributed,
        double idle,
        double total,
        double clusterTotal,
        double difference,
        double differencePercent,
        Map<String, Integer> fallbackHours) {

    public ChargebackReport {
        by = List.copyOf(by);
        rows = List.copyOf(rows);
        fallbackHours = Map.copyOf(fallbackHours);
    }

    /** One combination of values of the report's keys ("" where the cost has none). */
    public record Row(List<String> values, double direct, double shared, double idle, double total) {
        public Row {
            values = List.copyOf(values);
        }
    }

    /**
     * The report from the ledger a collector read for [from, to), its allocation, and the cluster's idle node cost
     * over the same hours ({@code idleTotal}, 0 without node prices or with idle hidden).
     */
    public static ChargebackReport of(
            HourlyCostLedger ledger,
            CostAllocation.Snapshot allocation,
            List<String> by,
            Instant from,
            Instant to,
            double idleTotal) {
        List<String> keyNames = ledger.keyNames();
        int[] idx = by.stream().mapToInt(keyNames::indexOf).toArray();
        Map<List<String>, double[]> rows = new LinkedHashMap<>();
        Map<AllocationKey, Double> removed = allocation.costByKey(CostAllocation.Part.REMOVED, from, to);
        double unattributed = 0;
        double read = 0;
        for (Map.Entry<AllocationKey, Double> e : ledger.costByKey(from, to).entrySet()) {
            read += e.getValue();
            double direct = e.getValue() - removed.getOrDefault(e.getKey(), 0.0);
            if (e.getKey().unattributed()) {
                unattributed += direct;
            } else {
                row(rows, e.getKey(), idx)[0] += direct;
            }
        }
        allocation.costByKey(CostAllocation.Part.SHARED, from, to).forEach((k, v) -> row(rows, k, idx)[1] += v);
        allocation.costByKey(CostAllocation.Part.SHARED_IDLE, from, to).forEach((k, v) -> row(rows, k, idx)[2] += v);
        double idleShown = allocation.costByKey(CostAllocation.Part.IDLE, from, to).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        List<Row> out = new ArrayList<>();
        double total = unattributed + idleShown;
        for (Map.Entry<List<String>, double[]> e : rows.entrySet()) {
            double[] v = e.getValue();
            total += v[0] + v[1] + v[2];
            if (Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]) < 1e-9) {
                continue; // all its cost went to shared entries
            }
            out.add(new Row(e.getKey(), v[0], v[1], v[2], v[0] + v[1] + v[2]));
        }
        out.sort(Comparator.comparingDouble(Row::total).reversed().thenComparing(r -> String.join(",", r.values())));
        double cluster = read + idleTotal;
        double difference = total - cluster;
        return new ChargebackReport(
                from,
                to,
                by,
                out,
                unattributed,
                idleShown,
                total,
                cluster,
                difference,
                cluster == 0 ? 0 : 100 * difference / cluster,
                allocation.fallbackHours());
    }

    private static double[] row(Map<List<String>, double[]> rows, AllocationKey key, int[] idx) {
        List<String> values = new ArrayList<>(idx.length);
        for (int i : idx) {
            values.add(key.values().get(i));
        }
        return rows.computeIfAbsent(values, v -> new double[3]);
    }

    /** Idle node cost of each hour of [fromHour, toHour) summed: node cost beyond the compute read, never negative. */
    public static double idleTotal(double[] nodes, double[] compute) {
        double total = 0;
        for (int i = 0; i < nodes.length; i++) {
            total += nodes[i] > 0 ? SharedCostSplit.idle(nodes[i], compute[i]) : 0;
        }
        return total;
    }
}

package io.costguard.cost;

import io.costguard.config.ShareDriver;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arithmetic of shared and idle cost for one hour, on plain values. A split goes to the values that take part
 * in the hour: for {@code Weighted} and {@code Even} those with direct cost, for {@code Query} those the query
 * returned a positive share for. A fixed weight multiplies a value's measure (1 when not given; 0 excludes it).
 */
public final class SharedCostSplit {
    private SharedCostSplit() {}

    /**
     * One hour's split: {@code shares} per key value add up to the cost less {@code unallocated}, which is non-zero
     * only when nobody takes part (no direct cost at all in the hour, or every weight 0). {@code used} is the driver
     * the split was made with; {@code fellBack} says a {@code Query} driver had no data and {@code Weighted} was used.
     */
    public record Split(Map<String, Double> shares, ShareDriver used, boolean fellBack, double unallocated) {
        public Split {
            shares = Map.copyOf(shares);
        }
    }

    /**
     * Splits {@code cost} by {@code driver}. {@code direct} is each value's own direct cost in the hour (the
     * unattributed bucket is not a value); {@code queryShares} the {@code Query} driver's result per value (empty
     * when it returned nothing, ignored by the other drivers); {@code weights} the optional fixed weights.
     */
    public static Split split(
            double cost,
            ShareDriver driver,
            Map<String, Double> weights,
            Map<String, Double> direct,
            Map<String, Double> queryShares) {
        ShareDriver used = driver;
        Map<String, Double> measure = measure(driver, weights, direct, queryShares);
        boolean fellBack = false;
        if (driver == ShareDriver.Query && measure.isEmpty()) {
            used = ShareDriver.Weighted;
            fellBack = true;
            measure = measure(used, weights, direct, queryShares);
        }
        double total = 0;
        for (double m : measure.values()) {
            total += m;
        }
        if (!(cost > 0) || measure.isEmpty()) {
            return new Split(Map.of(), used, fellBack, Math.max(0, cost));
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        String largest = null;
        double given = 0;
        for (Map.Entry<String, Double> e : measure.entrySet()) {
            double share = cost * (e.getValue() / total);
            shares.put(e.getKey(), share);
            given += share;
            largest = largest == null || share > shares.get(largest) ? e.getKey() : largest;
        }
        // rounding: the largest share absorbs the last ulps, so the shares add up to the cost as well as doubles can
        shares.put(largest, shares.get(largest) + (cost - given));
        return new Split(shares, used, fellBack, 0);
    }

    /** Idle cost of an hour: what the nodes cost beyond what was allocated to workloads, never below zero. */
    public static double idle(double nodeCost, double allocated) {
        double idle = nodeCost - allocated;
        return idle > 0 ? idle : 0;
    }

    /** Each taking-part value's measure, scaled by its fixed weight; values with no positive measure are left out. */
    private static Map<String, Double> measure(
            ShareDriver driver,
            Map<String, Double> weights,
            Map<String, Double> direct,
            Map<String, Double> queryShares) {
        Map<String, Double> source = driver == ShareDriver.Query ? queryShares : direct;
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : source.entrySet()) {
            double v = e.getValue() == null ? 0 : e.getValue();
            if (!(v > 0) || Double.isInfinite(v)) {
                continue;
            }
            double m = (driver == ShareDriver.Even ? 1 : v) * weights.getOrDefault(e.getKey(), 1.0);
            if (m > 0) {
                out.put(e.getKey(), m);
            }
        }
        return out;
    }
}

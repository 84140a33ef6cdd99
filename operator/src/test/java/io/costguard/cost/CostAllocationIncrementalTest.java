package io.costguard.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.config.OperatorConfig.Attribution;
import io.costguard.config.OperatorConfig.IdleMode;
import io.costguard.config.OperatorConfig.SharedCost;
import io.costguard.config.ShareDriver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Cycle after cycle, the allocation that re-allocates only the hours a cycle re-read (keeping the hours before them,
 * also inside the newest week) equals a full allocation of the same ledger, hour by hour, part by part.
 */
class CostAllocationIncrementalTest {
    static final List<String> KEYS = List.of("tenant", "team");
    /** 30 hours before an epoch-week boundary, so that runs cross weeks. */
    static final long H0 = Math.floorDiv(Instant.parse("2026-11-02T00:00:00Z").getEpochSecond() / 3600, 168) * 168 - 30;

    static final List<AllocationKey> KEYS_SEEN = List.of(
            new AllocationKey("team-a", List.of("alpha", "web")),
            new AllocationKey("team-a", List.of("alpha", "api")),
            new AllocationKey("team-b", List.of("beta", "api")),
            new AllocationKey("team-c", List.of("gamma", "web")),
            new AllocationKey("monitoring", List.of("platform", "sre")),
            new AllocationKey("ingress", List.of("platform", "net")),
            new AllocationKey("team-b", List.of("", "api")));

    static final Attribution ATTRIBUTION = new Attribution(
            List.of(
                    new SharedCost(
                            "monitoring",
                            List.of("monitoring"),
                            Map.of(),
                            "tenant",
                            ShareDriver.Weighted,
                            "",
                            Map.of()),
                    new SharedCost(
                            "ingress", List.of("ingress"), Map.of(), "tenant", ShareDriver.Query, "q", Map.of())),
            IdleMode.Share);

    @Property(tries = 60)
    void reAllocatingOnlyTheReReadHoursEqualsAFullAllocation(
            @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 200) int firstHours,
            @ForAll @IntRange(min = 1, max = 12) int cycles,
            @ForAll boolean showIdle) {
        Random random = new Random(seed);
        Attribution attribution = showIdle ? new Attribution(ATTRIBUTION.shared(), IdleMode.Show) : ATTRIBUTION;
        HourlyCostLedger ledger = new HourlyCostLedger(KEYS);
        Map<String, HourlyCostLedger> aux = new HashMap<>();
        aux.put(CostQueries.NODES, new HourlyCostLedger(List.of("value")));
        aux.put(CostQueries.driverSource("ingress"), new HourlyCostLedger(List.of("value")));
        read(random, ledger, aux, H0, H0 + firstHours);
        CostAllocation incremental = new CostAllocation(attribution, KEYS);
        incremental.update(ledger, aux, H0, H0 + firstHours);
        long to = H0 + firstHours;
        for (int c = 0; c < cycles; c++) {
            // a cycle re-reads the last 0-3 hours and reads 0-30 new ones (a long pause crosses a week)
            long changedFrom = Math.max(H0, to - random.nextInt(4));
            to += random.nextInt(4) == 0 ? random.nextInt(31) : random.nextInt(2);
            read(random, ledger, aux, changedFrom, to);
            incremental.update(ledger, aux, H0, to, changedFrom);
        }
        CostAllocation full = new CostAllocation(attribution, KEYS);
        full.update(ledger, aux, H0, to);

        for (CostAllocation.Part part : CostAllocation.Part.values()) {
            for (long h = H0; h < to; h++) {
                Instant a = Instant.ofEpochSecond(h * 3600);
                Instant b = Instant.ofEpochSecond((h + 1) * 3600);
                Map<AllocationKey, Double> want = full.snapshot().costByKey(part, a, b);
                Map<AllocationKey, Double> got = incremental.snapshot().costByKey(part, a, b);
                long hour = h - H0;
                assertThat(got.keySet()).as("%s keys in hour %d", part, hour).isEqualTo(want.keySet());
                want.forEach((k, v) -> assertThat(got.get(k))
                        .as("%s %s in hour %d", part, k, hour)
                        .isCloseTo(v, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(v)))));
            }
        }
        assertThat(incremental.snapshot().fallbackHours())
                .isEqualTo(full.snapshot().fallbackHours());
    }

    /** What a cost cycle writes for [from, to): compute per key (some keys idle some hours), node cost, the driver. */
    static void read(Random random, HourlyCostLedger ledger, Map<String, HourlyCostLedger> aux, long from, long to) {
        if (to <= from) {
            return;
        }
        List<HourlyCostLedger.KeyedCosts> compute = new ArrayList<>();
        double[] total = new double[(int) (to - from)];
        for (AllocationKey key : KEYS_SEEN) {
            compute.add(series(random, key, from, to, total, 5));
        }
        ledger.replace(CostQueries.COMPUTE, from, to, compute);
        double[] nodeCost = new double[total.length];
        for (int i = 0; i < total.length; i++) {
            nodeCost[i] = total[i] + random.nextDouble() * 4;
        }
        aux.get(CostQueries.NODES)
                .replace(
                        CostQueries.NODES,
                        from,
                        to,
                        List.of(keyed(new AllocationKey("", List.of("")), from, nodeCost)));
        List<HourlyCostLedger.KeyedCosts> shares = new ArrayList<>();
        for (String tenant : List.of("alpha", "beta")) {
            // the driver answers for some hours only: the rest fall back to Weighted
            shares.add(series(random, new AllocationKey("", List.of(tenant)), from, to, new double[total.length], 3));
        }
        aux.get(CostQueries.driverSource("ingress")).replace(CostQueries.driverSource("ingress"), from, to, shares);
    }

    static HourlyCostLedger.KeyedCosts series(
            Random random, AllocationKey key, long from, long to, double[] total, double scale) {
        double[] v = new double[(int) (to - from)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(5) == 0 ? 0 : Math.round(random.nextDouble() * scale * 1e4) / 1e4;
            total[i] += v[i];
        }
        return keyed(key, from, v);
    }

    static HourlyCostLedger.KeyedCosts keyed(AllocationKey key, long from, double[] values) {
        return HourlyCostLedger.KeyedCosts.dense(key, from, values);
    }
}

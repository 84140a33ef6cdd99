package io.costguard.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.config.OperatorConfig.Attribution;
import io.costguard.config.OperatorConfig.IdleMode;
import io.costguard.config.OperatorConfig.SharedCost;
import io.costguard.config.ShareDriver;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shared and idle cost allocated hour by hour from a ledger, as budgets and reports read it. */
class CostAllocationTest {
    static final List<String> KEYS = List.of("tenant", "team");
    static final long H0 = Instant.parse("2026-11-02T00:00:00Z").getEpochSecond() / 3600;
    static final int HOURS = 4;
    static final Instant FROM = Instant.ofEpochSecond(H0 * 3600);
    static final Instant TO = Instant.ofEpochSecond((H0 + HOURS) * 3600);
    static final AllocationKey ALPHA = new AllocationKey("team-a", List.of("alpha", "web"));
    static final AllocationKey BETA = new AllocationKey("team-b", List.of("beta", "api"));
    static final AllocationKey MONITORING = new AllocationKey("monitoring", List.of("platform", "sre"));
    static final AllocationKey LOOSE = new AllocationKey("team-b", List.of("", "api"));

    final HourlyCostLedger ledger = new HourlyCostLedger(KEYS);
    final Map<String, HourlyCostLedger> aux = new HashMap<>();

    CostAllocationTest() {
        // per hour: alpha 1, beta 3, monitoring 4, unattributed 2 (compute); alpha's volume 0.5 (storage)
        ledger.replace(
                CostQueries.COMPUTE,
                H0,
                H0 + HOURS,
                List.of(costs(ALPHA, 1), costs(BETA, 3), costs(MONITORING, 4), costs(LOOSE, 2)));
        ledger.replace(CostQueries.STORAGE, H0, H0 + HOURS, List.of(costs(ALPHA, 0.5)));
        HourlyCostLedger nodes = new HourlyCostLedger(List.of("value"));
        nodes.replace(CostQueries.NODES, H0, H0 + HOURS, List.of(costs(new AllocationKey("", List.of("")), 13)));
        aux.put(CostQueries.NODES, nodes);
    }

    static HourlyCostLedger.KeyedCosts costs(AllocationKey key, double perHour) {
        long[] hours = new long[HOURS];
        double[] values = new double[HOURS];
        for (int i = 0; i < HOURS; i++) {
            hours[i] = H0 + i;
            values[i] = perHour;
        }
        return new HourlyCostLedger.KeyedCosts(key, hours, values);
    }

    static SharedCost monitoring(ShareDriver driver, Map<String, Double> weights) {
        return new SharedCost(
                "monitoring",
                List.of("monitoring"),
                Map.of(),
                "tenant",
                driver,
                driver == ShareDriver.Query ? "q" : "",
                weights);
    }

    CostAllocation allocate(Attribution attribution) {
        CostAllocation allocation = new CostAllocation(attribution, KEYS);
        allocation.update(ledger, aux, H0, H0 + HOURS);
        return allocation;
    }

    static Scope scope(String namespace, String tenant) {
        return new Scope(Set.of(namespace), Map.of("tenant", tenant));
    }

    @Test
    void weightedSharesFollowDirectCostIncludingStorageAndTheSharedNamespaceLosesItsOwn() {
        CostAllocation a =
                allocate(new Attribution(List.of(monitoring(ShareDriver.Weighted, Map.of())), IdleMode.Hide));
        // direct: alpha 1.5, beta 3 an hour; monitoring's 4 split 1.5 : 3
        CostAllocation.Spend alpha = a.spend(ledger, scope("team-a", "alpha"), FROM, TO);
        assertThat(alpha.direct()).isCloseTo(1.5 * HOURS, within(1e-5));
        assertThat(alpha.shared()).isCloseTo(4 * 1.5 / 4.5 * HOURS, within(1e-5));
        assertThat(a.spend(ledger, scope("team-b", "beta"), FROM, TO).shared())
                .isCloseTo(4 * 3 / 4.5 * HOURS, within(1e-5));
        CostAllocation.Spend platform = a.spend(ledger, scope("monitoring", "platform"), FROM, TO);
        assertThat(platform.direct()).isZero();
        assertThat(platform.shared()).isZero();
        assertThat(a.snapshot().fallbackHours()).isEmpty();
    }

    @Test
    void theWholeClusterStillAddsUp() {
        CostAllocation a =
                allocate(new Attribution(List.of(monitoring(ShareDriver.Even, Map.of("beta", 3.0))), IdleMode.Share));
        Scope all = new Scope(Set.of("team-a", "team-b", "monitoring"), Map.of());
        CostAllocation.Spend total = a.spend(ledger, all, FROM, TO);
        double idle = (13 - 10) * HOURS;
        assertThat(total.direct() + total.shared()).isCloseTo(10.5 * HOURS + idle, within(1e-4));
        // Even with beta weighted 3: monitoring's 4 goes 1 : 3; idle 3 goes by direct cost 1.5 : 3
        assertThat(a.spend(ledger, scope("team-a", "alpha"), FROM, TO).shared())
                .isCloseTo((1 + 3 * 1.5 / 4.5) * HOURS, within(1e-5));
        assertThat(a.spend(ledger, new Scope(Set.of("team-b"), Map.of("tenant", "")), FROM, TO)
                        .shared())
                .as("the unattributed bucket takes no share")
                .isZero();
    }

    @Test
    void idleShownIsItsOwnBucketAndNeverNegative() {
        CostAllocation a = allocate(new Attribution(List.of(), IdleMode.Show));
        assertThat(a.snapshot().spend(CostAllocation.Part.IDLE, new Scope(Set.of(""), Map.of()), FROM, TO))
                .isCloseTo(3.0 * HOURS, within(1e-5));
        aux.get(CostQueries.NODES)
                .replace(CostQueries.NODES, H0, H0 + HOURS, List.of(costs(new AllocationKey("", List.of("")), 5)));
        CostAllocation cheap = allocate(new Attribution(List.of(), IdleMode.Show));
        assertThat(cheap.snapshot().costByKey(CostAllocation.Part.IDLE, FROM, TO))
                .isEmpty();
    }

    @Test
    void aQueryDriverIsUsedWhereItHasDataAndFallsBackToWeightedWhereNot() {
        HourlyCostLedger driver = new HourlyCostLedger(List.of("value"));
        // requests: alpha 1, gamma 3 in the first two hours; nothing after
        driver.replace(
                CostQueries.driverSource("monitoring"),
                H0,
                H0 + HOURS,
                List.of(
                        new HourlyCostLedger.KeyedCosts(
                                new AllocationKey("", List.of("alpha")), new long[] {H0, H0 + 1}, new double[] {1, 1}),
                        new HourlyCostLedger.KeyedCosts(
                                new AllocationKey("", List.of("gamma")), new long[] {H0, H0 + 1}, new double[] {3, 3
                                })));
        aux.put(CostQueries.driverSource("monitoring"), driver);
        CostAllocation a = allocate(new Attribution(List.of(monitoring(ShareDriver.Query, Map.of())), IdleMode.Hide));
        assertThat(a.snapshot().fallbackHours()).containsEntry("monitoring", 2);
        assertThat(a.spend(ledger, scope("team-a", "alpha"), FROM, TO).shared())
                .isCloseTo(2 * 1 + 2 * 4 * 1.5 / 4.5, within(1e-5));
        assertThat(a.snapshot().costByKey(CostAllocation.Part.SHARED, FROM, TO))
                .as("gamma has no workload: its share is kept under namespace \"\"")
                .containsKey(new AllocationKey("", List.of("gamma", "")));
    }

    @Test
    void aSplitNobodyTakesPartInLeavesTheCostWhereItWas() {
        SharedCost onlyGhosts = new SharedCost(
                "monitoring",
                List.of("monitoring"),
                Map.of(),
                "tenant",
                ShareDriver.Weighted,
                "",
                Map.of("alpha", 0.0, "beta", 0.0));
        CostAllocation a = allocate(new Attribution(List.of(onlyGhosts), IdleMode.Hide));
        assertThat(a.spend(ledger, scope("monitoring", "platform"), FROM, TO).direct())
                .isCloseTo(4.0 * HOURS, within(1e-5));
    }

    @Test
    void weeksBeforeTheNewestReadsAreKeptAndTheRestAllocatedAnew() {
        CostAllocation a =
                allocate(new Attribution(List.of(monitoring(ShareDriver.Weighted, Map.of())), IdleMode.Hide));
        CostAllocation.Snapshot first = a.snapshot();
        // monitoring doubles in the last hour; an update that says only that hour changed recomputes its week alone
        ledger.replace(
                CostQueries.COMPUTE,
                H0 + HOURS - 1,
                H0 + HOURS,
                List.of(
                        new HourlyCostLedger.KeyedCosts(MONITORING, new long[] {H0 + HOURS - 1}, new double[] {8}),
                        new HourlyCostLedger.KeyedCosts(ALPHA, new long[] {H0 + HOURS - 1}, new double[] {1}),
                        new HourlyCostLedger.KeyedCosts(BETA, new long[] {H0 + HOURS - 1}, new double[] {3}),
                        new HourlyCostLedger.KeyedCosts(LOOSE, new long[] {H0 + HOURS - 1}, new double[] {2})));
        a.update(ledger, aux, H0, H0 + HOURS, H0 + HOURS - 1);
        assertThat(a.snapshot()).isNotSameAs(first);
        assertThat(a.spend(ledger, scope("team-a", "alpha"), FROM, TO).shared())
                .isCloseTo(4 * 1.5 / 4.5 * (HOURS - 1) + 8 * 1.5 / 4.5, within(1e-5));
    }
}

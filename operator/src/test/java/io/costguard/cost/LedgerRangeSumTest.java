package io.costguard.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The ledger's constant-time range sums (running sums per day) against the naive sum of the same hours, after
 * arbitrary reads, re-reads with gaps and trims: {@code hourly} adds the hours one by one, {@code spend} and
 * {@code costByKey} take the running sums.
 */
class LedgerRangeSumTest {
    static final long BASE = 490_000; // an epoch hour in 2025
    static final List<String> KEYS = List.of("tenant");
    static final Scope ALL = new Scope(Set.of("a", "b"), Map.of());

    /** One read: a source, an hour range, and per key a value per hour (0 leaves the hour without a point). */
    record Read(String source, long from, long to, double[][] values) {}

    @Provide
    Arbitrary<List<Read>> reads() {
        Arbitrary<Read> read = Combinators.combine(
                        Arbitraries.of(CostQueries.COMPUTE, "storage"),
                        Arbitraries.longs().between(0, 900),
                        Arbitraries.integers().between(1, 400),
                        Arbitraries.longs().between(0, Long.MAX_VALUE))
                .as((source, from, length, seed) -> {
                    java.util.Random random = new java.util.Random(seed);
                    double[][] values = new double[3][length];
                    for (double[] v : values) {
                        for (int h = 0; h < length; h++) {
                            v[h] = random.nextInt(10) == 0 ? 0 : Math.round(random.nextDouble() * 1e4) / 1e3;
                        }
                    }
                    return new Read(source, BASE + from, BASE + from + length, values);
                });
        return read.list().ofMinSize(1).ofMaxSize(6);
    }

    static HourlyCostLedger ledger(List<Read> reads, long trimAt) {
        HourlyCostLedger ledger = new HourlyCostLedger(KEYS);
        List<AllocationKey> keys = List.of(
                new AllocationKey("a", List.of("t1")),
                new AllocationKey("a", List.of("t2")),
                new AllocationKey("b", List.of("t1")));
        for (Read r : reads) {
            List<HourlyCostLedger.KeyedCosts> costs = new ArrayList<>();
            for (int k = 0; k < keys.size(); k++) {
                List<Long> hours = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (long h = r.from(); h < r.to(); h++) {
                    double v = r.values()[k][(int) (h - r.from())];
                    if (v != 0) {
                        hours.add(h);
                        values.add(v);
                    }
                }
                costs.add(new HourlyCostLedger.KeyedCosts(
                        keys.get(k),
                        hours.stream().mapToLong(Long::longValue).toArray(),
                        values.stream().mapToDouble(Double::doubleValue).toArray()));
            }
            ledger.replace(r.source(), r.from(), r.to(), costs);
        }
        if (trimAt > 0) {
            ledger.trimBefore(BASE + trimAt);
        }
        return ledger;
    }

    @Property(tries = 300)
    void spendOverAnyRangeIsTheSumOfItsHours(
            @ForAll("reads") List<Read> reads,
            @ForAll @LongRange(min = 0, max = 700) long trimAt,
            @ForAll @LongRange(min = 0, max = 1_400 * 3600L) long fromSecond,
            @ForAll @LongRange(min = 1, max = 1_400 * 3600L) long length) {
        HourlyCostLedger ledger = ledger(reads, trimAt);
        long from = BASE * 3600 + fromSecond - 100 * 3600;
        long to = from + length;
        long firstHour = Math.floorDiv(from, 3600);
        long lastHour = Math.floorDiv(to - 1, 3600);
        double[] hours = ledger.hourly(ALL, firstHour, lastHour + 1);
        double naive = 0;
        for (long h = firstHour; h <= lastHour; h++) {
            long overlap = Math.min(to, (h + 1) * 3600) - Math.max(from, h * 3600);
            naive += hours[(int) (h - firstHour)] * overlap / 3600.0;
        }
        double spend = ledger.spend(ALL, Instant.ofEpochSecond(from), Instant.ofEpochSecond(to));
        assertThat(spend).isCloseTo(naive, within(1e-9 * Math.max(1, Math.abs(naive))));
    }

    @Property(tries = 200)
    void costByKeyPerBucketIsTheSumOfItsHours(
            @ForAll("reads") List<Read> reads,
            @ForAll @IntRange(min = 1, max = 60) int days,
            @ForAll @IntRange(min = 0, max = 23) int offset) {
        HourlyCostLedger ledger = ledger(reads, 0);
        long[] bounds = new long[days + 1];
        for (int i = 0; i <= days; i++) {
            bounds[i] = BASE - 24 + offset + 24L * i;
        }
        Map<AllocationKey, double[]> byKey = ledger.costByKey(ALL, bounds);
        for (var e : byKey.entrySet()) {
            Scope one = new Scope(
                    Set.of(e.getKey().namespace()),
                    Map.of("tenant", e.getKey().values().get(0)));
            for (int i = 0; i < days; i++) {
                double naive = 0;
                for (double v : ledger.hourly(one, bounds[i], bounds[i + 1])) {
                    naive += v;
                }
                assertThat(e.getValue()[i]).isCloseTo(naive, within(1e-9 * Math.max(1, naive)));
            }
        }
    }
}

package io.costguard.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.costguard.anomaly.Drivers.Driver;
import io.costguard.anomaly.Drivers.Move;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DriversTest {

    @Provide
    Arbitrary<List<Move<Integer>>> moves() {
        Arbitrary<Double> money = Arbitraries.doubles().between(0, 1000).ofScale(2);
        return Arbitraries.integers()
                .between(0, 40)
                .flatMap(n -> money.list().ofSize(2 * n).map(v -> {
                    List<Move<Integer>> out = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        out.add(new Move<>(i, v.get(2 * i), v.get(2 * i + 1)));
                    }
                    return out;
                }));
    }

    @Property
    void sharesOfAllCombinationsAddUpToTheScopesChange(@ForAll("moves") List<Move<Integer>> moves) {
        double total = moves.stream().mapToDouble(Move::change).sum();
        Direction scopeWay = total >= 0 ? Direction.Increase : Direction.Decrease;
        Direction otherWay = scopeWay == Direction.Increase ? Direction.Decrease : Direction.Increase;
        List<Driver<Integer>> all = new ArrayList<>(Drivers.rank(moves, scopeWay, Integer.MAX_VALUE));
        all.addAll(Drivers.rank(moves, otherWay, Integer.MAX_VALUE));
        if (Math.abs(total) < 0.005) {
            return; // no change to share
        }
        assertThat(all.stream().mapToDouble(Driver::sharePercent).sum()).isCloseTo(100, within(1e-6));
        assertThat(all.stream().mapToDouble(Driver::change).sum()).isCloseTo(total, within(1e-6));
    }

    @Property
    void driversMovedInTheDirectionLargestFirstAndAreBounded(
            @ForAll("moves") List<Move<Integer>> moves,
            @ForAll @IntRange(min = 0, max = 5) int top,
            @ForAll boolean increase) {
        Direction way = increase ? Direction.Increase : Direction.Decrease;
        List<Driver<Integer>> drivers = Drivers.rank(moves, way, top);
        long movedThatWay = moves.stream().filter(m -> way.moved(m.change())).count();
        assertThat(drivers).hasSize((int) Math.min(top, movedThatWay));
        for (int i = 0; i < drivers.size(); i++) {
            assertThat(way.moved(drivers.get(i).change())).isTrue();
            if (i > 0) {
                assertThat(Math.abs(drivers.get(i).change()))
                        .isLessThanOrEqualTo(Math.abs(drivers.get(i - 1).change()));
            }
        }
        // no combination left out moved further than the last one named
        if (!drivers.isEmpty()) {
            double smallest = Math.abs(drivers.get(drivers.size() - 1).change());
            List<Integer> named = drivers.stream().map(Driver::key).toList();
            assertThat(moves.stream()
                            .filter(m -> way.moved(m.change()) && !named.contains(m.key()))
                            .mapToDouble(m -> Math.abs(m.change())))
                    .allMatch(c -> c <= smallest);
        }
    }

    /** Six weeks of daily spend of several tenants with a weekly shape and noise; one tenant spikes on the last day. */
    @Property
    void aSpikeInOneCombinationMakesItTheTopDriver(
            @ForAll @LongRange(max = 1000) long seed,
            @ForAll @IntRange(min = 2, max = 12) int tenants,
            @ForAll @IntRange(min = 0, max = 11) int spiked,
            @ForAll @DoubleRange(min = 1, max = 5) double spikeOverScopeDay) {
        int target = spiked % tenants;
        SplittableRandom r = new SplittableRandom(seed);
        int days = 42;
        Map<String, double[]> daily = new LinkedHashMap<>();
        double lastDayOfScope = 0;
        for (int t = 0; t < tenants; t++) {
            double level = 5 + r.nextDouble() * 95;
            double[] d = new double[days];
            for (int i = 0; i < days; i++) {
                d[i] = level * (i % 7 >= 5 ? 0.6 : 1) * (1 + 0.05 * (r.nextDouble() * 2 - 1));
            }
            lastDayOfScope += d[days - 1];
            daily.put("tenant-" + t, d);
        }
        // the spike is large against the whole scope's day, as one the detector flags
        daily.get("tenant-" + target)[days - 1] += spikeOverScopeDay * lastDayOfScope;

        List<Driver<String>> drivers = Drivers.onDay(daily, null, days - 1, Direction.Increase, Drivers.TOP);
        assertThat(drivers).isNotEmpty().hasSizeLessThanOrEqualTo(Drivers.TOP);
        assertThat(drivers.get(0).key()).isEqualTo("tenant-" + target);
        assertThat(drivers.get(0).share()).isGreaterThanOrEqualTo(80);
    }

    @Test
    void theBacktestNamesThePlantedCauseFirst() {
        DriversBacktest.Result r = DriversBacktest.run(200);
        assertThat(r.flagged()).isGreaterThanOrEqualTo(150);
        assertThat(r.firstRate()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.inTop()).isEqualTo(r.flagged());
        assertThat(r.medianShare()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void expectedIsTheDetectorsBaselineForTheDay() {
        double[] d = new double[21];
        for (int i = 0; i < d.length; i++) {
            d[i] = i % 7 == 0 ? 70 : 10;
        }
        for (int day = 1; day < d.length; day++) {
            assertThat(Drivers.expected(d, null, day)).as("day %d", day).isEqualTo(AnomalyDetector.expected(d, day));
        }
        // with two earlier same weekdays, their median
        assertThat(Drivers.expected(d, null, 14)).isEqualTo(70);
        assertThat(Drivers.expected(d, null, 15)).isEqualTo(10);
        // per unit of volume, scaled back by the day's volume
        double[] volume = new double[d.length];
        java.util.Arrays.fill(volume, 2);
        volume[15] = 4;
        assertThat(Drivers.expected(d, volume, 15)).isEqualTo(20);
    }

    @Test
    void aNewCombinationCountsWithAllItSpentAndDaysWithoutDataAreSkipped() {
        double[] fresh = new double[10];
        fresh[9] = 42;
        assertThat(Drivers.expected(fresh, null, 9)).isZero();
        double[] gappy = {10, 10, 10, 10, Double.NaN, Double.NaN, Double.NaN, 30};
        assertThat(Drivers.expected(gappy, null, 7)).isEqualTo(10);

        Map<String, double[]> daily = new LinkedHashMap<>();
        daily.put("old", new double[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 12});
        daily.put("new", fresh);
        List<Driver<String>> drivers = Drivers.onDay(daily, null, 9, Direction.Increase, 3);
        assertThat(drivers).extracting(Driver::key).containsExactly("new", "old");
        assertThat(drivers.get(0).change()).isEqualTo(42);
        assertThat(drivers).extracting(Driver::share).containsExactly(95, 5);
    }

    @Test
    void aDropIsDrivenByWhatFellAndRisesAreNotDrivers() {
        List<Move<String>> moves = List.of(
                new Move<>("up", 30, 20),
                new Move<>("down", 5, 50),
                new Move<>("flat", 7, 7),
                new Move<>("dip", 18, 20));
        List<Driver<String>> drivers = Drivers.rank(moves, Direction.Decrease, 3);
        assertThat(drivers).extracting(Driver::key).containsExactly("down", "dip");
        // the scope fell by 37: the pipeline that stopped carries more than all of it
        assertThat(drivers).extracting(Driver::share).containsExactly(122, 5);
        // against an increase, the scope moved the other way: no share to give
        assertThat(Drivers.rank(moves, Direction.Increase, 3))
                .singleElement()
                .satisfies(d -> assertThat(d.share()).isNull());
    }

    @Test
    void labelsNameKeysThenNamespace() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("tenant", "alpha");
        keys.put("team", "x");
        assertThat(Drivers.label("team-alpha", keys) + " " + Drivers.amount("+12.30", "USD", 87))
                .isEqualTo("tenant=alpha,team=x in ns team-alpha +12.30 USD (87%)");
        assertThat(Drivers.label("", keys)).isEqualTo("tenant=alpha,team=x");
        assertThat(Drivers.label("team-a", Map.of())).isEqualTo("ns team-a");
        assertThat(Drivers.amount("-3.00", "", null)).isEqualTo("-3.00");
    }
}

package io.costguard.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Hourly cost per allocation key, cached by hour (DESIGN.md section 1, batch reads and unattributed cost). */
class HourlyCostLedgerTest {
    private static final List<String> KEY_NAMES = List.of("tenant", "team");
    private static final String COMPUTE = "compute";
    private static final String LLM = "llm";
    private static final long H = 3600;
    /** A fixed day: hour 0 below is 2026-11-23T00:00Z. */
    private static final long DAY = Instant.parse("2026-11-23T00:00:00Z").getEpochSecond() / H;

    private static final AllocationKey ALPHA_WEB = key("team-alpha", "alpha", "web");
    private static final AllocationKey ALPHA_API = key("team-alpha", "alpha", "api");
    private static final AllocationKey BETA_WEB = key("team-alpha", "beta", "web");
    private static final AllocationKey ALPHA_NO_TEAM = key("team-alpha", "alpha", "");
    private static final AllocationKey NO_LABELS = key("team-alpha", "", "");
    private static final AllocationKey OTHER_NS = key("team-beta", "alpha", "web");

    private static AllocationKey key(String namespace, String tenant, String team) {
        return new AllocationKey(namespace, List.of(tenant, team));
    }

    private static long hour(long h) {
        return DAY + h;
    }

    /** Instant {@code hour:minute} after the fixed day's midnight (hours may be negative or past 24). */
    private static Instant at(int hour, int minute) {
        return Instant.ofEpochSecond(DAY * H + hour * H + minute * 60L);
    }

    /** Cost {@code perHour} in every hour of [fromHour, toHour). */
    private static Map<Long, Double> constant(long fromHour, long toHour, double perHour) {
        Map<Long, Double> m = new LinkedHashMap<>();
        for (long h = fromHour; h < toHour; h++) {
            m.put(hour(h), perHour);
        }
        return m;
    }

    private static Scope namespace(String... namespaces) {
        return new Scope(Set.of(namespaces), Map.of());
    }

    private static Scope selector(String namespace, Map<String, String> selector) {
        return new Scope(Set.of(namespace), selector);
    }

    /** {@link HourlyCostLedger#replace} with the costs given as key -> hour -> cost. */
    private static HourlyCostLedger.Gaps put(
            HourlyCostLedger l,
            String source,
            long fromHour,
            long toHour,
            Map<AllocationKey, Map<Long, Double>> costs) {
        List<HourlyCostLedger.KeyedCosts> list = new ArrayList<>();
        costs.forEach((key, byHour) -> {
            long[] hours = new long[byHour.size()];
            double[] values = new double[byHour.size()];
            int i = 0;
            for (Map.Entry<Long, Double> e : byHour.entrySet()) {
                hours[i] = e.getKey();
                values[i++] = e.getValue();
            }
            list.add(new HourlyCostLedger.KeyedCosts(key, hours, values));
        });
        return l.replace(source, fromHour, toHour, list);
    }

    private static HourlyCostLedger ledger() {
        return new HourlyCostLedger(KEY_NAMES);
    }

    @Nested
    class Spend {
        @Test
        void wholeHoursAreSummed() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, Map.of(hour(10), 4.0, hour(11), 8.0, hour(12), 2.0)));
            Scope ns = namespace("team-alpha");
            assertThat(l.spend(ns, at(10, 0), at(12, 0))).isCloseTo(12.0, within(1e-9));
            assertThat(l.spend(ns, at(10, 0), at(13, 0))).isCloseTo(14.0, within(1e-9));
            assertThat(l.spend(ns, at(0, 0), at(24, 0))).isCloseTo(14.0, within(1e-9));
            assertThat(l.spend(ns, at(11, 0), at(12, 0))).isCloseTo(8.0, within(1e-9));
        }

        @Test
        void partialHoursArePaidInProportion() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, constant(0, 24, 1.0)));
            Scope ns = namespace("team-alpha");
            assertThat(l.spend(ns, at(10, 30), at(12, 15))).isCloseTo(1.75, within(1e-9));
            assertThat(l.spend(ns, at(10, 15), at(10, 45))).isCloseTo(0.5, within(1e-9));
            assertThat(l.spend(ns, at(10, 30), at(11, 0))).isCloseTo(0.5, within(1e-9));
            assertThat(l.spend(ns, at(10, 0), at(10, 1))).isCloseTo(1.0 / 60, within(1e-9));
        }

        @Test
        void partialHoursUseTheValueOfTheirOwnHour() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, Map.of(hour(10), 4.0, hour(11), 8.0, hour(12), 2.0)));
            // half of hour 10 (2.0) + all of hour 11 (8.0) + a quarter of hour 12 (0.5)
            assertThat(l.spend(namespace("team-alpha"), at(10, 30), at(12, 15))).isCloseTo(10.5, within(1e-9));
        }

        @Test
        void emptyOrInvertedRangeCostsNothing() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, constant(0, 24, 1.0)));
            assertThat(l.spend(namespace("team-alpha"), at(10, 0), at(10, 0))).isZero();
            assertThat(l.spend(namespace("team-alpha"), at(12, 0), at(10, 0))).isZero();
        }

        @Test
        void rangesOutsideTheDataCostNothing() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, constant(5, 10, 1.0)));
            Scope ns = namespace("team-alpha");
            assertThat(l.spend(ns, at(-48, 0), at(5, 0))).isZero();
            assertThat(l.spend(ns, at(10, 0), at(200, 0))).isZero();
            assertThat(l.spend(ns, at(-48, 0), at(200, 0))).isCloseTo(5.0, within(1e-9));
        }

        @Test
        void anEmptyLedgerCostsNothing() {
            assertThat(ledger().spend(namespace("team-alpha"), at(0, 0), at(24, 0)))
                    .isZero();
            assertThat(ledger().costByKey(at(0, 0), at(24, 0))).isEmpty();
        }

        @Test
        void sourcesAreSummed() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, constant(0, 24, 1.0)));
            put(l, LLM, hour(0), hour(24), Map.of(ALPHA_WEB, constant(0, 24, 0.25)));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(4, 0))).isCloseTo(5.0, within(1e-9));
        }

        @Test
        void newValuesAreSeenAfterAWriteDespiteMemoisedRanges() {
            HourlyCostLedger l = ledger();
            Scope ns = namespace("team-alpha");
            put(l, COMPUTE, hour(0), hour(2), Map.of(ALPHA_WEB, constant(0, 2, 1.0)));
            assertThat(l.spend(ns, at(0, 0), at(4, 0))).isCloseTo(2.0, within(1e-9));
            put(l, COMPUTE, hour(2), hour(4), Map.of(ALPHA_WEB, constant(2, 4, 3.0)));
            assertThat(l.spend(ns, at(0, 0), at(4, 0))).isCloseTo(8.0, within(1e-9));
            l.trimBefore(hour(1));
            assertThat(l.spend(ns, at(0, 0), at(4, 0))).isCloseTo(7.0, within(1e-9));
        }

        @Test
        void hoursFarApartAndBeforeTheFirstAreKept() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(100), hour(110), Map.of(ALPHA_WEB, constant(100, 110, 1.0)));
            put(l, COMPUTE, hour(1000), hour(1001), Map.of(ALPHA_WEB, constant(1000, 1001, 5.0)));
            put(l, COMPUTE, hour(50), hour(60), Map.of(ALPHA_WEB, constant(50, 60, 2.0)));
            Scope ns = namespace("team-alpha");
            assertThat(l.spend(ns, at(0, 0), at(2000, 0))).isCloseTo(10 + 5 + 20, within(1e-9));
            assertThat(l.spend(ns, at(50, 0), at(60, 0))).isCloseTo(20, within(1e-9));
        }

        @Test
        void smallPricesKeepTheirPrecision() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(730), Map.of(ALPHA_WEB, constant(0, 730, 0.031611)));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(730, 0))).isCloseTo(0.031611 * 730, within(1e-4));
        }
    }

    @Nested
    class Replace {
        @Test
        void aWholeReReadReplacesItsHoursKeysThatAppearAndValuesThatMoveEitherWay() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 10, 1.0), BETA_WEB, constant(0, 10, 2.0)));

            // late samples: alpha higher, beta lower, a new key; every key that had cost is still there
            HourlyCostLedger.Gaps gaps = put(
                    l,
                    COMPUTE,
                    hour(8),
                    hour(10),
                    Map.of(
                            ALPHA_WEB,
                            constant(8, 10, 1.5),
                            BETA_WEB,
                            constant(8, 10, 0.5),
                            ALPHA_API,
                            constant(9, 10, 4.0)));

            assertThat(gaps.none()).isTrue();
            Scope beta = selector("team-alpha", Map.of("tenant", "beta"));
            Scope alpha = selector("team-alpha", Map.of("tenant", "alpha"));
            assertThat(l.spend(beta, at(0, 0), at(10, 0))).isCloseTo(16 + 1.0, within(1e-9));
            assertThat(l.spend(alpha, at(0, 0), at(10, 0))).isCloseTo(8 + 3.0 + 4.0, within(1e-9));
        }

        @Test
        void anEmptyAnswerForKnownHoursIsAGapAndKeepsThem() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 10, 1.0), BETA_WEB, constant(0, 10, 2.0)));

            HourlyCostLedger.Gaps gaps = put(l, COMPUTE, hour(8), hour(12), Map.of());

            assertThat(gaps.hours()).containsExactly(hour(8), hour(9));
            assertThat(gaps.keyHours()).isEqualTo(4);
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(12, 0))).isCloseTo(30.0, within(1e-9));
            assertThat(l.newestHourWithData(COMPUTE)).hasValue(hour(9));
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(12));
        }

        @Test
        void anAnswerLackingOneKeyKeepsTheWholeHourSoCostThatMovedKeysIsNotCountedTwice() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 10, 1.0), BETA_WEB, constant(0, 10, 2.0)));

            // kube_pod_labels had a gap in hour 9: beta's pods lost their labels and their cost came as unattributed
            HourlyCostLedger.Gaps gaps = put(
                    l,
                    COMPUTE,
                    hour(8),
                    hour(10),
                    Map.of(
                            ALPHA_WEB,
                            Map.of(hour(8), 1.5, hour(9), 1.5),
                            BETA_WEB,
                            Map.of(hour(8), 2.5),
                            NO_LABELS,
                            Map.of(hour(9), 2.0)));

            assertThat(gaps.hours()).containsExactly(hour(9));
            assertThat(gaps.keyHours()).isEqualTo(1);
            // hour 8 was whole and is taken; hour 9 stays as it was, for every key
            assertThat(l.hourly(namespace("team-alpha"), hour(8), hour(10))).containsExactly(4.0, 3.0);
            assertThat(l.spend(selector("team-alpha", Map.of("tenant", "beta")), at(9, 0), at(10, 0)))
                    .isCloseTo(2.0, within(1e-9));
            assertThat(l.spend(selector("team-alpha", Map.of("tenant", "")), at(0, 0), at(10, 0)))
                    .isZero();
        }

        @Test
        void aKeyWhoseCostDroppedToZeroIsMissing() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(2), Map.of(ALPHA_WEB, constant(0, 2, 1.0), BETA_WEB, constant(0, 2, 2.0)));
            HourlyCostLedger.Gaps gaps = put(
                    l,
                    COMPUTE,
                    hour(0),
                    hour(2),
                    Map.of(ALPHA_WEB, constant(0, 2, 1.0), BETA_WEB, constant(0, 2, 0.0)));
            assertThat(gaps.hours()).containsExactly(hour(0), hour(1));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(2, 0))).isCloseTo(6.0, within(1e-9));
        }

        @Test
        void hoursThatHadNoCostAreNeverGaps() {
            HourlyCostLedger l = ledger();
            assertThat(put(l, COMPUTE, hour(0), hour(10), Map.of()).none()).isTrue();
            put(l, COMPUTE, hour(0), hour(2), Map.of(ALPHA_WEB, constant(0, 2, 0.0)));
            assertThat(put(l, COMPUTE, hour(0), hour(4), Map.of()).none()).isTrue();
            assertThat(put(l, LLM, hour(0), hour(4), Map.of()).none()).isTrue();
        }

        @Test
        void hoursOutsideTheReplacedRangeAreIgnored() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(5), hour(6), Map.of(ALPHA_WEB, constant(0, 10, 1.0)));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(10, 0))).isCloseTo(1.0, within(1e-9));
            assertThat(l.newestHourWithData(COMPUTE)).hasValue(hour(5));
        }

        @Test
        void costsGivenTwiceForAKeyAndHourAddUp() {
            HourlyCostLedger l = ledger();
            l.replace(
                    COMPUTE,
                    hour(0),
                    hour(2),
                    List.of(
                            new HourlyCostLedger.KeyedCosts(
                                    ALPHA_WEB, new long[] {hour(0), hour(1)}, new double[] {1.0, 2.0}),
                            new HourlyCostLedger.KeyedCosts(ALPHA_WEB, new long[] {hour(1)}, new double[] {0.5})));
            assertThat(l.spend(namespace("team-alpha"), at(1, 0), at(2, 0))).isCloseTo(2.5, within(1e-6));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(2, 0))).isCloseTo(3.5, within(1e-6));
            // a re-read replaces the sum, it does not add to it
            l.replace(
                    COMPUTE,
                    hour(1),
                    hour(2),
                    List.of(new HourlyCostLedger.KeyedCosts(ALPHA_WEB, new long[] {hour(1)}, new double[] {4.0})));
            assertThat(l.spend(namespace("team-alpha"), at(1, 0), at(2, 0))).isCloseTo(4.0, within(1e-6));
        }

        @Test
        void replacingOneSourceLeavesTheOthers() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(4), Map.of(ALPHA_WEB, constant(0, 4, 1.0)));
            put(l, LLM, hour(0), hour(4), Map.of(ALPHA_WEB, constant(0, 4, 1.0)));
            put(l, LLM, hour(0), hour(4), Map.of(ALPHA_WEB, constant(0, 4, 0.5)));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(4, 0))).isCloseTo(6.0, within(1e-9));
            // gaps are judged per source: compute's hours do not make an empty LLM answer whole
            assertThat(put(l, LLM, hour(0), hour(4), Map.of()).hours()).hasSize(4);
            assertThat(put(l, COMPUTE, hour(0), hour(4), Map.of(ALPHA_WEB, constant(0, 4, 1.0)))
                            .none())
                    .isTrue();
        }

        @Test
        void replacingWithTheSameDataIsIdempotent() {
            HourlyCostLedger l = ledger();
            Map<AllocationKey, Map<Long, Double>> data =
                    Map.of(ALPHA_WEB, constant(0, 6, 1.5), BETA_WEB, constant(2, 4, 3.0));
            put(l, COMPUTE, hour(0), hour(6), data);
            double once = l.spend(namespace("team-alpha"), at(0, 0), at(6, 0));
            put(l, COMPUTE, hour(0), hour(6), data);
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(6, 0)))
                    .isEqualTo(once)
                    .isCloseTo(15.0, within(1e-9));
            assertThat(l.keyCount()).isEqualTo(2);
        }
    }

    @Nested
    class Scoping {
        private HourlyCostLedger l;

        private HourlyCostLedger filled() {
            l = ledger();
            Map<AllocationKey, Map<Long, Double>> costs = new HashMap<>();
            costs.put(ALPHA_WEB, constant(0, 1, 1.0));
            costs.put(ALPHA_API, constant(0, 1, 2.0));
            costs.put(BETA_WEB, constant(0, 1, 4.0));
            costs.put(ALPHA_NO_TEAM, constant(0, 1, 8.0));
            costs.put(NO_LABELS, constant(0, 1, 16.0));
            costs.put(OTHER_NS, constant(0, 1, 32.0));
            put(l, COMPUTE, hour(0), hour(1), costs);
            return l;
        }

        private double spend(Scope scope) {
            return filled().spend(scope, at(0, 0), at(1, 0));
        }

        @Test
        void aNamespaceScopeCountsEveryKeyOfItsNamespacesIncludingUnattributedCost() {
            assertThat(spend(namespace("team-alpha"))).isCloseTo(1 + 2 + 4 + 8 + 16, within(1e-9));
            assertThat(spend(namespace("team-beta"))).isCloseTo(32, within(1e-9));
            assertThat(spend(namespace("team-alpha", "team-beta"))).isCloseTo(63, within(1e-9));
            assertThat(spend(namespace("team-gamma"))).isZero();
        }

        @Test
        void everySelectorKeyMustMatch() {
            assertThat(spend(selector("team-alpha", Map.of("tenant", "alpha")))).isCloseTo(1 + 2 + 8, within(1e-9));
            assertThat(spend(selector("team-alpha", Map.of("tenant", "alpha", "team", "web"))))
                    .isCloseTo(1, within(1e-9));
            assertThat(spend(selector("team-alpha", Map.of("team", "web")))).isCloseTo(1 + 4, within(1e-9));
            assertThat(spend(selector("team-alpha", Map.of("tenant", "gamma")))).isZero();
        }

        @Test
        void unattributedCostIsNotCountedByASelectorOnTheMissingKey() {
            // ALPHA_NO_TEAM lacks team: a team selector never matches it, a tenant selector does
            assertThat(spend(selector("team-alpha", Map.of("team", "web")))).isCloseTo(5, within(1e-9));
            assertThat(spend(selector("team-alpha", Map.of("tenant", "alpha")))).isCloseTo(11, within(1e-9));
            assertThat(ALPHA_NO_TEAM.unattributed()).isTrue();
            assertThat(ALPHA_WEB.unattributed()).isFalse();
        }

        @Test
        void aSelectorOnAKeyTheLedgerDoesNotKnowMatchesNothing() {
            assertThat(spend(selector("team-alpha", Map.of("cluster", "eu-1")))).isZero();
        }

        @Test
        void theSelectorDoesNotReachIntoOtherNamespaces() {
            assertThat(spend(selector("team-beta", Map.of("tenant", "alpha", "team", "web"))))
                    .isCloseTo(32, within(1e-9));
        }

        @Test
        void costByKeyListsEveryKeyWithCost() {
            filled();
            put(l, LLM, hour(0), hour(1), Map.of(key("team-alpha", "zero", "cost"), constant(0, 1, 0.0)));
            Map<AllocationKey, Double> byKey = l.costByKey(at(0, 0), at(1, 0));
            assertThat(byKey).containsOnlyKeys(ALPHA_WEB, ALPHA_API, BETA_WEB, ALPHA_NO_TEAM, NO_LABELS, OTHER_NS);
            assertThat(byKey.get(NO_LABELS)).isCloseTo(16, within(1e-9));
            assertThat(l.keyCount()).isEqualTo(7);
        }

        @Test
        void costByKeyProRatesPartialHours() {
            filled();
            Map<AllocationKey, Double> byKey = l.costByKey(at(0, 15), at(0, 45));
            assertThat(byKey.get(OTHER_NS)).isCloseTo(16, within(1e-9));
            assertThat(byKey.values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(63 / 2.0, within(1e-9));
        }
    }

    @Nested
    class CoverageAndTrimming {
        @Test
        void coverageIsEmptyForAnUnknownSource() {
            HourlyCostLedger l = ledger();
            assertThat(l.coveredFrom(COMPUTE)).isEmpty();
            assertThat(l.coveredUntil(COMPUTE)).isEmpty();
            assertThat(l.newestHourWithData(COMPUTE)).isEmpty();
        }

        @Test
        void coverageGrowsToSpanEveryReadRange() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(5), hour(10), Map.of());
            assertThat(l.coveredFrom(COMPUTE)).hasValue(hour(5));
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(10));
            put(l, COMPUTE, hour(10), hour(12), Map.of());
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(12));
            put(l, COMPUTE, hour(2), hour(4), Map.of());
            assertThat(l.coveredFrom(COMPUTE)).hasValue(hour(2));
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(12));
            assertThat(l.coveredFrom(LLM)).isEmpty();
        }

        @Test
        void newestHourWithDataIsTheLatestHourHoldingACost() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 7, 1.0)));
            assertThat(l.newestHourWithData(COMPUTE)).hasValue(hour(6));
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(10));
            put(l, COMPUTE, hour(7), hour(12), Map.of(BETA_WEB, constant(7, 9, 1.0)));
            assertThat(l.newestHourWithData(COMPUTE)).hasValue(hour(8));
            assertThat(l.newestHourWithData(LLM)).isEmpty();
        }

        @Test
        void anEmptyReadDoesNotInventData() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of());
            assertThat(l.newestHourWithData(COMPUTE)).isEmpty();
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(10));
        }

        @Test
        void trimBeforeForgetsOlderHoursInEverySource() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 10, 1.0)));
            put(l, LLM, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 10, 1.0)));

            l.trimBefore(hour(4));

            Scope ns = namespace("team-alpha");
            assertThat(l.spend(ns, at(0, 0), at(4, 0))).isZero();
            assertThat(l.spend(ns, at(4, 0), at(10, 0))).isCloseTo(12.0, within(1e-9));
            assertThat(l.spend(ns, at(3, 30), at(4, 30))).isCloseTo(1.0, within(1e-9));
            assertThat(l.coveredFrom(COMPUTE)).hasValue(hour(4));
            assertThat(l.coveredFrom(LLM)).hasValue(hour(4));
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(10));
        }

        @Test
        void trimmingPastEverythingLeavesNothingAndAnEmptyCoverage() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(10), Map.of(ALPHA_WEB, constant(0, 10, 1.0)));
            l.trimBefore(hour(20));
            assertThat(l.spend(namespace("team-alpha"), at(-100, 0), at(100, 0)))
                    .isZero();
            assertThat(l.coveredFrom(COMPUTE)).hasValue(hour(20));
            assertThat(l.coveredUntil(COMPUTE)).hasValue(hour(20));
            // a new read after the trim works as before
            put(l, COMPUTE, hour(20), hour(22), Map.of(ALPHA_WEB, constant(20, 22, 2.0)));
            assertThat(l.spend(namespace("team-alpha"), at(0, 0), at(100, 0))).isCloseTo(4.0, within(1e-9));
        }

        @Test
        void keyNamesAreKept() {
            assertThat(ledger().keyNames()).containsExactly("tenant", "team");
        }
    }

    // ---- properties ----------------------------------------------------------------------------------------

    private static final int HOURS = 48;

    /** A ledger of 48 hours of random non-negative cost for keys across two tenants, two teams and missing labels. */
    @Provide
    Arbitrary<HourlyCostLedger> ledgers() {
        Arbitrary<AllocationKey> keys = Combinators.combine(
                        Arbitraries.of("team-alpha", "team-beta"),
                        Arbitraries.of("alpha", "beta", ""),
                        Arbitraries.of("web", "api", ""))
                .as(HourlyCostLedgerTest::key);
        Arbitrary<Map<Long, Double>> hours = Arbitraries.doubles()
                .between(0, 50)
                .ofScale(4)
                .list()
                .ofSize(HOURS)
                .map(values -> {
                    Map<Long, Double> m = new HashMap<>();
                    for (int h = 0; h < values.size(); h++) {
                        m.put(hour(h), values.get(h));
                    }
                    return m;
                });
        return Arbitraries.maps(keys, hours).ofMinSize(1).ofMaxSize(8).map(costs -> {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(HOURS), costs);
            return l;
        });
    }

    private static final long SPAN = (HOURS + 4) * H;

    private static Instant second(long offset) {
        return Instant.ofEpochSecond(DAY * H - 2 * H + offset);
    }

    @Property(tries = 300)
    void dataHoursCountTheFirstAndLastMissingHourAsAnHourByHourScanDoes(
            @ForAll @Size(max = 120) Set<@LongRange(min = 0, max = 150) Long> answered,
            @ForAll @LongRange(min = 0, max = 150) long readFrom,
            @ForAll @LongRange(min = -20, max = 200) long from,
            @ForAll @LongRange(min = -20, max = 200) long to) {
        HourlyCostLedger l = ledger();
        Map<Long, Double> costs = new LinkedHashMap<>();
        answered.stream().filter(h -> h >= readFrom).sorted().forEach(h -> costs.put(hour(h), 1.0));
        put(l, COMPUTE, hour(readFrom), hour(151), Map.of(ALPHA_WEB, costs));

        HourlyCostLedger.DataHours d = l.dataHours(COMPUTE, hour(from), hour(to));
        int missing = 0;
        Long first = null;
        Long last = null;
        for (long h = from; h < to; h++) {
            if (!costs.containsKey(hour(h))) {
                first = first == null ? hour(h) : first;
                last = hour(h);
                missing++;
            }
        }
        assertThat(d.missing()).isEqualTo(missing);
        assertThat(d.firstMissing().isPresent() ? d.firstMissing().getAsLong() : null)
                .isEqualTo(first);
        assertThat(d.lastMissing().isPresent() ? d.lastMissing().getAsLong() : null)
                .isEqualTo(last);
    }

    @Property(tries = 300)
    void spendIsAdditiveOverAdjacentRanges(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll @LongRange(min = 0, max = SPAN) long x,
            @ForAll @LongRange(min = 0, max = SPAN) long y,
            @ForAll @LongRange(min = 0, max = SPAN) long z) {
        long[] s = {x, y, z};
        java.util.Arrays.sort(s);
        Instant a = second(s[0]);
        Instant b = second(s[1]);
        Instant c = second(s[2]);
        Scope ns = namespace("team-alpha", "team-beta");
        double whole = l.spend(ns, a, c);
        double parts = l.spend(ns, a, b) + l.spend(ns, b, c);
        assertThat(whole)
                .as("[%s,%s) vs [%s,%s)+[%s,%s)", a, c, a, b, b, c)
                .isCloseTo(parts, within(1e-6 * Math.max(1, whole)));
    }

    @Property(tries = 200)
    void spendIsAdditiveOverHourAlignedRanges(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll @LongRange(min = 0, max = HOURS + 4) long x,
            @ForAll @LongRange(min = 0, max = HOURS + 4) long y,
            @ForAll @LongRange(min = 0, max = HOURS + 4) long z) {
        long[] s = {x, y, z};
        java.util.Arrays.sort(s);
        Scope ns = namespace("team-alpha");
        double whole = l.spend(ns, second(s[0] * H), second(s[2] * H));
        double parts =
                l.spend(ns, second(s[0] * H), second(s[1] * H)) + l.spend(ns, second(s[1] * H), second(s[2] * H));
        assertThat(whole).isCloseTo(parts, within(1e-6 * Math.max(1, whole)));
    }

    @Property(tries = 200)
    void eachKeysBucketsAddUpToTheScopesHoursAndOnlyKeysOfTheScopeWithCostAreListed(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll boolean bySelector,
            @ForAll @Size(min = 2, max = 6) List<@LongRange(min = -2, max = HOURS + 2) Long> cuts) {
        Scope scope =
                bySelector ? selector("team-alpha", Map.of("tenant", "alpha")) : namespace("team-alpha", "team-beta");
        long[] bounds = cuts.stream().mapToLong(c -> hour(c)).sorted().toArray();
        Map<AllocationKey, double[]> byKey = l.costByKey(scope, bounds);
        double[] sum = new double[bounds.length - 1];
        for (Map.Entry<AllocationKey, double[]> e : byKey.entrySet()) {
            assertThat(scope.matches(e.getKey(), KEY_NAMES)).isTrue();
            assertThat(e.getValue()).hasSize(bounds.length - 1);
            assertThat(java.util.Arrays.stream(e.getValue()).anyMatch(c -> c != 0))
                    .isTrue();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += e.getValue()[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            double hours = java.util.Arrays.stream(l.hourly(scope, bounds[i], bounds[i + 1]))
                    .sum();
            assertThat(sum[i]).isCloseTo(hours, within(1e-9));
        }
    }

    @Property(tries = 200)
    void theWholeRangeIsTheSumOfItsHours(@ForAll("ledgers") HourlyCostLedger l) {
        Scope ns = namespace("team-alpha", "team-beta");
        double byHour = 0;
        for (int h = -2; h < HOURS + 2; h++) {
            byHour += l.spend(ns, at(h, 0), at(h + 1, 0));
        }
        double whole = l.spend(ns, at(-2, 0), at(HOURS + 2, 0));
        assertThat(whole).isCloseTo(byHour, within(1e-6 * Math.max(1, whole)));
    }

    @Property(tries = 300)
    void spendIsNeverNegativeAndGrowsWithTheRange(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll @LongRange(min = 0, max = SPAN) long from,
            @ForAll @LongRange(min = 0, max = SPAN) long to,
            @ForAll @LongRange(min = 0, max = 3 * H) long more) {
        Scope ns = namespace("team-alpha", "team-beta");
        double s = l.spend(ns, second(from), second(to));
        assertThat(s).isGreaterThanOrEqualTo(0);
        if (to >= from) {
            assertThat(l.spend(ns, second(from), second(to + more))).isGreaterThanOrEqualTo(s - 1e-9);
        }
    }

    @Property(tries = 300)
    void disjointSelectorsAddUpToTheNamespaceTotal(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll @LongRange(min = 0, max = SPAN) long x,
            @ForAll @LongRange(min = 0, max = SPAN) long y) {
        Instant from = second(Math.min(x, y));
        Instant to = second(Math.max(x, y));
        for (String ns : List.of("team-alpha", "team-beta")) {
            double total = l.spend(namespace(ns), from, to);
            double byTenant = 0;
            for (String tenant : List.of("alpha", "beta", "")) {
                byTenant += l.spend(selector(ns, Map.of("tenant", tenant)), from, to);
            }
            double byTenantAndTeam = 0;
            for (String tenant : List.of("alpha", "beta", "")) {
                for (String team : List.of("web", "api", "")) {
                    byTenantAndTeam += l.spend(selector(ns, Map.of("tenant", tenant, "team", team)), from, to);
                }
            }
            assertThat(byTenant).isCloseTo(total, within(1e-6 * Math.max(1, total)));
            assertThat(byTenantAndTeam).isCloseTo(total, within(1e-6 * Math.max(1, total)));
        }
    }

    @Property(tries = 200)
    void costByKeyAddsUpToTheSpendOfEveryNamespace(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll @LongRange(min = 0, max = SPAN) long x,
            @ForAll @LongRange(min = 0, max = SPAN) long y) {
        Assume.that(
                x != y); // reports ask for non-empty ranges; costByKey does not short-cut an empty one as spend does
        Instant from = second(Math.min(x, y));
        Instant to = second(Math.max(x, y));
        double total = l.spend(namespace("team-alpha", "team-beta"), from, to);
        double sum = l.costByKey(from, to).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
        assertThat(sum).isCloseTo(total, within(1e-6 * Math.max(1, total)));
    }

    @Property(tries = 200)
    void aWholeReReadOfTheNewestHoursReplacesExactlyThoseHours(
            @ForAll("ledgers") HourlyCostLedger l,
            @ForAll @LongRange(min = 0, max = HOURS) long reReadFrom,
            @ForAll @LongRange(min = 1, max = 100) long newValue) {
        Scope ns = namespace("team-alpha", "team-beta");
        double before = l.spend(ns, at(0, 0), at((int) reReadFrom, 0));
        // every key of the ledger answers every re-read hour
        Map<AllocationKey, Map<Long, Double>> fresh = new HashMap<>();
        for (AllocationKey k : l.costByKey(at(-1, 0), at(HOURS + 1, 0)).keySet()) {
            fresh.put(k, constant(reReadFrom, HOURS, newValue));
        }
        HourlyCostLedger.Gaps gaps = put(l, COMPUTE, hour(reReadFrom), hour(HOURS), fresh);
        double added = newValue * (HOURS - reReadFrom) * fresh.size();
        assertThat(gaps.none()).isTrue();
        assertThat(l.spend(ns, at(0, 0), at((int) reReadFrom, 0)))
                .isCloseTo(before, within(1e-6 * Math.max(1, before)));
        assertThat(l.spend(ns, at((int) reReadFrom, 0), at(HOURS, 0)))
                .isCloseTo(added, within(1e-6 * Math.max(1, added)));
    }

    /** One cycle's read: how far the newest complete hour moved, and which key-hours (or all) the answer left out. */
    record Answer(int advance, boolean empty, Set<Integer> dropped) {}

    @Provide
    Arbitrary<List<Answer>> answerSequences() {
        Arbitrary<Answer> answer = Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.of(true, false, false, false),
                        Arbitraries.integers().between(0, 3 * 4 - 1).set().ofMaxSize(4))
                .as(Answer::new);
        return answer.list().ofMinSize(1).ofMaxSize(25);
    }

    /**
     * The collector's reads over time against a Prometheus whose true cost never changes but whose answers may be
     * empty or lack key-hours: known hours are never lowered (each key-hour is either unknown or its true value),
     * spend never drops, and an answer is reported as a gap exactly when it lacks a key-hour the ledger had.
     */
    @Property(tries = 300)
    void answersWithGapsNeverLowerKnownHours(
            @ForAll("answerSequences") List<Answer> answers,
            @ForAll @Size(value = 3 * HOURS) List<@LongRange(min = 1, max = 50) Long> truthValues) {
        List<AllocationKey> keys = List.of(ALPHA_WEB, BETA_WEB, OTHER_NS);
        Scope all = namespace("team-alpha", "team-beta");
        HourlyCostLedger l = ledger();
        double[][] known = new double[keys.size()][HOURS];
        long end = 2;
        double spentBefore = 0;
        for (Answer a : answers) {
            end = Math.min(HOURS, end + a.advance());
            long from = Math.max(0, end - 3 - 1);
            Map<AllocationKey, Map<Long, Double>> answer = new HashMap<>();
            boolean lacksKnown = false;
            for (int k = 0; k < keys.size(); k++) {
                for (long h = from; h < end; h++) {
                    boolean dropped = a.empty() || a.dropped().contains((int) (k * 4 + (h - from)));
                    if (dropped) {
                        lacksKnown |= known[k][(int) h] != 0;
                    } else {
                        answer.computeIfAbsent(keys.get(k), x -> new LinkedHashMap<>())
                                .put(hour(h), (double) truthValues.get(k * HOURS + (int) h));
                    }
                }
            }
            HourlyCostLedger.Gaps gaps = put(l, COMPUTE, hour(from), hour(end), answer);

            assertThat(gaps.none()).as("gap reported").isEqualTo(!lacksKnown);
            for (int k = 0; k < keys.size(); k++) {
                Scope one = new Scope(
                        Set.of(keys.get(k).namespace()),
                        Map.of(
                                "tenant",
                                keys.get(k).values().get(0),
                                "team",
                                keys.get(k).values().get(1)));
                double[] hourly = l.hourly(one, hour(0), hour(HOURS));
                for (int h = 0; h < HOURS; h++) {
                    double truth = truthValues.get(k * HOURS + h);
                    assertThat(hourly[h]).as("key %s hour %s", k, h).isIn(0.0, truth);
                    if (known[k][h] != 0) {
                        assertThat(hourly[h]).as("known key %s hour %s", k, h).isEqualTo(truth);
                    }
                    known[k][h] = hourly[h];
                }
            }
            double spent = l.spend(all, at(0, 0), at(HOURS, 0));
            assertThat(spent).isGreaterThanOrEqualTo(spentBefore);
            spentBefore = spent;
        }
    }

    @Test
    void costByKeyOfAnEmptyOrInvertedRangeIsEmpty() {
        HourlyCostLedger l = new HourlyCostLedger(KEY_NAMES);
        put(l, COMPUTE, DAY, DAY + 24, Map.of(ALPHA_WEB, Map.of(DAY + 9, 9.0, DAY + 10, 10.0)));
        Instant ten = Instant.ofEpochSecond((DAY + 10) * H);
        assertThat(l.costByKey(ten, ten)).isEmpty();
        assertThat(l.costByKey(ten.plusSeconds(3600), ten)).isEmpty();
    }

    @Nested
    class HoursWithData {
        @Test
        void hoursTheComputeReadHadNoPointForAreMissingNotZero() {
            HourlyCostLedger l = ledger();
            Map<Long, Double> costs = constant(0, 24, 2.0);
            for (long h = 8; h < 12; h++) {
                costs.remove(hour(h));
            }
            put(l, COMPUTE, hour(0), hour(24), Map.of(ALPHA_WEB, costs));

            double[] withGaps = l.hourlyWithGaps(namespace("team-alpha"), hour(0), hour(24));
            for (int h = 0; h < 24; h++) {
                if (h >= 8 && h < 12) {
                    assertThat(withGaps[h]).as("hour %s", h).isNaN();
                } else {
                    assertThat(withGaps[h]).as("hour %s", h).isEqualTo(2.0);
                }
            }
            assertThat(l.hourly(namespace("team-alpha"), hour(0), hour(24))[9])
                    .as("hourly keeps 0")
                    .isZero();
            HourlyCostLedger.DataHours d = l.dataHours(COMPUTE, hour(0), hour(24));
            assertThat(d.missing()).isEqualTo(4);
            assertThat(d.withData()).isEqualTo(20);
            assertThat(d.firstMissing()).hasValue(hour(8));
            assertThat(d.lastMissing()).hasValue(hour(11));
        }

        @Test
        void aScopeWithoutCostInAnHourTheClusterHasDataForSpentZero() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(4), Map.of(OTHER_NS, constant(0, 4, 1.0), ALPHA_WEB, Map.of(hour(1), 3.0)));

            assertThat(l.hourlyWithGaps(namespace("team-alpha"), hour(0), hour(4)))
                    .containsExactly(0.0, 3.0, 0.0, 0.0);
        }

        @Test
        void aPointOfZeroIsData() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(2), Map.of(ALPHA_WEB, Map.of(hour(0), 0.0, hour(1), 0.0)));

            assertThat(l.dataHours(COMPUTE, hour(0), hour(2)).missing()).isZero();
        }

        @Test
        void onlyTheComputeSourceDecidesWhetherAnHourHasData() {
            HourlyCostLedger l = ledger();
            put(l, LLM, hour(0), hour(3), Map.of(ALPHA_WEB, constant(0, 3, 5.0)));
            put(l, COMPUTE, hour(0), hour(3), Map.of(ALPHA_WEB, Map.of(hour(0), 1.0)));

            double[] out = l.hourlyWithGaps(namespace("team-alpha"), hour(0), hour(3));
            assertThat(out[0]).isEqualTo(6.0);
            assertThat(out[1]).isNaN();
            assertThat(out[2]).isNaN();
            assertThat(l.dataHours(LLM, hour(0), hour(3)).missing()).isZero();
        }

        @Test
        void hoursNeverReadAreMissing() {
            HourlyCostLedger l = ledger();
            assertThat(l.hourlyWithGaps(namespace("team-alpha"), hour(0), hour(2)))
                    .containsExactly(Double.NaN, Double.NaN);
            put(l, COMPUTE, hour(5), hour(6), Map.of(ALPHA_WEB, Map.of(hour(5), 1.0)));
            HourlyCostLedger.DataHours d = l.dataHours(COMPUTE, hour(0), hour(8));
            assertThat(d.missing()).isEqualTo(7);
            assertThat(d.firstMissing()).hasValue(hour(0));
            assertThat(d.lastMissing()).hasValue(hour(7));
        }

        @Test
        void aLaterReadThatFillsAHoleMarksItsHours() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(4), Map.of(ALPHA_WEB, Map.of(hour(0), 1.0, hour(3), 1.0)));
            put(l, COMPUTE, hour(1), hour(3), Map.of(ALPHA_WEB, Map.of(hour(1), 1.0, hour(2), 1.0)));

            assertThat(l.dataHours(COMPUTE, hour(0), hour(4)).missing()).isZero();
        }

        @Test
        void anEmptyReReadOfKnownHoursIsAGapThatKeepsTheirData() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(4), Map.of(ALPHA_WEB, constant(0, 4, 1.0)));
            put(l, COMPUTE, hour(2), hour(4), Map.of());

            assertThat(l.dataHours(COMPUTE, hour(0), hour(4)).missing()).isZero();
            assertThat(l.hourlyWithGaps(namespace("team-alpha"), hour(0), hour(4)))
                    .containsExactly(1.0, 1.0, 1.0, 1.0);
        }

        @Test
        void readingHistoryBeforeTheFirstReadKeepsLaterMarks() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(48), hour(50), Map.of(ALPHA_WEB, constant(48, 50, 1.0)));
            put(l, COMPUTE, hour(0), hour(48), Map.of(ALPHA_WEB, constant(0, 10, 1.0)));

            HourlyCostLedger.DataHours d = l.dataHours(COMPUTE, hour(0), hour(50));
            assertThat(d.missing()).isEqualTo(38);
            assertThat(d.firstMissing()).hasValue(hour(10));
            assertThat(d.lastMissing()).hasValue(hour(47));
        }

        @Test
        void trimmedHoursAreForgotten() {
            HourlyCostLedger l = ledger();
            put(l, COMPUTE, hour(0), hour(48), Map.of(ALPHA_WEB, constant(0, 48, 1.0)));
            l.trimBefore(hour(24));

            assertThat(l.dataHours(COMPUTE, hour(0), hour(48)).missing()).isEqualTo(24);
            assertThat(l.dataHours(COMPUTE, hour(24), hour(48)).missing()).isZero();
        }
    }

    /**
     * A gap never counts as zero spend: after any sequence of reads, an hour the compute source had no point for
     * is NaN in {@code hourlyWithGaps}, every other hour equals {@code hourly}, and {@code dataHours} counts exactly
     * the NaN hours.
     */
    @Property(tries = 300)
    void aMissingHourIsNaNAndEveryOtherHourIsItsCost(
            @ForAll @Size(min = 1, max = 5) List<@LongRange(min = 0, max = HOURS - 1) Long> starts,
            @ForAll @Size(min = 1, max = 5) List<@LongRange(min = 1, max = HOURS) Long> lengths,
            @ForAll @Size(max = 20) Set<@LongRange(min = 0, max = HOURS - 1) Long> holes,
            @ForAll @LongRange(min = 0, max = HOURS) long trim) {
        HourlyCostLedger l = ledger();
        boolean[] hasData = new boolean[HOURS];
        for (int r = 0; r < Math.min(starts.size(), lengths.size()); r++) {
            long from = starts.get(r);
            long to = Math.min(HOURS, from + lengths.get(r));
            Map<Long, Double> costs = new LinkedHashMap<>();
            for (long h = from; h < to; h++) {
                if (!holes.contains(h)) {
                    costs.put(hour(h), (double) (h % 3)); // zero costs are points too
                }
            }
            HourlyCostLedger.Gaps gaps = put(l, COMPUTE, hour(from), hour(to), Map.of(ALPHA_WEB, costs));
            for (long h = from; h < to; h++) {
                if (!gaps.hours().contains(hour(h))) {
                    hasData[(int) h] = !holes.contains(h);
                }
            }
        }
        l.trimBefore(hour(trim));
        Scope ns = namespace("team-alpha");
        double[] plain = l.hourly(ns, hour(0), hour(HOURS));
        double[] gapped = l.hourlyWithGaps(ns, hour(0), hour(HOURS));
        int missing = 0;
        for (int h = 0; h < HOURS; h++) {
            boolean data = h >= trim && hasData[h];
            if (data) {
                assertThat(gapped[h]).as("hour %s", h).isEqualTo(plain[h]);
            } else {
                assertThat(gapped[h]).as("hour %s", h).isNaN();
                missing++;
            }
        }
        assertThat(l.dataHours(COMPUTE, hour(0), hour(HOURS)).missing()).isEqualTo(missing);
    }
}

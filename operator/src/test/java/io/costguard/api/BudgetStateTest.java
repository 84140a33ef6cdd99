package io.costguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** State from the share spent (DESIGN.md section 2: Ok &lt; 70 %, Warning, Critical, Exceeded &ge; 100). */
class BudgetStateTest {
    private static final List<Integer> DEFAULT = List.of(70, 85, 100);

    @ParameterizedTest(name = "{0} % with 70/85/100 -> {1}")
    @CsvSource({
        "0,       Ok",
        "50,      Ok",
        "69.9999, Ok",
        "70,      Warning",
        "84.9999, Warning",
        "85,      Critical",
        "99.9999, Critical",
        "100,     Exceeded",
        "104,     Exceeded",
        "1000,    Exceeded",
    })
    void defaultThresholds(double usedPercent, BudgetState expected) {
        assertThat(BudgetState.forUsed(usedPercent, DEFAULT)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} % with 50/100 -> {1}")
    @CsvSource({
        "49.99, Ok",
        "50,    Warning",
        "99.99, Warning",
        "100,   Exceeded",
    })
    void twoThresholdsEndingAt100NeverGiveCritical(double usedPercent, BudgetState expected) {
        assertThat(BudgetState.forUsed(usedPercent, List.of(50, 100))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} % with 100/120 -> {1}")
    @CsvSource({
        "0,     Ok",
        "99.99, Ok",
        "100,   Exceeded",
        "110,   Exceeded",
        "120,   Exceeded",
        "500,   Exceeded",
    })
    void thresholdsFrom100UpAreOkBelow100AndExceededFrom100(double usedPercent, BudgetState expected) {
        assertThat(BudgetState.forUsed(usedPercent, List.of(100, 120))).isEqualTo(expected);
    }

    @Test
    void everyThresholdAfterTheFirstBelow100IsCritical() {
        List<Integer> four = List.of(50, 60, 75, 90);
        assertThat(BudgetState.forUsed(55, four)).isEqualTo(BudgetState.Warning);
        assertThat(BudgetState.forUsed(60, four)).isEqualTo(BudgetState.Critical);
        assertThat(BudgetState.forUsed(80, four)).isEqualTo(BudgetState.Critical);
        assertThat(BudgetState.forUsed(95, four)).isEqualTo(BudgetState.Critical);
        assertThat(BudgetState.forUsed(100, four)).isEqualTo(BudgetState.Exceeded);
    }

    @Test
    void withoutThresholdsOnly100Counts() {
        assertThat(BudgetState.forUsed(99.9, List.of())).isEqualTo(BudgetState.Ok);
        assertThat(BudgetState.forUsed(100, List.of())).isEqualTo(BudgetState.Exceeded);
    }

    @Test
    void aSingleLowThresholdGivesWarning() {
        assertThat(BudgetState.forUsed(10, List.of(5))).isEqualTo(BudgetState.Warning);
    }

    // ---- properties ----------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Integer>> ascendingThresholds() {
        return Arbitraries.integers()
                .between(1, 1000)
                .set()
                .ofMinSize(0)
                .ofMaxSize(6)
                .map(s -> s.stream().sorted().toList());
    }

    private static final List<BudgetState> ORDER =
            List.of(BudgetState.Ok, BudgetState.Warning, BudgetState.Critical, BudgetState.Exceeded);

    @Property(tries = 2000)
    void stateIsMonotoneNonDecreasingInUsedPercent(
            @ForAll("ascendingThresholds") List<Integer> thresholds,
            @ForAll @DoubleRange(min = 0, max = 1500) double a,
            @ForAll @DoubleRange(min = 0, max = 1500) double b) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        BudgetState low = BudgetState.forUsed(lo, thresholds);
        BudgetState high = BudgetState.forUsed(hi, thresholds);
        assertThat(ORDER.indexOf(low))
                .as("%s at %s vs %s at %s with %s", low, lo, high, hi, thresholds)
                .isLessThanOrEqualTo(ORDER.indexOf(high));
    }

    @Property(tries = 1000)
    void stateIsOneOfTheFourFigureStatesAndExceededExactlyFrom100(
            @ForAll("ascendingThresholds") List<Integer> thresholds,
            @ForAll @DoubleRange(min = 0, max = 1500) double used) {
        BudgetState s = BudgetState.forUsed(used, thresholds);
        assertThat(s).isIn(Set.copyOf(ORDER));
        assertThat(s == BudgetState.Exceeded).isEqualTo(used >= 100);
        boolean belowFirst = thresholds.isEmpty() || used < thresholds.get(0);
        if (used < 100) {
            assertThat(s == BudgetState.Ok).isEqualTo(belowFirst);
        }
    }
}

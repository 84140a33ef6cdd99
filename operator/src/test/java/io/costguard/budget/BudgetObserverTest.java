package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.cost.CostAllocation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A budget that counts shared cost shows a spend that is its two parts as shown, to the cent. */
class BudgetObserverTest {
    static String shown(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    @Test
    void twoPartsEndingInHalfACentAddUpAsShown() {
        // 5.40625 + 5.40625 = 10.8125: shown as 10.81 from the exact sum, but the parts show 5.41 and 5.41
        var split = new CostAllocation.Spend(5.40625, 5.40625);
        assertThat(shown(BudgetObserver.counted(split, true))).isEqualTo("10.82");
        assertThat(BudgetObserver.counted(split, false)).isEqualTo(5.40625);
    }

    @Property(tries = 500)
    void spentIsTheShownDirectPlusTheShownShared(
            @ForAll @IntRange(min = 0, max = 10_000_000) int directMills,
            @ForAll @IntRange(min = 0, max = 10_000_000) int sharedMills) {
        double direct = directMills / 1000.0;
        double shared = sharedMills / 1000.0;
        String spent = shown(BudgetObserver.counted(new CostAllocation.Spend(direct, shared), true));
        assertThat(new BigDecimal(spent).subtract(new BigDecimal(shown(direct))))
                .isEqualByComparingTo(new BigDecimal(shown(shared)));
    }
}

package io.costguard.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts as status and events show them: to the cent, halves rounded up. */
final class Money {
    private Money() {}

    static BigDecimal cents(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP);
    }

    static String text(double v) {
        return cents(v).toPlainString();
    }
}

package io.costguard.api;

import java.util.List;

/** Where a budget stands. */
public enum BudgetState {
    Ok,
    Warning,
    Critical,
    Exceeded,
    Unknown,
    Invalid;

    /**
     * State for a share of the budget spent: Exceeded from 100 %, Critical from any threshold after the
     * first (below 100), Warning from the first threshold, Ok below it.
     */
    public static BudgetState forUsed(double usedPercent, List<Integer> ascendingThresholds) {
        if (usedPercent >= 100) {
            return Exceeded;
        }
        int crossed = 0;
        for (int t : ascendingThresholds) {
            if (usedPercent >= t) {
                crossed++;
            }
        }
        return crossed == 0 ? Ok : crossed == 1 ? Warning : Critical;
    }
}

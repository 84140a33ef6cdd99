package io.costguard.budget;

import io.costguard.freeze.FreezeRegistry;

/**
 * The scope a CostBudget's Freeze holds rollouts in, built only here: by the reconciler that decides the freeze and by
 * every replica's admission webhook that reads it back from status, so both deny the same scope in the same words.
 */
public final class BudgetFreeze {
    /** How a budget's freeze lifts, for the admission denial's fix. */
    public static final String RELEASE =
            "the budget is raised, spend falls below its Freeze threshold, or the period ends";

    private BudgetFreeze() {}

    /** The scope frozen by budget {@code id} (namespace/name) at {@code used} (its status.used, null before any). */
    public static FreezeRegistry.FrozenScope scope(String id, BudgetPlan plan, String used) {
        return new FreezeRegistry.FrozenScope(
                plan.scope().namespaces(),
                plan.scope().selector(),
                "CostBudget " + id + " at " + (used == null ? "its Freeze threshold" : used),
                RELEASE);
    }
}

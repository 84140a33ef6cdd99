package io.costguard.api;

/** What a threshold does when crossed. */
public enum BudgetAction {
    Notify,
    Throttle,
    Freeze
}

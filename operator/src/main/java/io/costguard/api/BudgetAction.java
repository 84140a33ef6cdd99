package io.costguard.api;

/** What a threshold does when crossed. */
public enum BudgetAction {
    Notify,
    Throttle,
    Freeze;

    /** Whether {@code type}, an action type as read, is this action. */
    public boolean is(String type) {
        return name().equals(type);
    }
}

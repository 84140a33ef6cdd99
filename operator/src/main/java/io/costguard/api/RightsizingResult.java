package io.costguard.api;

/** What became of a rightsizing change (status.lastApplied.result, written as the constant's name). */
public enum RightsizingResult {
    /** Recorded before the patch, so a crash between the two is seen on the next reconcile. */
    Pending,
    Applied,
    Undone,
    Failed;

    /** Whether {@code result}, a result as read (null when absent), is this one. */
    public boolean is(String result) {
        return name().equals(result);
    }
}

package io.costguard.api;

/** What became of a crossed threshold's action (its status result, written as the constant's name). */
public enum ActionResult {
    /** Owed: the operator acts (or notifies) on its next cycle. */
    Pending,
    /** A Manual threshold's action waits for the approve annotation. */
    PendingApproval,
    /** enforcement: DryRun: reported, never acted on. */
    DryRun,
    Done,
    /** Tried and failed; retried with backoff. */
    Failed,
    /** Undone because spend fell below the threshold again. */
    Reverted;

    /** Whether {@code result}, a result as read (null when absent), is this one. */
    public boolean is(String result) {
        return name().equals(result);
    }
}

package io.costguard.testing;

import java.time.Duration;

/**
 * How long this module's tests wait for the operator, named by what they wait for. The reconcilers run against the
 * fabric8 mock server at a 1 s evaluation interval, so each is several cycles; a bound only decides how soon a failing
 * test gives up, never whether a working one passes. A slower machine is one edit here, not sixty.
 */
public final class Waits {
    /** A reconcile's effect shows through the API server: status, an Event, an owned object created or patched. */
    public static final Duration RECONCILED = Duration.ofSeconds(20);
    /** What follows a state already seen: a few more cycles, an owned Job deleted, a file change picked up. */
    public static final Duration FOLLOW_UP = Duration.ofSeconds(10);
    /** A reconcile that succeeds only after JOSDK's retry backoff, or the first one while every informer syncs. */
    public static final Duration RETRIED = Duration.ofSeconds(30);
    /** How long a state must hold to count as settled (Awaitility's {@code during}). */
    public static final Duration HOLDS = Duration.ofSeconds(3);
    /** The bound of a {@link #HOLDS} wait: the state may take as long again to settle first. */
    public static final Duration HOLDS_WITHIN = HOLDS.multipliedBy(2);

    private Waits() {}
}

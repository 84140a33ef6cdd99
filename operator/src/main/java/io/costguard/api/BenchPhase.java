package io.costguard.api;

import java.util.EnumSet;
import java.util.Set;

/** A BenchRun's phase (its status.phase, written as the constant's name). */
public enum BenchPhase {
    Pending,
    Running,
    Collecting,
    Passed,
    Failed,
    Error,
    Invalid;

    /** The phases a run never leaves. */
    public static final Set<BenchPhase> FINISHED = EnumSet.of(Passed, Failed, Error);

    /** The phases of a run whose Job was created and has not given its results yet. */
    public static final Set<BenchPhase> GOING = EnumSet.of(Running, Collecting);

    /** Whether {@code phase}, a status.phase as read (null before the first), is this phase. */
    public boolean is(String phase) {
        return name().equals(phase);
    }

    /** Whether {@code phase}, a status.phase as read, is one a run never leaves. */
    public static boolean finished(String phase) {
        return FINISHED.stream().anyMatch(p -> p.is(phase));
    }

    /** Whether {@code phase}, a status.phase as read, is one of {@link #GOING}. */
    public static boolean going(String phase) {
        return GOING.stream().anyMatch(p -> p.is(phase));
    }
}

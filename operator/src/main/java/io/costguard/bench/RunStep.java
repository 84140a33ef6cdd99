package io.costguard.bench;

import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;

/**
 * One reconcile of a run: the run, its plan (null only when the spec of a started run became invalid), its status as
 * read, its generation and the time.
 */
record RunStep(
        BenchRun run,
        BenchPlan plan,
        BenchRunStatus previous,
        long generation,
        Instant now,
        Context<BenchRun> context) {
    String namespace() {
        return run.getMetadata().getNamespace();
    }

    String name() {
        return run.getMetadata().getName();
    }

    /** {@code namespace/name}, the run's place in the {@link TargetQueue}. */
    String id() {
        return namespace() + "/" + name();
    }

    /** The next status, starting from what every step carries over. */
    BenchRunStatus next() {
        return RunTransitions.base(previous, generation);
    }
}

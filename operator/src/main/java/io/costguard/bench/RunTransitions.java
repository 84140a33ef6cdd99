package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.BenchVerdict;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.SpecProblem;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.StatusUpdate;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run's status moves on: the next status is written (only when it changed), with the phase metric, and the
 * Event and log line of a run that waits, is invalid or ends in Error.
 */
final class RunTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(RunTransitions.class);
    /** Reasons a run ends while its k6 may not have exited: the Job is deleted with the run's end. */
    private static final Set<ConditionReason> STOP_JOB = Set.of(
            ConditionReason.ImagePullFailed,
            ConditionReason.ContainerNotStarted,
            ConditionReason.PodNotCreated,
            ConditionReason.PodDeleted,
            ConditionReason.SpecChanged);

    private static final Duration PENDING_RETRY = Duration.ofSeconds(5);

    private final RunObject<Job> job;
    private final TargetQueue queue;
    private final EventRecorder events;
    private final BenchMetrics benchMetrics;
    private final Clock clock;

    RunTransitions(
            RunObject<Job> job, TargetQueue queue, EventRecorder events, BenchMetrics benchMetrics, Clock clock) {
        this.job = job;
        this.queue = queue;
        this.events = events;
        this.benchMetrics = benchMetrics;
        this.clock = clock;
    }

    UpdateControl<BenchRun> pending(RunStep s, ConditionReason reason, String message) {
        BenchRunStatus next = s.next();
        next.phase = BenchPhase.Pending.name();
        next.conditions = specValid(next.conditions, s.generation(), s.now());
        next.conditions = Conditions.with(
                next.conditions, ConditionType.Complete, false, reason, message, s.generation(), s.now());
        var before = Conditions.find(s.previous() == null ? null : s.previous().conditions, ConditionType.Complete);
        if (before == null || !reason.name().equals(before.getReason())) {
            LOG.info("benchrun {} is Pending: {}", s.id(), message);
        }
        // a missing workload or script is watched for; the queue and leftovers of an earlier run are looked at again
        return write(s, next, RunLauncher.WOKEN_BY_CHANGE.contains(reason) ? null : PENDING_RETRY);
    }

    UpdateControl<BenchRun> invalid(
            BenchRun run,
            Context<BenchRun> context,
            BenchRunStatus previous,
            List<SpecProblem> problems,
            long generation,
            Instant now) {
        BenchRunStatus next = base(previous, generation);
        next.phase = BenchPhase.Invalid.name();
        StringBuilder message = new StringBuilder();
        for (SpecProblem p : problems) {
            message.append(message.length() == 0 ? "" : "; ").append(p);
        }
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Ready,
                false,
                ConditionReason.InvalidSpec,
                message.toString(),
                generation,
                now);
        String id = run.getMetadata().getNamespace() + "/" + run.getMetadata().getName();
        if (previous == null || !BenchPhase.Invalid.is(previous.phase)) {
            LOG.info("benchrun {} is Invalid: {}", id, message);
        }
        queue.releaseAll(id);
        return write(run, context, previous, next, null);
    }

    UpdateControl<BenchRun> broken(RunStep s, Context<BenchRun> context, ConditionReason reason, String message) {
        return broken(s, s.next(), context, reason, message);
    }

    /** Ends the run in Error, from {@code next} as decided so far (its conditions kept). */
    UpdateControl<BenchRun> broken(
            RunStep s, BenchRunStatus next, Context<BenchRun> context, ConditionReason reason, String message) {
        BenchRunStatus previous = s.previous();
        if (previous != null
                && BenchPhase.Running.is(previous.phase)
                && previous.jobName != null
                && STOP_JOB.contains(reason)) {
            // k6 may still be loading the target (or start late) while the next run starts; a Job whose k6 has exited
            // stays, with its pod's log, until its TTL
            job.stop(s.namespace(), previous.jobName, context);
        }
        next.phase = BenchPhase.Error.name();
        next.completionTime = previous != null && previous.completionTime != null
                ? previous.completionTime
                : s.now().toString();
        next.verdict = new BenchVerdict("Fail", List.of(reason + ": " + message));
        next.conditions =
                Conditions.with(next.conditions, ConditionType.Ready, false, reason, message, s.generation(), s.now());
        next.conditions = Conditions.with(
                next.conditions, ConditionType.Complete, true, ConditionReason.Error, message, s.generation(), s.now());
        events.once(s.run(), "verdict", EventRecorder.Type.Warning, "BenchRunFailed", reason + ": " + message, s.now());
        benchMetrics.finished(s.namespace(), BenchPhase.Error.name());
        LOG.info("benchrun {} Error {}: {}", s.id(), reason, message);
        queue.releaseAll(s.id());
        return write(s, next, null);
    }

    /** Writes {@code next} when it differs from what the run has, and looks again after {@code requeue} (or not). */
    UpdateControl<BenchRun> write(RunStep s, BenchRunStatus next, Duration requeue) {
        return write(s.run(), s.context(), s.previous(), next, requeue);
    }

    private UpdateControl<BenchRun> write(
            BenchRun run, Context<BenchRun> context, BenchRunStatus previous, BenchRunStatus next, Duration requeue) {
        benchMetrics.phase(run.getMetadata().getNamespace(), run.getMetadata().getName(), next.phase);
        var ready = Conditions.find(next.conditions, ConditionType.Ready);
        if (ready != null && ConditionReason.ReconcileError.name().equals(ready.getReason())) {
            // this reconcile got through: the failure the condition reported is over
            next.conditions = specValid(
                    next.conditions, next.observedGeneration, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        }
        return StatusUpdate.of(context, run, previous, next, BenchRun::new, requeue);
    }

    static List<Condition> specValid(List<Condition> conditions, Long generation, Instant now) {
        return Conditions.with(
                conditions, ConditionType.Ready, true, ConditionReason.Valid, "the spec is valid", generation, now);
    }

    /** What every step carries over. */
    static BenchRunStatus base(BenchRunStatus previous, long generation) {
        BenchRunStatus next = new BenchRunStatus();
        next.observedGeneration = generation;
        if (previous != null) {
            next.phase = previous.phase;
            next.jobName = previous.jobName;
            next.startedGeneration = previous.startedGeneration;
            next.podName = previous.podName;
            next.startTime = previous.startTime;
            next.completionTime = previous.completionTime;
            next.k6Summary = previous.k6Summary;
            next.conditions = new ArrayList<>(previous.conditions == null ? List.of() : previous.conditions);
        }
        return next;
    }
}

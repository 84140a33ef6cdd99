package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.config.Durations;
import io.costguard.kube.EventRecorder;
import io.costguard.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run that has not started: it waits (Pending) until {@link RunLauncher} has its Job created, then it is Running. */
final class RunStart {
    private static final Logger LOG = LoggerFactory.getLogger(RunStart.class);
    private static final Duration STARTING_RETRY = Duration.ofSeconds(10);

    private final RunLauncher launcher;
    private final RunTransitions transitions;
    private final EventRecorder events;

    RunStart(RunLauncher launcher, RunTransitions transitions, EventRecorder events) {
        this.launcher = launcher;
        this.transitions = transitions;
        this.events = events;
    }

    UpdateControl<BenchRun> step(RunStep s, Context<BenchRun> context) {
        String ns = s.namespace();
        BenchPlan plan = s.plan();
        RunLauncher.Launch launch = launcher.launch(
                s.run(),
                plan,
                context.getPrimaryCache()
                        .list(r -> ns.equals(r.getMetadata().getNamespace()))
                        .toList(),
                context);
        if (launch instanceof RunLauncher.Waiting w) {
            return transitions.pending(s, w.reason(), w.message());
        }
        if (launch instanceof RunLauncher.Refused r) {
            return transitions.broken(s, context, ConditionReason.JobNotCreated, r.message());
        }
        String jobName = ((RunLauncher.Launched) launch).jobName();
        events.once(
                s.run(),
                "started",
                EventRecorder.Type.Normal,
                "BenchRunStarted",
                "Job " + jobName + " loads " + plan.targetDescription() + " (" + load(plan) + ")",
                s.now());
        LOG.info("benchrun {}: started Job {} against {}", s.id(), jobName, plan.targetDescription());
        BenchRunStatus next = s.next();
        next.phase = BenchPhase.Running.name();
        next.jobName = jobName;
        next.startedGeneration = s.generation();
        next.conditions = RunTransitions.specValid(next.conditions, s.generation(), s.now());
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Complete,
                false,
                ConditionReason.Starting,
                "Job " + jobName + " created; waiting for the k6 pod",
                s.generation(),
                s.now());
        return transitions.write(s, next, STARTING_RETRY);
    }

    /** The load a plan puts on its target, in words. */
    static String load(BenchPlan plan) {
        String shape =
                plan.executor() == BenchPlan.Executor.CONSTANT_VUS ? plan.vus() + " VUs" : plan.rate() + " requests/s";
        return plan.executor().k6Name() + ", " + shape + " for " + Durations.format(plan.duration())
                + (plan.warmup().isZero() ? "" : ", first " + Durations.format(plan.warmup()) + " discarded");
    }
}

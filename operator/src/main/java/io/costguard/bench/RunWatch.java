package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Running run: its Job and pod as the caches hold them, judged by {@link RunObserver}, until k6 has finished. */
final class RunWatch {
    private static final Logger LOG = LoggerFactory.getLogger(RunWatch.class);
    private static final Duration STARTING_RETRY = Duration.ofSeconds(10);
    private static final Duration RUNNING_RETRY = Duration.ofSeconds(30);

    private final RunObject<Job> job;
    private final RunObserver observer;
    private final RunTransitions transitions;

    RunWatch(RunObject<Job> job, RunObserver observer, RunTransitions transitions) {
        this.job = job;
        this.observer = observer;
        this.transitions = transitions;
    }

    UpdateControl<BenchRun> step(RunStep s, Context<BenchRun> context) {
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream().toList();
        RunObserver.Observation seen =
                observer.observe(job.getSecondaryResource(s.run(), context), pods, s.previous().podName, s.now());
        BenchRunStatus next = s.next();
        if (seen instanceof RunObserver.Starting starting) {
            next.podName = starting.podName() != null ? starting.podName() : s.previous().podName;
            next.conditions = complete(next, s, ConditionReason.Starting, starting.detail());
            return transitions.write(s, next, STARTING_RETRY);
        }
        if (seen instanceof RunObserver.Running r) {
            next.podName = r.podName();
            next.startTime = r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString();
            String message = "k6 is loading " + s.plan().targetDescription() + " (" + RunStart.load(s.plan()) + ")";
            next.conditions = complete(next, s, ConditionReason.Running, message);
            return transitions.write(s, next, RUNNING_RETRY);
        }
        if (seen instanceof RunObserver.Finished f) {
            K6Summary summary = f.summary();
            next.podName = f.podName();
            next.phase = BenchPhase.Collecting.name();
            next.startTime = summary.start().truncatedTo(ChronoUnit.SECONDS).toString();
            next.completionTime = summary.end().truncatedTo(ChronoUnit.SECONDS).toString();
            next.k6Summary = f.line();
            String thresholds = f.k6ThresholdsFailed() ? " (its own thresholds failed)" : "";
            next.conditions = complete(
                    next, s, ConditionReason.Collecting, "k6 finished" + thresholds + "; reading the cost of the run");
            LOG.info(
                    "benchrun {}: k6 finished with {} requests{}",
                    s.id(),
                    summary.requests(),
                    f.k6ThresholdsFailed() ? ", k6 thresholds failed" : "");
            return transitions.write(s, next, Duration.ofMillis(1));
        }
        RunObserver.Broken b = (RunObserver.Broken) seen;
        return transitions.broken(s, context, b.reason(), b.message());
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> complete(
            BenchRunStatus next, RunStep s, ConditionReason reason, String message) {
        return Conditions.with(
                next.conditions, ConditionType.Complete, false, reason, message, s.generation(), s.now());
    }
}

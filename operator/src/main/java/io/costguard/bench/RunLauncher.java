package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.baseline.WorkloadAccess;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Starts a valid BenchRun when it may: its workload and script exist, its target is free (the {@link TargetQueue}),
 * and nothing of an earlier run of the same name is left; then has the script ConfigMap and the k6 Job created.
 */
final class RunLauncher {
    /** What came of trying to start a run. */
    sealed interface Launch permits Waiting, Launched, Refused {}

    /** Waiting reasons a change the informers see ends, so nothing needs to ask again until then. */
    static final Set<ConditionReason> WOKEN_BY_CHANGE =
            Set.of(ConditionReason.WorkloadNotFound, ConditionReason.ScriptNotFound);

    /** Not yet: the reason for the Complete condition, and what the user can do. */
    record Waiting(ConditionReason reason, String message) implements Launch {}

    record Launched(String jobName) implements Launch {}

    /** The API refused the Job or its ConfigMap for good (quota, admission policy, size). */
    record Refused(String message) implements Launch {}

    private final BenchSpecValidator validator;
    private final RunObject<ConfigMap> script;
    private final RunObject<Job> job;
    private final WorkloadAccess workloads;
    private final ScriptConfigMaps scripts;
    private final TargetQueue queue;

    RunLauncher(
            BenchSpecValidator validator,
            RunObject<ConfigMap> script,
            RunObject<Job> job,
            WorkloadAccess workloads,
            ScriptConfigMaps scripts,
            TargetQueue queue) {
        this.scripts = scripts;
        this.validator = validator;
        this.script = script;
        this.job = job;
        this.workloads = workloads;
        this.queue = queue;
    }

    /** @param runs the BenchRuns of the run's namespace as the cache holds them, for the queue after a restart */
    Launch launch(BenchRun run, BenchPlan plan, List<BenchRun> runs, Context<BenchRun> context) {
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        if (!workloads.loaded() || !scripts.loaded() || !script.loaded() || !job.loaded()) {
            return new Waiting(
                    ConditionReason.CachesLoading,
                    "costguard is still loading its caches of workloads and ConfigMaps; the run starts once "
                            + "they are loaded");
        }
        if (plan.hasWorkload()
                && workloads.get(ns, plan.workloadKind(), plan.workloadName()).isEmpty()) {
            return new Waiting(
                    ConditionReason.WorkloadNotFound,
                    plan.workloadKind() + " " + plan.workloadName() + " does not exist in namespace " + ns
                            + "; the run starts once it does (or fix spec.target.workload)");
        }
        if (plan.script().configMap() != null) {
            ConfigMap cm = scripts.get(ns, plan.script().configMap()).orElse(null);
            if (cm == null
                    || cm.getData() == null
                    || !cm.getData().containsKey(plan.script().key())) {
                return new Waiting(
                        ConditionReason.ScriptNotFound,
                        (cm == null
                                        ? "ConfigMap " + plan.script().configMap() + " does not exist"
                                        : "ConfigMap " + plan.script().configMap() + " has no key "
                                                + plan.script().key())
                                + " in namespace " + ns
                                + "; create it (spec.load.script.configMapRef) and the run starts");
            }
        }
        String target = plan.targetKey(ns);
        String id = ns + "/" + name;
        Optional<String> blocker = queue.claim(
                target,
                id,
                Objects.requireNonNullElse(run.getMetadata().getCreationTimestamp(), ""),
                others(run, target, runs));
        if (blocker.isPresent()) {
            String holder = blocker.get().substring(blocker.get().indexOf('/') + 1);
            return new Waiting(
                    ConditionReason.TargetBusy,
                    "BenchRun " + holder + " is loading " + plan.targetDescription()
                            + "; this run starts when it is done (one run per target at a time)");
        }
        String jobName = K6Job.name(name);
        Optional<? extends HasMetadata> leftover =
                script.leftover(run, context).map(HasMetadata.class::cast).or(() -> job.leftover(run, context));
        if (leftover.isPresent()) {
            queue.release(target, id);
            return notGone(leftover.get().getKind(), jobName);
        }
        RunObject<?> creating = script;
        try {
            script.reconcile(run, context);
            creating = job;
            job.reconcile(run, context);
        } catch (KubernetesClientException e) {
            queue.release(target, id);
            if (e.getCode() == 409) {
                // one of that name the cache does not show (not labelled as ours): an earlier run's, or someone else's
                return notGone(creating.resourceType().getSimpleName(), jobName);
            }
            if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429) {
                return new Refused("the API refused the k6 Job or its ConfigMap (HTTP " + e.getCode() + ": "
                        + (e.getStatus() != null && e.getStatus().getMessage() != null
                                ? e.getStatus().getMessage()
                                : e.getMessage())
                        + "); fix the cause and create a new BenchRun");
            }
            throw e;
        }
        return new Launched(jobName);
    }

    private static Waiting notGone(String kind, String name) {
        return new Waiting(
                ConditionReason.PreviousRunNotGone,
                kind + " " + name + " belongs to an earlier BenchRun of this name and is still "
                        + "being deleted; this run starts once it is gone");
    }

    /** The other runs of the same target, for the order among waiting runs. */
    private List<TargetQueue.Other> others(BenchRun run, String target, List<BenchRun> runs) {
        String ns = run.getMetadata().getNamespace();
        List<TargetQueue.Other> others = new ArrayList<>();
        for (BenchRun other : runs) {
            if (!ns.equals(other.getMetadata().getNamespace())
                    || run.getMetadata().getName().equals(other.getMetadata().getName())) {
                continue;
            }
            BenchSpecValidator.Result v = validator.validate(other.getSpec());
            if (!v.valid() || !target.equals(v.plan().targetKey(ns))) {
                continue;
            }
            BenchRunStatus s = other.getStatus();
            String phase = s == null ? null : s.phase;
            boolean waiting = phase == null
                    || (BenchPhase.Pending.is(phase)
                            && Optional.ofNullable(Conditions.find(s.conditions, ConditionType.Complete))
                                    .map(c -> ConditionReason.TargetBusy.name().equals(c.getReason()))
                                    .orElse(false));
            others.add(new TargetQueue.Other(
                    ns + "/" + other.getMetadata().getName(),
                    phase,
                    Objects.requireNonNullElse(other.getMetadata().getCreationTimestamp(), ""),
                    waiting));
        }
        return others;
    }
}

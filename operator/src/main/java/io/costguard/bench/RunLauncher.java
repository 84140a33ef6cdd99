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
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Starts a valid BenchRun when it may: its workload and script exist, its target is free (the {@link TargetQueue}),
 * and nothing of an earlier run of the same name is left; then creates the script ConfigMap and the k6 Job.
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

    private final KubernetesClient client;
    private final BenchSpecValidator validator;
    private final K6Job jobs;
    private final WorkloadAccess workloads;
    private final ScriptConfigMaps scripts;
    private final TargetQueue queue;

    RunLauncher(
            KubernetesClient client,
            BenchSpecValidator validator,
            K6Job jobs,
            WorkloadAccess workloads,
            ScriptConfigMaps scripts,
            TargetQueue queue) {
        this.scripts = scripts;
        this.client = client;
        this.validator = validator;
        this.jobs = jobs;
        this.workloads = workloads;
        this.queue = queue;
    }

    /** @param runs the BenchRuns of the run's namespace as the cache holds them, for the queue after a restart */
    Launch launch(BenchRun run, BenchPlan plan, List<BenchRun> runs) {
        String ns = run.getMetadata().getNamespace();
        String name = run.getMetadata().getName();
        if (!workloads.loaded() || !scripts.loaded()) {
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
        String leftover = leftover(ns, jobName, run.getMetadata().getUid());
        if (leftover != null) {
            queue.release(target, id);
            return new Waiting(
                    ConditionReason.PreviousRunNotGone,
                    leftover + " " + jobName + " belongs to an earlier BenchRun of this name and is still "
                            + "being deleted; this run starts once it is gone");
        }
        try {
            createIfAbsent(() -> client.configMaps()
                    .inNamespace(ns)
                    .resource(jobs.scripts(run, plan))
                    .create());
            createIfAbsent(() -> client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(ns)
                    .resource(jobs.job(run, plan))
                    .create());
        } catch (KubernetesClientException e) {
            queue.release(target, id);
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

    /** "Job" or "ConfigMap" when one of that name exists but is not this run's (a deleted run of the same name), else null. */
    private String leftover(String ns, String name, String uid) {
        List<HasMetadata> existing = new ArrayList<>();
        Optional.ofNullable(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(ns)
                        .withName(name)
                        .get())
                .ifPresent(existing::add);
        Optional.ofNullable(client.configMaps().inNamespace(ns).withName(name).get())
                .ifPresent(existing::add);
        for (HasMetadata o : existing) {
            boolean ours = o.getMetadata().getOwnerReferences() != null
                    && o.getMetadata().getOwnerReferences().stream().anyMatch(r -> Objects.equals(r.getUid(), uid));
            if (!ours) {
                return o.getKind();
            }
        }
        return null;
    }

    private static void createIfAbsent(Runnable create) {
        try {
            create.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }
}

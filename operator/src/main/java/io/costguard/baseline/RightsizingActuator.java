package io.costguard.baseline;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.ContainerResources;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.RightsizingApplied;
import io.costguard.api.RightsizingResult;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.ObjectKeys;
import io.costguard.rightsizing.Rightsizer;
import io.costguard.rightsizing.RightsizingPlan;
import io.costguard.rightsizing.Usage;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rightsizing of one PerfBaseline's workload: recommends (status only, with a ready-to-commit patch), or in mode
 * Apply records the previous resources in status first and patches on the next reconcile, so a restart in between
 * finds the record and finishes; {@code costguard.io/rightsizing-undo: "true"} restores what was recorded.
 */
final class RightsizingActuator {
    private static final Logger LOG = LoggerFactory.getLogger(RightsizingActuator.class);
    static final String UNDO_ANNOTATION = "costguard.io/rightsizing-undo";
    static final ConditionType CONDITION = ConditionType.RightsizingApplied;

    /** What a reconcile should do next. */
    enum Next {
        Wait,
        Soon
    }

    private record HpaMemo(String key, boolean onCpu) {}

    private final KubernetesClient client;
    private final WorkloadAccess workloads;
    private final EventRecorder events;
    private final PerfMetrics metrics;
    private final Map<String, HpaMemo> hpa = new ConcurrentHashMap<>();

    RightsizingActuator(KubernetesClient client, WorkloadAccess workloads, EventRecorder events, PerfMetrics metrics) {
        this.client = client;
        this.workloads = workloads;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Sets status.recommendations, recommendedPatch, lastApplied and the RightsizingApplied condition in {@code next};
     * patches the workload when a recorded apply or an undo is due. {@code prometheusUp} false blocks new applies.
     */
    Next step(
            PerfBaseline pb,
            PerfPlan plan,
            WorkloadAccess.Workload w,
            Usage usage,
            boolean prometheusUp,
            PerfBaselineStatus next,
            long generation,
            Instant now) {
        String ns = pb.getMetadata().getNamespace();
        String name = pb.getMetadata().getName();
        RightsizingApplied last = next.lastApplied;
        if (undoRequested(pb)) {
            return undo(pb, w, next, generation, now);
        }
        if (last != null && RightsizingResult.Pending.is(last.result)) {
            // recorded by an earlier reconcile: finish it, whatever the data says now
            try {
                workloads.setResources(ns, w, last.applied);
            } catch (KubernetesClientException e) {
                if (!isConflict(e)) {
                    throw e;
                }
                RightsizingApplied failed = copy(last);
                failed.result = RightsizingResult.Failed.name();
                next.lastApplied = failed;
                next.conditions = Conditions.with(
                        next.conditions,
                        CONDITION,
                        false,
                        ConditionReason.ApplyFailed,
                        w.kind() + " " + w.name() + " changed since the recommendation ("
                                + e.getStatus().getMessage() + "); recomputing",
                        generation,
                        now);
                return Next.Soon;
            }
            RightsizingApplied done = copy(last);
            done.result = RightsizingResult.Applied.name();
            done.at = now.toString();
            next.lastApplied = done;
            metrics.patched(ns, name, "apply");
            events.once(
                    pb,
                    "rightsized-" + Instant.parse(last.at).getEpochSecond(),
                    EventRecorder.Type.Normal,
                    "RightsizingApplied",
                    "set resources of " + w.kind() + " " + w.name() + ": " + summary(last.applied) + " (was "
                            + summary(last.previous) + "); undo with kubectl annotate perfbaseline " + name + " "
                            + UNDO_ANNOTATION + "=true",
                    now);
            LOG.info(
                    "perfbaseline {}/{}: rightsizing applied to {} {}: {}",
                    ns,
                    name,
                    w.kind(),
                    w.name(),
                    summary(last.applied));
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    true,
                    ConditionReason.Applied,
                    "applied " + summary(last.applied) + " at " + now + "; undo with the annotation " + UNDO_ANNOTATION
                            + "=true",
                    generation,
                    now);
            return Next.Wait;
        }
        if (plan.rightsizing().mode() == PerfPlan.Mode.Off) {
            next.recommendations = null;
            next.recommendedPatch = null;
            metrics.recommended(ns, name, List.of());
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.Off,
                    "spec.rightsizing.mode is \"Off\"",
                    generation,
                    now);
            return Next.Wait;
        }
        if (usage == null) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.UsageNotRead,
                    "usage has not been read yet",
                    generation,
                    now);
            return Next.Wait;
        }
        if (usage.unavailable() != null) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.UsageUnavailable,
                    usage.unavailable(),
                    generation,
                    now);
            return Next.Wait;
        }
        String memoKey = usage.at() + "|" + generation + "|" + w.resourceVersion();
        HpaMemo memo = hpa.get(ns + "/" + name);
        if (memo == null || !memo.key().equals(memoKey)) {
            memo = new HpaMemo(memoKey, workloads.hpaOnCpu(ns, w.kind(), w.name()));
            hpa.put(ObjectKeys.of(ns, name), memo);
        }
        Instant lastAt = last != null && RightsizingResult.Applied.is(last.result) && last.at != null
                ? Instant.parse(last.at)
                : null;
        RightsizingPlan rp = RightsizingPlan.of(
                new Rightsizer(plan.rightsizing().settings()), w.containers(), usage, memo.onCpu(), lastAt, now);
        next.recommendations = rp.recommendations();
        next.recommendedPatch = plan.rightsizing().mode() == PerfPlan.Mode.Recommend ? rp.patch() : null;
        metrics.recommended(
                ns,
                name,
                rp.recommendations().stream()
                        .map(r -> new RecommendationGauges.Recommended(
                                r.container,
                                orNaN(r.cpuRequest == null ? null : RightsizingPlan.cores(r.cpuRequest.recommended)),
                                orNaN(
                                        r.memoryRequest == null
                                                ? null
                                                : RightsizingPlan.bytes(r.memoryRequest.recommended))))
                        .toList());
        if (rp.lowConfidence() != null) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.LowConfidence,
                    rp.lowConfidence(),
                    generation,
                    now);
            return Next.Wait;
        }
        if (plan.rightsizing().mode() == PerfPlan.Mode.Recommend) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.RecommendOnly,
                    rp.changes()
                            ? "mode Recommend: status.recommendedPatch holds the change, ready to commit"
                            : "requests already match the recommendation",
                    generation,
                    now);
            return Next.Wait;
        }
        if (last != null
                && RightsizingResult.Undone.is(last.result)
                && last.undoneAtGeneration != null
                && last.undoneAtGeneration == generation) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.Undone,
                    "undone at " + last.at + "; Apply resumes once the spec changes",
                    generation,
                    now);
            return Next.Wait;
        }
        if (!rp.changes()) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    lastAt != null,
                    ConditionReason.UpToDate,
                    "requests match the recommendation (changes below spec.rightsizing.minChange are ignored)",
                    generation,
                    now);
            return Next.Wait;
        }
        if (!rp.mayApply()) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.Cooldown,
                    "last applied at " + last.at + "; the next change waits until "
                            + lastAt.plus(plan.rightsizing().settings().cooldown()),
                    generation,
                    now);
            return Next.Wait;
        }
        if (!prometheusUp) {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.DataUnavailable,
                    "Prometheus cannot be read now: nothing is changed on old data",
                    generation,
                    now);
            return Next.Wait;
        }
        RightsizingApplied record = new RightsizingApplied();
        record.at = now.toString();
        record.previous = rp.previous();
        record.applied = rp.next();
        record.result = RightsizingResult.Pending.name();
        next.lastApplied = record;
        next.conditions = Conditions.with(
                next.conditions,
                CONDITION,
                false,
                ConditionReason.Pending,
                "recorded " + summary(rp.next()) + "; patching next",
                generation,
                now);
        return Next.Soon;
    }

    private Next undo(
            PerfBaseline pb, WorkloadAccess.Workload w, PerfBaselineStatus next, long generation, Instant now) {
        String ns = pb.getMetadata().getNamespace();
        String name = pb.getMetadata().getName();
        RightsizingApplied last = next.lastApplied;
        if (last != null && RightsizingResult.Applied.is(last.result) && last.previous != null) {
            workloads.setResources(ns, w, last.previous);
            RightsizingApplied undone = copy(last);
            undone.result = RightsizingResult.Undone.name();
            undone.at = now.toString();
            undone.undoneAtGeneration = generation;
            next.lastApplied = undone;
            metrics.patched(ns, name, "undo");
            events.once(
                    pb,
                    "rightsizing-undone-" + now.getEpochSecond(),
                    EventRecorder.Type.Normal,
                    "RightsizingUndone",
                    "restored resources of " + w.kind() + " " + w.name() + ": " + summary(last.previous)
                            + "; Apply resumes once the spec changes",
                    now);
            LOG.info("perfbaseline {}/{}: rightsizing undone on {} {}", ns, name, w.kind(), w.name());
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.Undone,
                    "restored " + summary(last.previous) + " at " + now + "; Apply resumes once the spec changes",
                    generation,
                    now);
        } else {
            next.conditions = Conditions.with(
                    next.conditions,
                    CONDITION,
                    false,
                    ConditionReason.NothingToUndo,
                    UNDO_ANNOTATION + " was set, but no applied change is recorded",
                    generation,
                    now);
        }
        // the annotation is a one-shot request: remove it so it is not repeated
        try {
            client.resources(PerfBaseline.class)
                    .inNamespace(ns)
                    .withName(name)
                    .patch(
                            new PatchContext.Builder()
                                    .withPatchType(PatchType.JSON)
                                    .build(),
                            "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/" + UNDO_ANNOTATION.replace("/", "~1")
                                    + "\"}]");
        } catch (KubernetesClientException e) {
            if (!isConflict(e)) {
                throw e; // 422: someone removed it already
            }
        }
        return Next.Wait;
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    void forget(String id) {
        hpa.remove(id);
    }

    static boolean undoRequested(PerfBaseline pb) {
        var a = pb.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(UNDO_ANNOTATION));
    }

    private static RightsizingApplied copy(RightsizingApplied a) {
        RightsizingApplied c = new RightsizingApplied();
        c.at = a.at;
        c.previous = a.previous;
        c.applied = a.applied;
        c.result = a.result;
        c.undoneAtGeneration = a.undoneAtGeneration;
        return c;
    }

    static String summary(Map<String, ContainerResources> byContainer) {
        if (byContainer == null || byContainer.isEmpty()) {
            return "nothing";
        }
        Map<String, String> parts = new LinkedHashMap<>();
        byContainer.forEach((c, r) -> parts.put(
                c,
                "requests " + (r.requests == null ? "{}" : r.requests)
                        + (r.limits == null ? "" : " limits " + r.limits)));
        return parts.toString();
    }

    static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == 409 || e.getCode() == 422;
    }
}

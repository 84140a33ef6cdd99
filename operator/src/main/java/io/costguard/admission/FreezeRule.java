package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.freeze.FreezeRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy freeze (DESIGN.md sections 5 and 7): in a frozen scope, creating a workload, changing its pod template
 * or raising its replicas is denied; scale-down, deletes, label-only fixes and the autoscaler's scale-ups pass.
 * A valid break-glass lets a denied change through. Pure: the caller supplies the frozen scopes and the time.
 */
public final class FreezeRule {
    static final List<String> AUTOSCALERS =
            List.of("system:serviceaccount:kube-system:horizontal-pod-autoscaler", "system:kube-controller-manager");

    /** The outcome; {@code breakGlass} is the reason of a break-glass that let through what would have been denied. */
    public record Result(boolean allowed, String message, String warning, String breakGlass, boolean frozen) {
        static final Result PASS = new Result(true, null, null, null, false);
    }

    private final Workloads workloads;
    private final List<String> allocationKeys;
    private final Duration breakGlassMaxAge;

    public FreezeRule(Workloads workloads, List<String> allocationKeys, Duration breakGlassMaxAge) {
        this.workloads = workloads;
        this.allocationKeys = List.copyOf(allocationKeys);
        this.breakGlassMaxAge = breakGlassMaxAge;
    }

    /** {@code targets} finds the workload a {@code /scale} request scales (in memory; see {@link ScaleTarget}). */
    public Result check(AdmissionRequest r, FreezeRegistry freezes, ScaleTarget.Lookup targets, Instant now) {
        return check(r, freezes, targets, Optional.empty(), now);
    }

    /**
     * As above; {@code loading}, when present, says what the webhook has not read yet of what freezes scopes (the
     * CostBudgets and PerfBaselines after a start). Meanwhile no scope is known to be free, so a change a freeze would
     * forbid is denied with a retry (a valid break-glass still lets it through); what a freeze allows passes.
     */
    public Result check(
            AdmissionRequest r,
            FreezeRegistry freezes,
            ScaleTarget.Lookup targets,
            Optional<String> loading,
            Instant now) {
        if (!"CREATE".equals(r.operation()) && !"UPDATE".equals(r.operation())) {
            return Result.PASS;
        }
        if ("scale".equals(r.subResource())) {
            return scale(r, freezes, targets, loading, now);
        }
        Optional<Workloads.Kind> kind = workloads.find(r.group(), r.kind());
        if (kind.isEmpty() || r.object() == null || Workloads.controlled(r.object())) {
            return Result.PASS;
        }
        Map<String, String> labels = labels(
                Workloads.template(r.object(), kind.get()).path("metadata").path("labels"));
        var frozenBy = freezes.frozenBy(r.namespace(), labels);
        if (frozenBy.isEmpty() && r.oldObject() != null) {
            frozenBy = freezes.frozenBy(
                    r.namespace(),
                    labels(Workloads.template(r.oldObject(), kind.get())
                            .path("metadata")
                            .path("labels")));
        }
        if (frozenBy.isEmpty() && loading.isPresent()) {
            String change = change(r, kind.get());
            if (change == null) {
                return Result.PASS;
            }
            return judged(
                    r.describe() + ": costguard cannot tell yet whether a freeze covers it (" + loading.get() + "); "
                            + change,
                    BreakGlass.of(r.object(), now, breakGlassMaxAge),
                    "retry in a few seconds; scale-downs, deletes and allocation-label fixes pass meanwhile");
        }
        if (frozenBy.isEmpty()) {
            return Result.PASS;
        }
        String change = change(r, kind.get());
        if (change == null) {
            return new Result(true, null, null, null, true);
        }
        String message = r.describe() + ": rollouts are frozen by "
                + frozenBy.get().getValue().reason() + "; " + change;
        return judged(
                message,
                BreakGlass.of(r.object(), now, breakGlassMaxAge),
                "wait until the freeze lifts (the budget is raised, "
                        + "spend falls below its Freeze threshold, or the period ends), or for an emergency set "
                        + BreakGlass.REASON + ": \"<reason>\" and "
                        + BreakGlass.UNTIL + ": <RFC 3339 time at most " + BreakGlass.humane(breakGlassMaxAge)
                        + " from now>");
    }

    /** A change the freeze forbids: let through by a valid break-glass (with a warning), else denied with the fix. */
    private static Result judged(String message, BreakGlass.Status glass, String fix) {
        if (glass.valid()) {
            return new Result(
                    true,
                    null,
                    "break-glass '" + glass.reason() + "' let this through: " + message,
                    glass.reason(),
                    true);
        }
        if (glass.present()) {
            return new Result(false, message + ". The break-glass was refused: " + glass.problem(), null, null, true);
        }
        return new Result(false, message + ". Fix: " + fix, null, null, true);
    }

    /** What the change does that a freeze forbids, or null when it only does what a freeze allows. */
    private String change(AdmissionRequest r, Workloads.Kind kind) {
        if ("CREATE".equals(r.operation())) {
            return "creating " + r.kind() + " is denied";
        }
        if (r.oldObject() == null) {
            return null;
        }
        JsonNode before = Workloads.template(r.oldObject(), kind);
        JsonNode after = Workloads.template(r.object(), kind);
        boolean pod = kind.templatePath().isEmpty();
        if (!before.path("spec").equals(after.path("spec"))
                || !withoutAllocationKeys(before.path("metadata").path("labels"))
                        .equals(withoutAllocationKeys(after.path("metadata").path("labels")))
                || (!pod
                        && !before.path("metadata")
                                .path("annotations")
                                .equals(after.path("metadata").path("annotations")))) {
            return "the pod template changes (only scale-down and allocation-label fixes pass)";
        }
        long was = replicas(r.oldObject());
        long now = replicas(r.object());
        if (now > was) {
            return "replicas rise from " + was + " to " + now;
        }
        return null;
    }

    /**
     * A {@code /scale} UPDATE, judged by the workload it scales: the Scale carries only replicas and the workload's
     * selector, so the pod-template labels and break-glass annotations come from the webhook's cache. A scale-up of a
     * workload the cache does not know, in a namespace a freeze covers, is denied with a retry: admitting it would
     * open every freeze to whoever scales while the cache loads after a restart. Scale-downs and the horizontal pod
     * autoscaler's scale-ups always pass, so autoscaling under load never stops.
     */
    private Result scale(
            AdmissionRequest r,
            FreezeRegistry freezes,
            ScaleTarget.Lookup targets,
            Optional<String> loading,
            Instant now) {
        Optional<Workloads.Kind> kind = workloads.scaled(r.resourceGroup(), r.resource());
        if (kind.isEmpty() || r.object() == null || r.oldObject() == null) {
            return Result.PASS;
        }
        long was = r.oldObject().path("spec").path("replicas").asLong(0);
        long wanted = r.object().path("spec").path("replicas").asLong(0);
        if (wanted <= was || loading.isEmpty() && !freezes.covers(r.namespace())) {
            return Result.PASS;
        }
        ScaleTarget target = targets.find(kind.get(), r.namespace(), r.name());
        if (target instanceof ScaleTarget.Known k && k.controlled()) {
            // its owner sets its replicas and was judged itself
            return Result.PASS;
        }
        // without the workload, the selector's equality terms (a subset of its pod-template labels) still tell some
        // freezes
        var frozenBy = freezes.frozenBy(
                r.namespace(),
                target instanceof ScaleTarget.Known k
                        ? k.podLabels()
                        : selectorLabels(
                                r.object().path("status").path("selector").asText("")));
        boolean autoscaler = AUTOSCALERS.contains(r.user());
        String what = kind.get().kind() + " " + r.namespace() + "/" + r.name();
        String rise = "replicas rise from " + was + " to " + wanted + " through /scale";
        BreakGlass.Status glass = target instanceof ScaleTarget.Known k
                ? BreakGlass.of(k.breakGlass(), k.breakGlassUntil(), now, breakGlassMaxAge)
                : BreakGlass.of("", "", now, breakGlassMaxAge);
        if (frozenBy.isEmpty() && loading.isPresent() && !autoscaler) {
            return judged(
                    what + ": costguard cannot tell yet whether a freeze covers it (" + loading.get() + "); " + rise,
                    glass,
                    "retry in a few seconds; scale-downs and the horizontal pod autoscaler's scale-ups pass "
                            + "meanwhile");
        }
        if (frozenBy.isEmpty() && target instanceof ScaleTarget.Unknown u && !autoscaler) {
            return new Result(
                    false,
                    what + ": a freeze covers namespace " + r.namespace() + " and costguard cannot tell whether this "
                            + "workload is in it (" + u.why() + "); " + rise
                            + ". Fix: retry in a few seconds; scale-downs and the horizontal pod "
                            + "autoscaler's scale-ups pass meanwhile",
                    null,
                    null,
                    true);
        }
        if (frozenBy.isEmpty()) {
            return Result.PASS;
        }
        if (autoscaler) {
            return new Result(true, null, null, null, true);
        }
        FreezeRegistry.FrozenScope scope = frozenBy.get().getValue();
        return judged(
                what + ": rollouts are frozen by " + scope.reason() + "; " + rise,
                glass,
                "scale-ups by the horizontal pod autoscaler "
                        + "pass; otherwise wait until the freeze lifts (" + scope.release()
                        + "), or for an emergency annotate the "
                        + kind.get().kind() + ": kubectl annotate -n " + r.namespace() + " "
                        + kind.get().kind().toLowerCase(java.util.Locale.ROOT) + "/"
                        + r.name() + " " + BreakGlass.REASON + "=\"<reason>\" " + BreakGlass.UNTIL
                        + "=<RFC 3339 time at most "
                        + BreakGlass.humane(breakGlassMaxAge) + " from now>");
    }

    private JsonNode withoutAllocationKeys(JsonNode labels) {
        if (!labels.isObject()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        ObjectNode copy = ((ObjectNode) labels).deepCopy();
        copy.remove(allocationKeys);
        return copy;
    }

    private static long replicas(JsonNode object) {
        JsonNode spec = object.path("spec");
        if (spec.has("replicas")) {
            return spec.path("replicas").asLong(1);
        }
        if (spec.has("parallelism")) {
            return spec.path("parallelism").asLong(1);
        }
        return 1;
    }

    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> out = new HashMap<>();
        labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The equality terms of a label selector string such as "app=api,tenant=alpha". */
    static Map<String, String> selectorLabels(String selector) {
        Map<String, String> out = new HashMap<>();
        for (String term : selector.split(",")) {
            int eq = term.indexOf('=');
            if (eq > 0 && !term.contains("!=")) {
                out.put(
                        term.substring(0, eq).trim(),
                        term.substring(eq + 1).replace("=", "").trim());
            }
        }
        return out;
    }
}

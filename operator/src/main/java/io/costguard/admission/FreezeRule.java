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
  static final List<String> AUTOSCALERS = List.of("system:serviceaccount:kube-system:horizontal-pod-autoscaler", "system:kube-controller-manager");

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

  public Result check(AdmissionRequest r, FreezeRegistry freezes, Instant now) {
    if (!"CREATE".equals(r.operation()) && !"UPDATE".equals(r.operation())) {
      return Result.PASS;
    }
    if ("scale".equals(r.subResource())) {
      return scale(r, freezes);
    }
    Optional<Workloads.Kind> kind = workloads.find(r.group(), r.kind());
    if (kind.isEmpty() || r.object() == null || Workloads.controlled(r.object())) {
      return Result.PASS;
    }
    Map<String, String> labels = labels(Workloads.template(r.object(), kind.get()).path("metadata").path("labels"));
    var frozenBy = freezes.frozenBy(r.namespace(), labels);
    if (frozenBy.isEmpty() && r.oldObject() != null) {
      frozenBy = freezes.frozenBy(r.namespace(), labels(Workloads.template(r.oldObject(), kind.get()).path("metadata").path("labels")));
    }
    if (frozenBy.isEmpty()) {
      return Result.PASS;
    }
    String change = change(r, kind.get());
    if (change == null) {
      return new Result(true, null, null, null, true);
    }
    String message = r.describe() + ": rollouts are frozen by " + frozenBy.get().getValue().reason() + "; " + change;
    BreakGlass.Status glass = BreakGlass.of(r.object(), now, breakGlassMaxAge);
    if (glass.valid()) {
      return new Result(true, null, "break-glass '" + glass.reason() + "' let this through: " + message, glass.reason(), true);
    }
    if (glass.present()) {
      return new Result(false, message + ". The break-glass was refused: " + glass.problem(), null, null, true);
    }
    return new Result(false, message + ". Fix: wait until the freeze lifts (the budget is raised, spend falls below its Freeze "
        + "threshold, or the period ends), or for an emergency set " + BreakGlass.REASON + ": \"<reason>\" and "
        + BreakGlass.UNTIL + ": <RFC 3339 time at most " + BreakGlass.humane(breakGlassMaxAge) + " from now>", null, null, true);
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
        || !withoutAllocationKeys(before.path("metadata").path("labels")).equals(withoutAllocationKeys(after.path("metadata").path("labels")))
        || (!pod && !before.path("metadata").path("annotations").equals(after.path("metadata").path("annotations")))) {
      return "the pod template changes (only scale-down and allocation-label fixes pass)";
    }
    long was = replicas(r.oldObject());
    long now = replicas(r.object());
    if (now > was) {
      return "replicas rise from " + was + " to " + now;
    }
    return null;
  }

  private Result scale(AdmissionRequest r, FreezeRegistry freezes) {
    if (r.object() == null || r.oldObject() == null) {
      return Result.PASS;
    }
    long was = r.oldObject().path("spec").path("replicas").asLong(0);
    long now = r.object().path("spec").path("replicas").asLong(0);
    if (now <= was) {
      return Result.PASS;
    }
    Map<String, String> labels = selectorLabels(r.object().path("status").path("selector").asText(""));
    var frozenBy = freezes.frozenBy(r.namespace(), labels);
    if (frozenBy.isEmpty()) {
      return Result.PASS;
    }
    if (AUTOSCALERS.contains(r.user())) {
      // never block autoscaling under load
      return new Result(true, null, null, null, true);
    }
    return new Result(false, r.resource() + "/" + r.name() + " in " + r.namespace() + ": rollouts are frozen by "
        + frozenBy.get().getValue().reason() + "; replicas rise from " + was + " to " + now
        + " through /scale. Fix: scale-ups by the horizontal pod autoscaler pass; otherwise wait until the freeze lifts", null, null, true);
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
        out.put(term.substring(0, eq).trim(), term.substring(eq + 1).replace("=", "").trim());
      }
    }
    return out;
  }

}

package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kinds that create pods, matched by group and kind (any version), and where their pod template is. */
public final class Workloads {
    /** A checked kind: {@code templatePath} is a JSON pointer to the pod template ("" for a bare Pod). */
    public record Kind(String group, String kind, String templatePath) {}

    public static final List<Kind> DEFAULT = from(io.costguard.config.ConfigLoader.DEFAULT_WORKLOAD_KINDS);

    private final List<Kind> kinds;

    public Workloads(List<Kind> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    public static List<Kind> from(List<io.costguard.config.OperatorConfig.WorkloadKind> kinds) {
        return kinds.stream()
                .map(k -> new Kind(k.group(), k.kind(), k.templatePath()))
                .toList();
    }

    public List<Kind> kinds() {
        return kinds;
    }

    public Optional<Kind> find(String group, String kind) {
        return kinds.stream()
                .filter(k ->
                        k.group().equals(group == null ? "" : group) && k.kind().equals(kind))
                .findFirst();
    }

    /** The kinds with a {@code /scale} subresource, by their resource (plural) name. */
    private static final Map<String, Kind> SCALABLE = Map.of(
            "deployments", new Kind("apps", "Deployment", ""),
            "statefulsets", new Kind("apps", "StatefulSet", ""),
            "replicasets", new Kind("apps", "ReplicaSet", ""),
            "rollouts", new Kind("argoproj.io", "Rollout", ""));

    /**
     * The checked kind a {@code /scale} request is for, from the request's resource ("deployments") and its group
     * ("apps"; "" matches any, for reviews that do not say); empty for kinds that are not checked or cannot scale.
     */
    public Optional<Kind> scaled(String group, String resource) {
        Kind s = SCALABLE.get(resource);
        if (s == null || !(group == null || group.isEmpty() || group.equals(s.group()))) {
            return Optional.empty();
        }
        return find(s.group(), s.kind());
    }

    /** The kind (group and kind) whose {@code /scale} a resource name stands for: Deployment for "deployments". */
    public static Optional<Kind> scalableKind(String resource) {
        return Optional.ofNullable(SCALABLE.get(resource));
    }

    /** The checked kinds that have a {@code /scale} subresource. */
    public List<Kind> scalable() {
        return kinds.stream()
                .filter(k -> SCALABLE.values().stream()
                        .anyMatch(s -> s.group().equals(k.group()) && s.kind().equals(k.kind())))
                .toList();
    }

    /** The resource (plural) name of a kind, as the API serves it: "deployments" for Deployment. */
    public static String plural(Kind kind) {
        return kind.kind().toLowerCase(java.util.Locale.ROOT) + "s";
    }

    /** Owned by a controller ({@code controller: true}): its owner was checked, and self-healing must go on. */
    public static boolean controlled(JsonNode object) {
        for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** The group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
    public static String group(String apiVersion) {
        if (apiVersion == null) {
            return "";
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    public static JsonNode template(JsonNode object, Kind kind) {
        return kind.templatePath().isEmpty() ? object : object.at(kind.templatePath());
    }
}

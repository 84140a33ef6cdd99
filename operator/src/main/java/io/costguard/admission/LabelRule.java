package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The required-labels rule (DESIGN.md sections 5 and 7): workloads that create pods carry every allocation key
 * on their metadata and their pod template, with DNS-label values (or a configured pattern per key).
 * Pure: the caller supplies the namespace's labels.
 */
public final class LabelRule {
    public static final String EXEMPT_LABEL = "costguard.io/exempt";

    /** Enforce denies, Warn admits with a warning, Audit admits and only counts. */
    public enum Mode {
        Enforce,
        Warn,
        Audit
    }

    /** Settings of the rule. */
    public record Settings(
            List<String> keys,
            Map<String, Pattern> patterns,
            Mode mode,
            boolean namespaceDefaults,
            List<String> exemptNamespaces) {
        public Settings {
            keys = List.copyOf(keys);
            patterns = Map.copyOf(patterns);
            exemptNamespaces = List.copyOf(exemptNamespaces);
        }
    }

    /** One object to judge; {@code oldObject} is null except on UPDATE. */
    public record Review(
            String operation,
            String group,
            String kind,
            String namespace,
            JsonNode object,
            JsonNode oldObject,
            Map<String, String> namespaceLabels) {}

    /** The outcome: allowed or not, the message of a denial, warnings, and whether it broke the rule at all. */
    public record Decision(boolean allowed, String message, List<String> warnings, boolean violation) {
        static Decision allow() {
            return new Decision(true, null, List.of(), false);
        }
    }

    private final Settings settings;
    private final Workloads workloads;

    public LabelRule(Settings settings, Workloads workloads) {
        this.settings = settings;
        this.workloads = workloads;
    }

    public Mode mode() {
        return settings.mode();
    }

    public Decision check(Review r) {
        var kind = workloads.find(r.group(), r.kind());
        if (kind.isEmpty() || "DELETE".equals(r.operation()) || r.object() == null) {
            return Decision.allow();
        }
        if (settings.exemptNamespaces().contains(r.namespace())
                || "true".equals(r.namespaceLabels().get(EXEMPT_LABEL))
                || Workloads.controlled(r.object())) {
            return Decision.allow();
        }
        List<String> problems = problems(r.object(), kind.get(), r.namespaceLabels());
        List<String> warnings = new ArrayList<>();
        if ("CronJob".equals(r.kind())
                && !r.object().at("/spec/jobTemplate/metadata/labels").isObject()) {
            warnings.add(
                    "spec.jobTemplate.metadata.labels is missing: the Jobs this CronJob creates carry no allocation labels");
        }
        if (problems.isEmpty()) {
            return new Decision(true, null, warnings, false);
        }
        String message = r.kind() + " " + name(r.object()) + " lacks cost-allocation labels: "
                + String.join("; ", problems) + ". Fix: set " + example() + " on metadata.labels"
                + (kind.get().templatePath().isEmpty() ? "" : " and on the pod template's metadata.labels");
        if ("UPDATE".equals(r.operation())
                && r.oldObject() != null
                && !problems(r.oldObject(), kind.get(), r.namespaceLabels()).isEmpty()
                && !breaksWhatWasRight(r, kind.get())) {
            // an object that was already unlabelled may still be updated, so an incident fix is never blocked
            warnings.add(message);
            return new Decision(true, null, warnings, true);
        }
        return switch (settings.mode()) {
            case Enforce -> new Decision(false, message, warnings, true);
            case Warn -> {
                warnings.add(message);
                yield new Decision(true, null, warnings, true);
            }
            case Audit -> new Decision(true, null, warnings, true);
        };
    }

    /**
     * What a CREATE of this object would be told, whatever the mode: empty for a kind that is not checked, an exempt
     * namespace, a controller-owned object, or a well-labelled one.
     */
    public List<String> violations(
            String group, String kind, String namespace, JsonNode object, Map<String, String> namespaceLabels) {
        var k = workloads.find(group, kind);
        if (k.isEmpty()
                || settings.exemptNamespaces().contains(namespace)
                || "true".equals(namespaceLabels.get(EXEMPT_LABEL))
                || Workloads.controlled(object)) {
            return List.of();
        }
        return problems(object, k.get(), namespaceLabels);
    }

    /** Every missing or bad key, on metadata and on the pod template. */
    List<String> problems(JsonNode object, Workloads.Kind kind, Map<String, String> namespaceLabels) {
        List<String> out = new ArrayList<>();
        JsonNode template = Workloads.template(object, kind);
        Map<String, JsonNode> places = new LinkedHashMap<>();
        places.put("metadata.labels", object.at("/metadata/labels"));
        if (!kind.templatePath().isEmpty()) {
            places.put(
                    kind.templatePath().substring(1).replace('/', '.') + ".metadata.labels",
                    template.at("/metadata/labels"));
        }
        for (Map.Entry<String, JsonNode> place : places.entrySet()) {
            for (String key : settings.keys()) {
                JsonNode v = place.getValue().path(key);
                if (v.isMissingNode() || v.isNull()) {
                    if (!(settings.namespaceDefaults() && namespaceLabels.containsKey(key))) {
                        out.add(place.getKey() + "." + key + " is missing");
                    }
                } else if (!v.isTextual()) {
                    out.add(place.getKey() + "." + key + " is " + io.costguard.api.SpecFields.cut(v.toString())
                            + ", not a string: quote it");
                } else if (!valid(key, v.asText())) {
                    out.add(place.getKey() + "." + key + " " + io.costguard.api.SpecFields.quote(v.asText())
                            + " is not a valid value ("
                            + (settings.patterns().containsKey(key)
                                    ? "pattern " + settings.patterns().get(key)
                                    : "lower-case DNS label, at most 63 characters")
                            + ")");
                }
            }
        }
        return out;
    }

    private boolean breaksWhatWasRight(Review r, Workloads.Kind kind) {
        List<String> before = problems(r.oldObject(), kind, r.namespaceLabels());
        return problems(r.object(), kind, r.namespaceLabels()).stream().anyMatch(p -> !before.contains(p));
    }

    private boolean valid(String key, String value) {
        return io.costguard.cost.AllocationKey.admitted(
                value, settings.patterns().get(key));
    }

    private static String name(JsonNode object) {
        String n = object.path("metadata").path("name").asText("");
        return n.isEmpty() ? "(unnamed)" : n;
    }

    private String example() {
        StringBuilder b = new StringBuilder();
        for (String key : settings.keys()) {
            b.append(b.length() == 0 ? "" : ", ").append(key).append(": <value>");
        }
        return b.toString();
    }
}

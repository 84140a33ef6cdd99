package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The label rule over what already runs, so switching to Enforce is not a leap in the dark: every workload that
 * would be denied on CREATE today, with its problems. Pure; the caller lists the objects.
 */
public final class WorkloadAudit {
    /** One workload that breaks the rule. */
    public record Finding(String namespace, String kind, String name, List<String> problems) {}

    private final LabelRule rule;

    public WorkloadAudit(LabelRule rule) {
        this.rule = rule;
    }

    /** {@code objects} carry apiVersion and kind (as a list from the API does after {@code kind} is filled in). */
    public List<Finding> audit(List<JsonNode> objects, Function<String, Map<String, String>> namespaceLabels) {
        List<Finding> out = new ArrayList<>();
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            String group = Workloads.group(o.path("apiVersion").asText());
            String ns = o.path("metadata").path("namespace").asText("");
            List<String> problems = rule.violations(group, kind, ns, o, namespaceLabels.apply(ns));
            if (!problems.isEmpty()) {
                out.add(new Finding(ns, kind, o.path("metadata").path("name").asText(), problems));
            }
        }
        return out;
    }

    public static Map<String, Integer> countByNamespace(List<Finding> findings) {
        Map<String, Integer> out = new TreeMap<>();
        findings.forEach(f -> out.merge(f.namespace(), 1, Integer::sum));
        return out;
    }
}

package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.costguard.freeze.FreezeRegistry;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

/** A cluster picture held in memory for tests: namespace labels, frozen scopes, budgets, as a fixture states them. */
final class StaticCluster implements ClusterState {
    final Map<String, Map<String, String>> labels = new HashMap<>();
    final FreezeRegistry freezes = new FreezeRegistry();
    final BudgetIndex budgets = new BudgetIndex();
    /** "Deployment team-a/api" -> what the webhook's cache holds of it. */
    final Map<String, ScaleTarget> workloads = new HashMap<>();
    /** Where scaled workloads come from: the fixture's list unless a test sets a real cache. */
    ScaleTarget.Lookup targets = (kind, namespace, name) -> workloads.getOrDefault(
            kind.kind() + " " + namespace + "/" + name,
            new ScaleTarget.Unknown(kind.kind() + " " + namespace + "/" + name + " is not in the fixture's workloads"));

    static StaticCluster from(JsonNode fixture) {
        StaticCluster c = new StaticCluster();
        String ns = fixture.path("request").path("namespace").asText();
        c.labels.put(ns, strings(fixture.path("namespaceLabels")));
        for (JsonNode f : fixture.path("frozen")) {
            HashSet<String> namespaces = new HashSet<>();
            f.path("namespaces").forEach(n -> namespaces.add(n.asText()));
            c.freezes.freeze(
                    f.path("owner").asText(),
                    new FreezeRegistry.FrozenScope(
                            namespaces,
                            strings(f.path("selector")),
                            f.path("reason").asText(),
                            f.path("release").asText(io.costguard.budget.BudgetFreeze.RELEASE)));
        }
        for (JsonNode b : fixture.path("budgets")) {
            HashSet<String> namespaces = new HashSet<>();
            b.path("namespaces").forEach(n -> namespaces.add(n.asText()));
            c.budgets.put(new BudgetIndex.Budget(
                    b.path("id").asText(),
                    namespaces,
                    strings(b.path("selector")),
                    new BigDecimal(b.path("amount").asText()),
                    b.path("currency").asText(),
                    b.path("usedPercent").isInt() ? b.path("usedPercent").asInt() : null,
                    b.path("freezePercent").isInt() ? b.path("freezePercent").asInt() : null));
        }
        for (JsonNode w : fixture.path("workloads")) {
            c.workloads.put(
                    w.path("kind").asText() + " " + w.path("namespace").asText() + "/"
                            + w.path("name").asText(),
                    new ScaleTarget.Known(
                            strings(w.path("podLabels")),
                            w.path("controlled").asBoolean(false),
                            w.path("annotations").path(BreakGlass.REASON).asText(""),
                            w.path("annotations").path(BreakGlass.UNTIL).asText("")));
        }
        return c;
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return labels.getOrDefault(namespace, Map.of());
    }

    @Override
    public FreezeRegistry freezes() {
        return freezes;
    }

    @Override
    public BudgetIndex budgets() {
        return budgets;
    }

    @Override
    public ScaleTarget scaleTarget(Workloads.Kind kind, String namespace, String name) {
        return targets.find(kind, namespace, name);
    }
}

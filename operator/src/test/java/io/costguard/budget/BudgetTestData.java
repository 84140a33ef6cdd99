package io.costguard.budget;

import io.costguard.anomaly.AnomalyDetector;
import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetScope;
import io.costguard.api.BudgetThreshold;
import io.costguard.api.CostBudgetSpec;
import io.costguard.cost.DataStatus;
import io.costguard.cost.Scope;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Hand-built specs, plans, windows and data states for the budget decision tests. */
final class BudgetTestData {
    static final List<String> KEYS = List.of("tenant", "feature", "team", "environment");
    static final String NS = "team-alpha";
    static final Instant NOV_23 = Instant.parse("2026-11-23T06:00:00Z");
    static final Period.Window NOVEMBER = Period.Monthly.windowAt(NOV_23, ZoneOffset.UTC);
    static final Period.Window OCTOBER = Period.Monthly.windowAt(Instant.parse("2026-10-15T00:00:00Z"), ZoneOffset.UTC);

    private BudgetTestData() {}

    // ---- specs -----------------------------------------------------------------------------------------------

    static CostBudgetSpec spec(String amount) {
        CostBudgetSpec s = new CostBudgetSpec();
        s.amount = amount;
        return s;
    }

    static BudgetThreshold threshold(Integer percent, BudgetAction... actions) {
        BudgetThreshold t = new BudgetThreshold();
        t.percent = percent;
        t.actions = actions.length == 0 ? null : new ArrayList<>(Arrays.asList(actions));
        return t;
    }

    static BudgetScope scope(List<String> namespaces, Map<String, String> selector) {
        BudgetScope s = new BudgetScope();
        s.namespaces = namespaces;
        s.selector = selector == null ? null : new LinkedHashMap<>(selector);
        return s;
    }

    static BudgetSpecValidator validator() {
        return new BudgetSpecValidator(KEYS, java.util.Map.of(), "USD");
    }

    // ---- plans -----------------------------------------------------------------------------------------------

    static BudgetPlan.Threshold notifyAt(int percent) {
        return new BudgetPlan.Threshold(percent, List.of("Notify"), false);
    }

    /** The flag ai-search in the flagd document {@code flags.json} of the ConfigMap flagd-config, throttled to "off". */
    static io.costguard.api.FeatureFlagRef flagdConfigMapFlag() {
        io.costguard.api.FeatureFlagRef cm = new io.costguard.api.FeatureFlagRef();
        cm.kind = "ConfigMap";
        cm.name = "flagd-config";
        cm.key = "flags.json";
        cm.flagKey = "ai-search";
        cm.variant = "off";
        return cm;
    }

    /** The result of the {@code type} action recorded at {@code percent} in a budget's status, or null. */
    /** Sets a stored budget's spec.amount (re-read and retried on a conflict with the operator's writes). */
    static void setAmount(
            io.fabric8.kubernetes.client.KubernetesClient client, String namespace, String name, String amount) {
        io.costguard.kube.Conflicts.retry(() -> client.resources(io.costguard.api.CostBudget.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(b -> {
                    b.getSpec().amount = amount;
                    return b;
                }));
    }

    static String actionResult(io.costguard.api.CostBudget b, int percent, String type) {
        if (b == null || b.getStatus() == null || b.getStatus().crossedThresholds == null) {
            return null;
        }
        return b.getStatus().crossedThresholds.stream()
                .filter(c -> c.percent == percent)
                .findFirst()
                .flatMap(
                        c -> c.actions.stream().filter(a -> type.equals(a.type)).findFirst())
                .map(a -> a.result)
                .orElse(null);
    }

    /** The default thresholds, as the validator builds them. */
    static List<BudgetPlan.Threshold> defaultThresholds() {
        return List.of(
                new BudgetPlan.Threshold(70, List.of("Notify"), false),
                new BudgetPlan.Threshold(85, List.of("Notify", "Throttle"), false),
                new BudgetPlan.Threshold(100, List.of("Notify", "Throttle", "Freeze"), false));
    }

    static BudgetPlan plan(String amount) {
        return plan(amount, defaultThresholds(), false);
    }

    /** A monthly USD plan of tenant alpha in {@link #NS}, the rest as a spec that leaves it out gets it. */
    static BudgetPlan plan(String amount, List<BudgetPlan.Threshold> thresholds, boolean dryRun) {
        return new BudgetPlan(
                new BigDecimal(amount),
                "USD",
                Period.Monthly,
                ZoneId.of("UTC"),
                thresholds,
                new Scope(Set.of(NS), Map.of("tenant", "alpha")),
                dryRun,
                100,
                AnomalyDetector.Limits.DEFAULT,
                null,
                BudgetPlan.WarnOn.Forecast,
                false);
    }

    // ---- data states -----------------------------------------------------------------------------------------

    static DataStatus fresh(Instant dataThrough) {
        return new DataStatus(true, Optional.empty(), "cost data through " + dataThrough, Optional.of(dataThrough), 7);
    }

    static DataStatus unavailable(FailureKind kind, String message) {
        return new DataStatus(false, Optional.of(kind), message, Optional.empty(), 7);
    }
}

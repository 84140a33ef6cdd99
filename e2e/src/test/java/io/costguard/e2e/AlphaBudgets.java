package io.costguard.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.BudgetScope;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.FeatureFlagRef;
import io.costguard.api.ThrottleSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** Tenant alpha's budgets in team-alpha and the OpenFeature flag they throttle (alpha-flags, ai-search: on/off). */
final class AlphaBudgets {
    static final String NS = "team-alpha";
    static final String FLAG_API = "core.openfeature.dev/v1beta1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlphaBudgets() {}

    /** Creates the FeatureFlag alpha-flags with ai-search at "on". */
    static void createFlag(KubernetesClient client) {
        GenericKubernetesResource ff = new GenericKubernetesResource();
        ff.setApiVersion(FLAG_API);
        ff.setKind("FeatureFlag");
        ff.setMetadata(new ObjectMetaBuilder()
                .withName("alpha-flags")
                .withNamespace(NS)
                .build());
        ff.setAdditionalProperty(
                "spec",
                Map.of(
                        "flagSpec",
                        Map.of(
                                "flags",
                                Map.of(
                                        "ai-search",
                                        Map.of(
                                                "state",
                                                "ENABLED",
                                                "variants",
                                                Map.of("on", true, "off", false),
                                                "defaultVariant",
                                                "on")))));
        client.genericKubernetesResources(FLAG_API, "FeatureFlag")
                .inNamespace(NS)
                .resource(ff)
                .create();
    }

    /** The default variant of ai-search in this FeatureFlag. */
    static String variant(GenericKubernetesResource flag) {
        return JSON.valueToTree(flag.getAdditionalProperties())
                .at("/spec/flagSpec/flags/ai-search/defaultVariant")
                .asText();
    }

    /** A budget over tenant alpha with the default thresholds, throttling alpha-flags' ai-search to "off" when asked. */
    static CostBudget budget(String name, String amount, boolean throttle) {
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        b.setSpec(new CostBudgetSpec());
        b.getSpec().amount = amount;
        b.getSpec().scope = new BudgetScope();
        b.getSpec().scope.selector = Map.of("tenant", "alpha");
        if (throttle) {
            b.getSpec().throttle = new ThrottleSpec();
            FeatureFlagRef ref = new FeatureFlagRef();
            ref.kind = "FeatureFlag";
            ref.name = "alpha-flags";
            ref.flagKey = "ai-search";
            ref.variant = "off";
            b.getSpec().throttle.featureFlags = List.of(ref);
        }
        return b;
    }
}

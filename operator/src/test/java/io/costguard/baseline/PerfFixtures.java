package io.costguard.baseline;

import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;

/** PerfBaseline specs and signals for tests, written as YAML the way users write them. */
final class PerfFixtures {
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    private PerfFixtures() {}

    static PerfBaselineSpec spec(String specYaml) {
        String doc =
                "apiVersion: costguard.io/v1alpha1\nkind: PerfBaseline\nmetadata: {name: api, namespace: team-a}\nspec:\n"
                        + specYaml.indent(2);
        return YAML.unmarshal(doc, PerfBaseline.class).getSpec();
    }

    static PerfBaseline resource(String name, String namespace, String specYaml) {
        String doc = "apiVersion: costguard.io/v1alpha1\nkind: PerfBaseline\nmetadata: {name: " + name + ", namespace: "
                + namespace + "}\nspec:\n" + specYaml.indent(2);
        return YAML.unmarshal(doc, PerfBaseline.class);
    }

    static PerfPlan plan(String specYaml) {
        PerfSpecValidator.Result r = new PerfSpecValidator().validate(spec(specYaml));
        if (!r.valid()) {
            throw new IllegalArgumentException(r.problems().toString());
        }
        return r.plan();
    }

    static Signals measured(Instant at, double latency, double errors, double rps, Double costPerHour) {
        return new Signals(at, latency, errors, rps, costPerHour, null, null, null, LatencyHistory.now(at, latency));
    }
}

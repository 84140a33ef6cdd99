package io.costguard.bench;

import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

/** BenchRun specs from YAML, as users write them. */
final class BenchFixtures {
    private BenchFixtures() {}

    static final String EXPENSE = """
      target: {url: "http://expense-api:8080/expense", workload: {kind: Deployment, name: expense-api}}
      load:
        script: {configMapRef: {name: k6-expense, key: script.js}}
        executor: constant-arrival-rate
        rate: 100
        duration: 30m
        warmup: 5m
      thresholds: {latencyP95: 300ms, errorRatio: "0.002", maxCostPer1kRequests: "0.12"}
      baselineRef: expense-api
      """;

    static BenchRunSpec spec(String yaml) {
        return Serialization.unmarshal(yaml, BenchRunSpec.class);
    }

    static BenchPlan plan(String yaml) {
        BenchSpecValidator.Result r = new BenchSpecValidator(
                        java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE))
                .validate(spec(yaml));
        if (!r.valid()) {
            throw new AssertionError(r.problems().toString());
        }
        return r.plan();
    }

    static BenchRun run(String namespace, String name, String specYaml) {
        BenchRun run = new BenchRun();
        run.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(name)
                .build());
        run.setSpec(spec(specYaml));
        return run;
    }
}

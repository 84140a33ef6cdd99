package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.BenchRun;
import io.costguard.api.CostBudget;
import io.costguard.api.PerfBaseline;
import io.costguard.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples users copy (and the demo applies) are valid. */
class ExamplesTest {
    static List<HasMetadata> examples() throws Exception {
        Path dir = Path.of(System.getProperty("costguard.crds.dir", "../crds")).resolveSibling("examples");
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String yaml = Files.readString(f);
                String kind = ((java.util.Map<?, ?>) Serialization.unmarshal(yaml, java.util.Map.class))
                        .get("kind")
                        .toString();
                out.add(
                        switch (kind) {
                            case "CostBudget" -> Serialization.unmarshal(yaml, CostBudget.class);
                            case "PerfBaseline" -> Serialization.unmarshal(yaml, PerfBaseline.class);
                            case "BenchRun" -> Serialization.unmarshal(yaml, BenchRun.class);
                            default -> throw new AssertionError(f + ": unexpected kind " + kind);
                        });
            }
        }
        return out;
    }

    @Test
    void everyExampleBudgetIsValid() throws Exception {
        BudgetSpecValidator validator =
                new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, java.util.Map.of(), "USD");
        List<HasMetadata> all = examples();
        List<CostBudget> budgets = all.stream()
                .filter(CostBudget.class::isInstance)
                .map(CostBudget.class::cast)
                .toList();
        assertThat(budgets).hasSizeGreaterThanOrEqualTo(4);
        for (CostBudget b : budgets) {
            boolean trusted = "costguard-system".equals(b.getMetadata().getNamespace());
            assertThat(validator
                            .validate(b.getSpec(), b.getMetadata().getNamespace(), trusted)
                            .problems())
                    .as(b.getMetadata().getName())
                    .isEmpty();
        }
        assertThat(all).anyMatch(PerfBaseline.class::isInstance).anyMatch(BenchRun.class::isInstance);
    }

    /** Each BenchRun example is valid, names its script as examples/k6/<x>.js for ConfigMap k6-<x>, and the script parses. */
    @Test
    void everyExampleBenchRunIsValidAndItsScriptParses() throws Exception {
        Path k6 = Path.of(System.getProperty("costguard.crds.dir", "../crds"))
                .resolveSibling("examples")
                .resolve("k6");
        List<BenchRun> runs = examples().stream()
                .filter(BenchRun.class::isInstance)
                .map(BenchRun.class::cast)
                .toList();
        assertThat(runs).hasSizeGreaterThanOrEqualTo(4);
        for (BenchRun run : runs) {
            var result = new io.costguard.bench.BenchSpecValidator(
                            java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE))
                    .validate(run.getSpec());
            assertThat(result.problems()).as(run.getMetadata().getName()).isEmpty();
            var plan = result.plan();
            // the seed's acceptance and cost envelope: error ratio under 0.2 %, at most $0.12 per 1000 at Pilot tier
            assertThat(plan.thresholds().errorRatio())
                    .as(run.getMetadata().getName())
                    .isEqualTo(0.002);
            assertThat(plan.thresholds().costPer1k())
                    .as(run.getMetadata().getName())
                    .isEqualTo(0.12);
            String configMap = plan.script().configMap();
            assertThat(configMap).as(run.getMetadata().getName()).startsWith("k6-");
            Path script = k6.resolve(configMap.substring(3) + ".js");
            assertThat(script).as(run.getMetadata().getName()).exists();
            String js = Files.readString(script);
            assertThat(js)
                    .contains("export default function")
                    .contains("__ENV.TARGET_URL")
                    .doesNotContain("handleSummary");
            Path module = Files.createTempFile("example", ".mjs");
            Files.writeString(module, js);
            Process node = new ProcessBuilder("node", "--check", module.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(node.getInputStream().readAllBytes());
            assertThat(node.waitFor()).as(script + ": " + output).isZero();
            Files.delete(module);
        }
    }
}

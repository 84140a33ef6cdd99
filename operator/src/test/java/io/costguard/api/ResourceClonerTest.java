package io.costguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The copy JOSDK makes before each reconcile is the same object as a copy through JSON text, and independent. */
class ResourceClonerTest {
    static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
    static final Cloner CLONER = TolerantReading.cloner(FABRIC8);

    static String fixture(String name) throws IOException {
        try (InputStream in = ResourceClonerTest.class.getResourceAsStream("/clone/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void sameAsThroughText(HasMetadata resource) {
        HasMetadata copy = CLONER.clone(resource);
        assertThat(copy).isNotSameAs(resource).isInstanceOf(resource.getClass());
        assertThat(FABRIC8.asJson(copy)).isEqualTo(FABRIC8.asJson(FABRIC8.clone(resource)));
        assertThat(FABRIC8.asJson(copy)).isEqualTo(FABRIC8.asJson(resource));
    }

    @Test
    void aPerfBaselineWithAFullStatusCopiesExactlyAndIndependently() throws IOException {
        PerfBaseline pb = FABRIC8.unmarshal(fixture("perfbaseline.yaml"), PerfBaseline.class);
        sameAsThroughText(pb);
        PerfBaseline copy = CLONER.clone(pb);
        copy.getStatus().conditions.get(0).setMessage("changed");
        copy.getStatus().recommendations.get(0).cpuRequest.recommended = "1";
        copy.getMetadata().getLabels().put("app", "other");
        copy.getSpec().workload.name = "other";
        assertThat(pb.getStatus().conditions.get(0).getMessage()).isEqualTo("measured");
        assertThat(pb.getStatus().recommendations.get(0).cpuRequest.recommended).isEqualTo("650m");
        assertThat(pb.getMetadata().getLabels()).containsEntry("app", "checkout");
        assertThat(pb.getSpec().workload.name).isEqualTo("checkout");
        assertThat(copy.getMetadata().getManagedFields()).hasSize(1);
    }

    @Property(tries = 200)
    void anyStatusFiguresAndLabelsCopyAsThroughText(
            @ForAll Map<@Size(max = 20) String, @Size(max = 40) String> labels,
            @ForAll Double changePercent,
            @ForAll Integer evaluations,
            @ForAll String message,
            @ForAll Long generation) {
        if (changePercent.isNaN() || changePercent.isInfinite()) {
            return; // not JSON: the API server never sends them
        }
        PerfBaseline pb = new PerfBaseline();
        pb.getMetadata().setName("pb");
        pb.getMetadata().setNamespace("ns");
        pb.getMetadata().setGeneration(generation);
        pb.getMetadata().setLabels(labels);
        pb.setSpec(new PerfBaselineSpec());
        pb.setStatus(new PerfBaselineStatus());
        PerfRegression r = new PerfRegression();
        r.metric = "latencyP95";
        r.changePercent = changePercent;
        r.evaluations = evaluations;
        pb.getStatus().pendingRegressions = List.of(r);
        pb.getStatus().freezeSelector = labels;
        pb.getStatus().conditions =
                new ArrayList<>(List.of(new Condition("2026-12-05T10:00:00Z", message, generation, "R", "True", "T")));
        sameAsThroughText(pb);
    }

    @Test
    void aCostBudgetAndABenchRunCopyAsThroughText() {
        CostBudget b = FABRIC8.unmarshal("""
            {"apiVersion": "costguard.io/v1", "kind": "CostBudget", "metadata": {"name": "b", "namespace": "a"},
             "spec": {"amount": "100.00", "period": "Monthly", "selector": {"tenant": "alpha"}},
             "status": {"state": "Warning", "spent": "72.00", "usedPercent": 72,
               "crossedThresholds": [{"percent": 70, "crossedAt": "2026-11-15T10:00:00Z",
                 "actions": [{"type": "Notify", "result": "Done", "at": "2026-11-15T10:00:00Z"}]}],
               "conditions": [{"type": "Ready", "status": "True", "reason": "Evaluated", "message": "m",
                 "lastTransitionTime": "2026-11-15T10:00:00Z"}]}}""", CostBudget.class);
        sameAsThroughText(b);
        BenchRun run = FABRIC8.unmarshal("""
            {"apiVersion": "costguard.io/v1", "kind": "BenchRun", "metadata": {"name": "r", "namespace": "a"},
             "spec": {"baselineRef": "checkout"},
             "status": {"phase": "Pending", "startTime": "2026-11-15T10:00:00Z"}}""", BenchRun.class);
        sameAsThroughText(run);
    }
}

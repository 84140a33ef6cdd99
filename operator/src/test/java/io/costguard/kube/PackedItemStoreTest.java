package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.CostBudget;
import io.costguard.api.PerfBaseline;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
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

/** The controllers' informer store gives back what it was given, as an object of its own each time. */
class PackedItemStoreTest {
    static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    static String fixture(String name) throws IOException {
        try (InputStream in = PackedItemStoreTest.class.getResourceAsStream("/clone/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    PackedItemStore<PerfBaseline> packedBaselines =
            new PackedItemStore<>(FABRIC8, PerfBaseline.class, PerfBaseline::new);
    CompactItemStore<PerfBaseline, ?> baselines = packedBaselines.store();
    PackedItemStore<CostBudget> packed = new PackedItemStore<>(FABRIC8, CostBudget.class, CostBudget::new);
    CompactItemStore<CostBudget, ?> budgets = packed.store();

    @Test
    void laterVersionsAndEveryCopyShareTheFirstVersionsNamespaceAndName() throws IOException {
        PerfBaseline first = FABRIC8.unmarshal(fixture("perfbaseline.yaml"), PerfBaseline.class);
        String key = baselines.getKey(first);
        baselines.put(key, first);
        // as the informer gets each version: parsed from its own watch event, so every string is a new copy
        PerfBaseline newer = FABRIC8.unmarshal(fixture("perfbaseline.yaml"), PerfBaseline.class);
        newer.getMetadata().setResourceVersion("99");
        baselines.put(baselines.getKey(newer), newer);
        // what the informer hands the controller after the store saw it
        assertThat(newer.getMetadata().getName()).isSameAs(first.getMetadata().getName());
        assertThat(newer.getMetadata().getNamespace())
                .isSameAs(first.getMetadata().getNamespace());
        PerfBaseline copy = baselines.get(key);
        assertThat(copy.getMetadata().getName()).isSameAs(first.getMetadata().getName());
        assertThat(copy.getMetadata().getResourceVersion()).isEqualTo("99");
        assertThat(packedBaselines
                        .identities()
                        .findFirst()
                        .orElseThrow()
                        .getMetadata()
                        .getNamespace())
                .isSameAs(first.getMetadata().getNamespace());

        PerfBaseline neighbour = FABRIC8.unmarshal(fixture("perfbaseline.yaml"), PerfBaseline.class);
        neighbour.getMetadata().setName("neighbour");
        baselines.put(baselines.getKey(neighbour), neighbour);
        assertThat(neighbour.getMetadata().getNamespace())
                .isSameAs(first.getMetadata().getNamespace());
        assertThat(baselines.keySet()).containsExactlyInAnyOrder(key, key.replaceAll("/.*", "/neighbour"));
    }

    @Test
    void aPerfBaselineWithAFullStatusComesBackTheSameAndIndependent() throws IOException {
        PerfBaseline pb = FABRIC8.unmarshal(fixture("perfbaseline.yaml"), PerfBaseline.class);
        String key = baselines.getKey(pb);
        assertThat(baselines.put(key, pb)).isNull();

        PerfBaseline first = baselines.get(key);
        assertThat(first).isNotSameAs(pb);
        assertThat(FABRIC8.asJson(first)).isEqualTo(FABRIC8.asJson(pb));
        first.getStatus().conditions.get(0).setMessage("changed");
        first.getSpec().workload.name = "other";
        PerfBaseline second = baselines.get(key);
        assertThat(second.getStatus().conditions.get(0).getMessage()).isEqualTo("measured");
        assertThat(second.getSpec().workload.name).isEqualTo("checkout");
        assertThat(baselines.values()).hasSize(1);
        assertThat(baselines.keySet()).containsExactly(key);

        PerfBaseline newer = FABRIC8.clone(pb);
        newer.getMetadata().setResourceVersion("99");
        assertThat(FABRIC8.asJson(baselines.put(key, newer))).isEqualTo(FABRIC8.asJson(pb));
        assertThat(baselines.get(key).getMetadata().getResourceVersion()).isEqualTo("99");
        assertThat(baselines.remove(key).getMetadata().getResourceVersion()).isEqualTo("99");
        assertThat(baselines.get(key)).isNull();
        assertThat(baselines.size()).isZero();
    }

    @Test
    void identitiesCarryWhatACycleReadsWithoutTheRest() {
        CostBudget b = budget("{\"state\": \"Ok\", \"spent\": \"12.00\"}");
        b.getMetadata().setResourceVersion("7");
        b.getMetadata().setGeneration(3L);
        budgets.put(budgets.getKey(b), b);

        List<CostBudget> ids = packed.identities().toList();
        assertThat(ids).hasSize(1);
        CostBudget id = ids.get(0);
        assertThat(id.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(id.getMetadata().getName()).isEqualTo("b");
        assertThat(id.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(id.getMetadata().getGeneration()).isEqualTo(3L);
        assertThat(id.getSpec()).isNull();
        assertThat(id.getStatus()).isNull();
    }

    @Test
    void aBudgetWhoseSpecOrStatusCouldNotBeReadIsKeptWithItsProblem() {
        CostBudget b = budget("{\"state\": \"Ok\", \"spent\": [1]}");
        budgets.put(budgets.getKey(b), b);
        CostBudget back = budgets.get(budgets.getKey(b));
        // as JSON the unreadable status would come back as an empty, readable one
        assertThat(back.getStatus().unreadable().field()).isEqualTo("status.spent");
    }

    @Test
    void objectsOfAKindArePackedToAFractionOfTheirJsonAndComeBackExactly() throws IOException {
        PerfBaseline template = FABRIC8.unmarshal(fixture("perfbaseline.yaml"), PerfBaseline.class);
        List<String> json = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            PerfBaseline pb = FABRIC8.clone(template);
            pb.getMetadata().setName("checkout-" + i);
            pb.getMetadata().setNamespace("team-" + (i % 7));
            pb.getMetadata().setResourceVersion(String.valueOf(1000 + i * 37));
            pb.getMetadata()
                    .setUid(java.util
                            .UUID
                            .nameUUIDFromBytes(new byte[] {(byte) i, 1})
                            .toString());
            pb.getStatus().conditions.get(0).setMessage("p95 " + (200 + i) + " ms over " + (i % 5 + 1) + " windows");
            baselines.put(baselines.getKey(pb), pb);
            json.add(FABRIC8.asJson(pb));
        }
        for (int i = 0; i < 200; i++) {
            PerfBaseline back = baselines.get("team-" + (i % 7) + "/checkout-" + i);
            assertThat(FABRIC8.asJson(back)).isEqualTo(json.get(i));
        }
        long[] bytes = packedBaselines.packedAndJsonBytes();
        assertThat(bytes[1])
                .isEqualTo(json.stream()
                        .mapToLong(j -> j.getBytes(StandardCharsets.UTF_8).length)
                        .sum());
        assertThat(bytes[0]).isLessThan(bytes[1] / 4);
    }

    @Property(tries = 100)
    void anyLabelsAndMessagesComeBackAsGiven(
            @ForAll Map<@Size(max = 20) String, @Size(max = 40) String> labels,
            @ForAll String message,
            @ForAll Long generation) {
        CostBudget b = budget("{\"state\": \"Warning\", \"spent\": \"72.00\"}");
        b.getMetadata().setLabels(labels);
        b.getMetadata().setGeneration(generation);
        b.getStatus().conditions = new ArrayList<>(List.of(new io.fabric8.kubernetes.api.model.Condition(
                "2026-12-05T10:00:00Z", message, generation, "R", "True", "T")));
        budgets.put(budgets.getKey(b), b);
        assertThat(FABRIC8.asJson(budgets.get(budgets.getKey(b)))).isEqualTo(FABRIC8.asJson(b));
    }

    private static CostBudget budget(String status) {
        return FABRIC8.unmarshal(
                "{\"apiVersion\": \"costguard.io/v1\", \"kind\": \"CostBudget\", \"metadata\": {\"name\": \"b\","
                        + " \"namespace\": \"team-a\"}, \"spec\": {\"amount\": \"100.00\", \"period\": \"Monthly\"},"
                        + " \"status\": " + status + "}",
                CostBudget.class);
    }
}

package io.costguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A spec of the wrong shape is told in the user's words: the field path, what is there, what belongs there. */
class SpecReadingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"thresholds\": {\"percent\": 70}}|spec.thresholds|spec.thresholds: is an object, but a list belongs here; write a list (kubectl explain costbudget.spec.thresholds)",
                "{\"thresholds\": [[70]]}|spec.thresholds[0]|spec.thresholds[0]: is a list, but an object belongs here; write an object (kubectl explain costbudget.spec.thresholds)",
                "{\"thresholds\": [{\"percent\": \"seventy\"}]}|spec.thresholds[0].percent|spec.thresholds[0].percent: is the string 'seventy', but a whole number belongs here",
                "{\"thresholds\": [{\"percent\": 70, \"actions\": [\"Nuke\"]}]}|spec.thresholds[0].actions[0]|belongs here; write one of Notify, Throttle, Freeze",
                "{\"scope\": {\"selector\": [\"tenant\"]}}|spec.scope.selector|spec.scope.selector: is a list, but an object (key: value pairs) belongs here",
                "{\"scope\": {\"selector\": {\"tenant\": {\"a\": 1}}}}|spec.scope.selector.tenant|is an object, but a string belongs here",
                "{\"amount\": \"1\", \"costCenter\": \"cc-7\"}|spec.costCenter|spec.costCenter: is not a field this costguard version knows (misspelt, or written for a newer version); remove it, or use one of amount, anomaly,",
                "[1, 2]|spec|spec: is a list, but an object belongs here",
            })
    void aWrongTypeNamesThePathWhatIsThereAndWhatBelongs(String spec, String field, String message) throws Exception {
        SpecReading.Outcome<CostBudgetSpec> read =
                SpecReading.read(JSON, JSON.readTree(spec), CostBudgetSpec.class, "spec", "CostBudget");
        assertThat(read.value()).isNull();
        assertThat(read.problem().field()).isEqualTo(field);
        assertThat(read.problem().toString())
                .contains(message)
                .doesNotContain("java.", "LinkedHashMap", "ArrayList", "Cannot deserialize");
    }

    @Test
    void aLongWrongValueIsCut() throws Exception {
        SpecReading.Outcome<PerfBaselineSpec> read = SpecReading.read(
                JSON,
                JSON.readTree("{\"regression\": {\"consecutiveEvaluations\": \"" + "9".repeat(10_000) + "x\"}}"),
                PerfBaselineSpec.class,
                "spec",
                "PerfBaseline");
        assertThat(read.problem().message())
                .contains("'" + "9".repeat(120) + "…(10001 characters)'")
                .hasSizeLessThan(300);
    }

    @Test
    void theInformersReadAnUnreadableSpecAsAnEmptyOneThatSaysWhyAndJosdksCopyKeepsIt() {
        KubernetesSerialization fabric8 = new KubernetesSerialization();
        CostBudget b = fabric8.unmarshal(
                "{\"apiVersion\": \"costguard.io/v1alpha1\", \"kind\": \"CostBudget\", \"metadata\": {\"name\": \"b\","
                        + " \"namespace\": \"team-a\"}, \"spec\": {\"amount\": \"1.00\", \"thresholds\": {\"percent\": 70}},"
                        + " \"status\": {\"state\": \"Ok\", \"spent\": [1]}}",
                CostBudget.class);
        assertThat(b.getSpec().unreadable())
                .hasToString(
                        "spec.thresholds: is an object, but a list belongs here; write a list (kubectl explain costbudget.spec.thresholds)");
        assertThat(b.getSpec().amount).isNull();
        assertThat(b.getStatus().unreadable().field()).isEqualTo("status.spent");
        assertThat(new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, java.util.Map.of(), "USD")
                        .validate(b.getSpec(), "team-a", false)
                        .problems())
                .containsExactly(b.getSpec().unreadable());

        CostBudget copy = TolerantReading.cloner(fabric8).clone(b);
        assertThat(copy).isNotSameAs(b);
        assertThat(copy.getSpec().unreadable()).isEqualTo(b.getSpec().unreadable());
        assertThat(copy.getStatus().unreadable()).isEqualTo(b.getStatus().unreadable());
        // JSON alone would "repair" it into an empty spec
        assertThat(fabric8.clone(b).getSpec().unreadable()).isNull();

        CostBudget healthy = fabric8.unmarshal(
                "{\"apiVersion\": \"costguard.io/v1alpha1\", \"kind\": \"CostBudget\", \"metadata\": {\"name\": \"h\"},"
                        + " \"spec\": {\"amount\": \"1.00\"}, \"status\": {\"state\": \"Ok\", \"fieldOfANewerVersion\": 1}}",
                CostBudget.class);
        assertThat(healthy.getSpec().unreadable()).isNull();
        assertThat(healthy.getSpec().amount).isEqualTo("1.00");
        assertThat(healthy.getStatus().unreadable()).isNull();
        assertThat(healthy.getStatus().state).isEqualTo("Ok");
    }
}

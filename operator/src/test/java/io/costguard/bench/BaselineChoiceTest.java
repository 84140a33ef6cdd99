package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineSpec;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.RecordedBaseline;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BaselineChoiceTest {
    static final BenchPlan PLAN = BenchFixtures.plan(BenchFixtures.EXPENSE);

    static PerfBaseline pb(String specYaml, RecordedBaseline recorded) {
        PerfBaseline pb = new PerfBaseline();
        pb.setSpec(Serialization.unmarshal(specYaml, PerfBaselineSpec.class));
        if (recorded != null) {
            pb.setStatus(new PerfBaselineStatus());
            pb.getStatus().recordedBaseline = recorded;
        }
        return pb;
    }

    @Test
    void noReferenceNoChoice() {
        BenchPlan plain = BenchFixtures.plan(BenchFixtures.EXPENSE.replace("baselineRef: expense-api\n", ""));
        assertThat(BaselineChoice.of(plain, "ns", Optional.empty())).isEmpty();
    }

    @Test
    void thePinnedBaselineWinsOverTheRecordedOne() {
        RecordedBaseline recorded = new RecordedBaseline();
        recorded.latencyP95 = "250ms";
        BaselineChoice c = BaselineChoice.of(
                        PLAN,
                        "ns",
                        Optional.of(pb("workload: {name: expense-api}\nbaseline: {latencyP95: 200ms}", recorded)))
                .orElseThrow();
        assertThat(c.values().latencyP95()).isEqualTo(0.2);
        assertThat(c.reason()).isEqualTo(ConditionReason.Compared);
        assertThat(c.message()).endsWith("(spec.baseline)");
        BaselineChoice r = BaselineChoice.of(PLAN, "ns", Optional.of(pb("workload: {name: expense-api}", recorded)))
                .orElseThrow();
        assertThat(r.values().latencyP95()).isEqualTo(0.25);
        assertThat(r.message()).endsWith("(status.recordedBaseline)");
        assertThat(r.failure()).isNull();
    }

    @Test
    void whatFailsTheVerdictAndWhatOnlySkipsTheComparison() {
        assertThat(BaselineChoice.of(PLAN, "ns", Optional.empty()).orElseThrow().failure())
                .contains("does not exist in namespace ns");
        assertThat(BaselineChoice.of(PLAN, "ns", Optional.of(pb("workload: {name: other}", null)))
                        .orElseThrow()
                        .failure())
                .contains("tracks other, not this run's target expense-api");
        assertThat(BaselineChoice.of(
                                PLAN,
                                "ns",
                                Optional.of(pb("workload: {name: expense-api}\nregression: {latencyPercent: 0}", null)))
                        .orElseThrow()
                        .failure())
                .contains("has an invalid spec");
        BaselineChoice none = BaselineChoice.of(PLAN, "ns", Optional.of(pb("workload: {name: expense-api}", null)))
                .orElseThrow();
        assertThat(none.failure()).isNull();
        assertThat(none.reason()).isEqualTo(ConditionReason.NoBaseline);
        assertThat(none.values().isEmpty()).isTrue();
    }
}

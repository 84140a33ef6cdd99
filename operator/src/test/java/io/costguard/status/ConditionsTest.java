package io.costguard.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ready without data reads the same on every resource, and its transition time moves only when Ready does. */
class ConditionsTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final Instant T1 = T0.plusSeconds(300);

    @Test
    void notReadyWithoutDataIsReadyFalseForDataUnavailable() {
        List<Condition> before = Conditions.with(
                List.of(), ConditionType.DataAvailable, false, ConditionReason.Unreachable, "x", 3L, T0);

        List<Condition> after = Conditions.notReadyWithoutData(before, "no action without fresh data", 3L, T0);

        assertThat(after).hasSize(2);
        assertThat(after.get(0)).isEqualTo(before.get(0));
        Condition ready = Conditions.find(after, ConditionType.Ready);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("DataUnavailable");
        assertThat(ready.getMessage()).isEqualTo("no action without fresh data");
        assertThat(ready.getObservedGeneration()).isEqualTo(3L);
        assertThat(ready.getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void theTransitionTimeMovesOnlyWhenReadyChanges() {
        List<Condition> ready =
                Conditions.with(List.of(), ConditionType.Ready, true, ConditionReason.Evaluated, "ok", 1L, T0);

        List<Condition> lost = Conditions.notReadyWithoutData(ready, "first", 1L, T1);
        List<Condition> stillLost = Conditions.notReadyWithoutData(lost, "second", 1L, T1.plusSeconds(60));

        assertThat(lost.get(0).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(stillLost.get(0).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(stillLost.get(0).getMessage()).isEqualTo("second");
        assertThat(ready.get(0).getStatus()).as("the input list is not changed").isEqualTo("True");
    }
}

package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.RecordedBaseline;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A status write happens exactly when the status the reconciler decided differs from the one it read. */
class StatusUpdateTest {
    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    static PerfBaseline resource() {
        PerfBaseline pb = new PerfBaseline();
        pb.setMetadata(new ObjectMetaBuilder()
                .withName("api")
                .withNamespace("team-a")
                .withUid("u1")
                .build());
        return pb;
    }

    static PerfBaselineStatus status(Map<String, String> selector) {
        PerfBaselineStatus s = new PerfBaselineStatus();
        s.state = "Healthy";
        s.observedGeneration = 3L;
        s.freezeSelector = selector;
        s.conditions = Conditions.with(
                s.conditions, ConditionType.Ready, true, ConditionReason.Valid, "the spec is valid", 3L, NOW);
        return s;
    }

    @Test
    void theSameStatusWritesNothingWhateverOrderItsMapsWereFilledIn() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new HashMap<>(64);
        ba.put("b", "2");
        ba.put("a", "1");
        var control = StatusUpdate.of(resource(), status(ab), status(ba), PerfBaseline::new, null);
        assertThat(control.isPatchStatus()).isFalse();
    }

    @Test
    void anyChangedFieldWritesTheNewStatus() {
        PerfBaselineStatus next = status(Map.of());
        next.conditions = Conditions.with(
                next.conditions, ConditionType.Ready, true, ConditionReason.Valid, "the spec is valid", 4L, NOW);
        var control = StatusUpdate.of(resource(), status(Map.of()), next, PerfBaseline::new, null);
        assertThat(control.isPatchStatus()).isTrue();
        assertThat(control.getResource().orElseThrow().getStatus()).isSameAs(next);
        assertThat(StatusUpdate.of(resource(), null, next, PerfBaseline::new, null)
                        .isPatchStatus())
                .isTrue();
    }

    @Test
    void aFieldAnotherWriterOwnsDoesNotCountAsAChange() {
        PerfBaselineStatus previous = status(Map.of());
        previous.recordedBaseline = new RecordedBaseline();
        previous.recordedBaseline.latencyP95 = "120ms";
        PerfBaselineStatus next = status(Map.of());
        assertThat(StatusUpdate.of(resource(), previous, next, PerfBaseline::new, null, Set.of("recordedBaseline"))
                        .isPatchStatus())
                .isFalse();
        assertThat(StatusUpdate.of(resource(), previous, next, PerfBaseline::new, null)
                        .isPatchStatus())
                .isTrue();
    }
}

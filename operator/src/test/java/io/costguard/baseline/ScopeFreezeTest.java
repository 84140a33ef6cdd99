package io.costguard.baseline;

import static io.costguard.baseline.PerfFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.PerfBaselineStatus;
import io.costguard.status.Conditions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods a PerfBaseline's freeze covers. */
class ScopeFreezeTest {
    static final Instant NOW = Instant.parse("2026-11-23T06:00:00Z");

    static PerfPlan plan(String scope) {
        return new PerfSpecValidator()
                .validate(spec("workload: {name: api}\nonRegression: [Freeze]\nfreezeScope: " + scope))
                .plan();
    }

    static PerfBaselineStatus frozen() {
        PerfBaselineStatus s = new PerfBaselineStatus();
        s.deploysFrozen = true;
        return s;
    }

    @Test
    void aWorkloadFreezeCoversThePodsItsMatchLabelsSelect() {
        PerfBaselineStatus next = frozen();
        PerfBaselineReconciler.scopeFreeze(next, plan("Workload"), Map.of("app", "api"), 1, NOW);
        assertThat(next.deploysFrozen).isTrue();
        assertThat(next.freezeSelector).isEqualTo(Map.of("app", "api"));
    }

    @Test
    void aNamespaceFreezeCoversTheNamespaceWhateverTheSelector() {
        PerfBaselineStatus next = frozen();
        PerfBaselineReconciler.scopeFreeze(next, plan("Namespace"), Map.of(), 1, NOW);
        assertThat(next.deploysFrozen).isTrue();
        assertThat(next.freezeSelector).isEmpty();
    }

    @Test
    void aWorkloadWithoutMatchLabelsIsNotFrozenAndTheConditionSaysWhy() {
        PerfBaselineStatus next = frozen();
        PerfBaselineReconciler.scopeFreeze(next, plan("Workload"), Map.of(), 1, NOW);
        assertThat(next.deploysFrozen).isNull();
        assertThat(next.freezeSelector).isNull();
        var c = Conditions.find(next.conditions, "DeploysFrozen");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("NoSelectorLabels");
        assertThat(c.getMessage()).contains("spec.selector.matchLabels", "spec.freezeScope: Namespace");
    }

    @Test
    void nothingChangesWithoutAFreeze() {
        PerfBaselineStatus next = new PerfBaselineStatus();
        PerfBaselineReconciler.scopeFreeze(next, plan("Workload"), Map.of(), 1, NOW);
        assertThat(next.deploysFrozen).isNull();
        assertThat(next.conditions).isNullOrEmpty();
    }
}

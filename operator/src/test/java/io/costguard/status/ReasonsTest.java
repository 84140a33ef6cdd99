package io.costguard.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.bench.K6Summary;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reasons other enums name (a Prometheus failure, a k6 summary problem) are condition reasons, written as before. */
class ReasonsTest {
    @ParameterizedTest
    @EnumSource(FailureKind.class)
    void everyPrometheusFailureIsAReasonOfTheSameWord(FailureKind kind) {
        assertThat(kind.reason().name()).isEqualTo(kind.name());
    }

    @ParameterizedTest
    @EnumSource(K6Summary.Problem.class)
    void everySummaryProblemIsAReason(K6Summary.Problem problem) {
        assertThat(problem.reason().name()).isEqualTo("Summary" + problem.name());
    }

    @ParameterizedTest
    @EnumSource(ConditionReason.class)
    void theConditionCarriesTheConstantsName(ConditionReason reason) {
        var c = Conditions.with(List.of(), ConditionType.Ready, false, reason, "m", 1L, Instant.EPOCH);
        assertThat(c.get(0).getReason()).isEqualTo(reason.name());
        assertThat(c.get(0).getReason()).matches("[A-Z][A-Za-z0-9]*");
    }
}

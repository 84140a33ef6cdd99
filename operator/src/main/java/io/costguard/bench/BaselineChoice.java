package io.costguard.bench;

import io.costguard.api.ConditionReason;
import io.costguard.api.PerfBaseline;
import io.costguard.baseline.PerfEvaluator;
import io.costguard.baseline.PerfPlan;
import java.util.Optional;

/**
 * What a run is compared with: the baselineRef PerfBaseline's pinned-else-recorded values, or why nothing is.
 * {@code failure} is a verdict reason when the reference itself is wrong; the rest is the BaselineCompared condition.
 * Pure.
 */
public record BaselineChoice(
        PerfPlan.Values values, String failure, boolean compared, ConditionReason reason, String message) {

    /** Empty when the run names no baselineRef. */
    public static Optional<BaselineChoice> of(BenchPlan plan, String namespace, Optional<PerfBaseline> found) {
        if (plan.baselineRef() == null) {
            return Optional.empty();
        }
        String ref = plan.baselineRef();
        if (found.isEmpty()) {
            return Optional.of(new BaselineChoice(
                    PerfPlan.Values.NONE,
                    "spec.baselineRef: PerfBaseline " + ref + " does not exist in namespace " + namespace
                            + ", so nothing could be compared; create it or remove baselineRef",
                    false,
                    ConditionReason.BaselineNotFound,
                    "PerfBaseline " + ref + " not found"));
        }
        PerfBaseline pb = found.get();
        String tracked = pb.getSpec() == null || pb.getSpec().workload == null ? null : pb.getSpec().workload.name;
        if (plan.hasWorkload() && tracked != null && !plan.workloadName().equals(tracked)) {
            return Optional.of(new BaselineChoice(
                    PerfPlan.Values.NONE,
                    "spec.baselineRef: PerfBaseline " + ref + " tracks " + tracked + ", not this run's target "
                            + plan.workloadName() + "; name the PerfBaseline of " + plan.workloadName(),
                    false,
                    ConditionReason.OtherWorkload,
                    "PerfBaseline " + ref + " tracks another workload"));
        }
        Optional<PerfPlan.Values> values = PerfEvaluator.baselineOf(pb);
        if (values.isEmpty()) {
            return Optional.of(new BaselineChoice(
                    PerfPlan.Values.NONE,
                    "spec.baselineRef: PerfBaseline " + ref
                            + " has an invalid spec, so its baseline cannot be trusted; fix it (see its Ready condition)",
                    false,
                    ConditionReason.BaselineInvalid,
                    "PerfBaseline " + ref + " is invalid"));
        }
        if (values.get().isEmpty()) {
            return Optional.of(new BaselineChoice(
                    PerfPlan.Values.NONE,
                    null,
                    false,
                    ConditionReason.NoBaseline,
                    "PerfBaseline " + ref
                            + " has neither spec.baseline nor status.recordedBaseline yet; nothing to compare"
                            + (plan.recordBaseline() ? " (a pass records this run as its baseline)" : "")));
        }
        return Optional.of(new BaselineChoice(
                values.get(),
                null,
                true,
                ConditionReason.Compared,
                "compared with PerfBaseline " + ref
                        + (pb.getSpec().baseline != null ? " (spec.baseline)" : " (status.recordedBaseline)")));
    }
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public class PerfBaselineStatus extends Readable {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Healthy, Regressed, SLOViolated, Unknown (data missing, stale or no requests) or Invalid (spec is wrong; see the Ready condition). Precedence: Invalid > Unknown > SLOViolated > Regressed > Healthy.")
    public String state;

    @JsonPropertyDescription(
            "Baseline written by a passing BenchRun with recordBaseline: true; used when spec.baseline is unset.")
    public RecordedBaseline recordedBaseline;

    @JsonPropertyDescription("The workload's current latency, errors, throughput and cost per 1000 requests.")
    public PerfMeasurement current;

    @JsonPropertyDescription("Metrics currently regressed against the baseline.")
    public List<PerfRegression> regressions;

    @JsonPropertyDescription(
            "Deviations from the baseline seen but not confirmed yet: held for fewer than spec.regression.consecutiveEvaluations evaluations (latency: or for less than latencyFor).")
    public List<PerfRegression> pendingRegressions;

    @JsonPropertyDescription(
            "Time of the data the status was last judged on (RFC 3339). Written with every other status change; with none, refreshed once it is 30 to 60 minutes old (or the evaluation interval, when longer).")
    public String lastEvaluated;

    @JsonPropertyDescription("Recommended resource requests per container.")
    public List<RightsizingRecommendation> recommendations;

    @JsonPropertyDescription(
            "In mode Recommend: a strategic merge patch of the workload with the recommended requests, ready to commit to Git.")
    public String recommendedPatch;

    @JsonPropertyDescription(
            "The last rightsizing patch applied (mode Apply), with the previous values needed to undo it.")
    public RightsizingApplied lastApplied;

    @JsonPropertyDescription("True while this PerfBaseline freezes rollouts in its spec.freezeScope.")
    public Boolean deploysFrozen;

    @JsonPropertyDescription(
            "While frozen: the pod labels of the frozen scope (the workload's selector; empty for the whole namespace).")
    public java.util.Map<String, String> freezeSelector;

    @JsonPropertyDescription("Ready, DataAvailable, SLOMet, Regressed, RightsizingApplied, DeploysFrozen.")
    public List<Condition> conditions = new ArrayList<>();
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public class BenchRunStatus extends Readable {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Pending, Running, Collecting (reading results and cost), Passed, Failed, Error (the run could not complete) or Invalid (spec is wrong; see the Ready condition).")
    public String phase;

    @JsonPropertyDescription("Name of the batch/v1 Job running k6, owned by this BenchRun.")
    public String jobName;

    @JsonPropertyDescription(
            "The metadata.generation the Job was started from; a later spec change ends the run in Error SpecChanged.")
    public Long startedGeneration;

    @JsonPropertyDescription("The k6 pod, once it exists.")
    public String podName;

    @JsonPropertyDescription("When the load started (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the run finished, passed or not (RFC 3339).")
    public String completionTime;

    @JsonPropertyDescription(
            "The line k6's handleSummary wrote to the termination message (measured part only), kept so the results can be recomputed after the pod is gone.")
    public String k6Summary;

    @JsonPropertyDescription("What the run measured, warmup excluded.")
    public BenchResults results;

    @JsonPropertyDescription("Each metric compared with the baseline named by spec.baselineRef.")
    public List<BenchComparison> comparison;

    @JsonPropertyDescription("Pass or Fail, with the reasons for a Fail.")
    public BenchVerdict verdict;

    @JsonPropertyDescription(
            "Ready (False with the reason when the spec is invalid or the run broke), Complete (True once Passed, Failed or Error), CostAvailable, BaselineCompared, BaselineRecorded.")
    public List<Condition> conditions = new ArrayList<>();
}

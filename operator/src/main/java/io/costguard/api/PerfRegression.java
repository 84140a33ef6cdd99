package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PerfRegression {
    @JsonPropertyDescription("latencyP95, errorRatio, throughput or costPer1kRequests.")
    public String metric;

    @JsonPropertyDescription("The baseline value, e.g. 210ms.")
    public String baseline;

    @JsonPropertyDescription("The current value, e.g. 241ms.")
    public String current;

    @JsonPropertyDescription("Change from the baseline in percent, e.g. 14.8.")
    public Double changePercent;

    @JsonPropertyDescription("Since when the regression has held (RFC 3339).")
    public String since;

    @JsonPropertyDescription("Pending: consecutive evaluations that saw the deviation.")
    public Integer evaluations;

    @JsonPropertyDescription(
            "Confirmed: consecutive evaluations that no longer see it; it clears at spec.regression.consecutiveEvaluations.")
    public Integer cleanEvaluations;
}

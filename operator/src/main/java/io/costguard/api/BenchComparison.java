package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BenchComparison {
    @JsonPropertyDescription("latencyP95, errorRatio, throughput or costPer1kRequests.")
    public String metric;

    @JsonPropertyDescription("The baseline value, e.g. 200ms.")
    public String baseline;

    @JsonPropertyDescription("This run's value, e.g. 210ms.")
    public String current;

    @JsonPropertyDescription("Change from the baseline in percent, e.g. 5.0.")
    public Double changePercent;

    @JsonPropertyDescription("Pass, or Fail when the change is a regression beyond spec.maxRegressionPercent.")
    public String verdict;
}

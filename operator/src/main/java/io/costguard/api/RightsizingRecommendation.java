package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RightsizingRecommendation {
    @JsonPropertyDescription("Container name in the workload's pod template.")
    public String container;

    @JsonPropertyDescription(
            "Current and recommended CPU request. Absent when CPU is left alone (e.g. an HPA scales the workload on CPU).")
    public ResourceChange cpuRequest;

    @JsonPropertyDescription("Current and recommended memory request.")
    public ResourceChange memoryRequest;

    @JsonPropertyDescription("How the recommendation was derived, e.g. \"p95 of 7d + 30 %\".")
    public String basis;
}

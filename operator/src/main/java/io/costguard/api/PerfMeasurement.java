package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Measured values, as written to status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PerfMeasurement {
    @JsonPropertyDescription("p95 latency, as a duration, e.g. 231ms.")
    public String latencyP95;

    @JsonPropertyDescription("Share of 5xx responses, a decimal between 0 and 1, e.g. \"0.0011\".")
    public String errorRatio;

    @JsonPropertyDescription("Requests per second, a decimal, e.g. \"96\".")
    public String throughput;

    @JsonPropertyDescription(
            "Cost per 1000 requests in the pricing currency, e.g. \"0.064\". Absent (not 0) when there were no requests.")
    public String costPer1kRequests;
}

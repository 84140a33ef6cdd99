package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BenchThresholds {
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Highest acceptable p95 latency, as a Prometheus duration, e.g. 300ms.")
    public String latencyP95;

    @Pattern(ApiPatterns.RATIO)
    @JsonPropertyDescription(
            "Highest acceptable share of failed requests (5xx responses and requests without a response), a quoted decimal between 0 and 1, e.g. \"0.002\".")
    public String errorRatio;

    @Pattern(ApiPatterns.DECIMAL)
    @JsonPropertyDescription(
            "Highest acceptable cost per 1000 requests in the pricing currency, a quoted decimal, e.g. \"0.12\".")
    public String maxCostPer1kRequests;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Baseline values pinned in a spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PerfValues {
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Baseline p95 latency, as a Prometheus duration, e.g. 210ms.")
    public String latencyP95;

    @Pattern(ApiPatterns.RATIO)
    @JsonPropertyDescription("Baseline share of 5xx responses, a quoted decimal between 0 and 1, e.g. \"0.0008\".")
    public String errorRatio;

    @Pattern(ApiPatterns.DECIMAL)
    @JsonPropertyDescription("Baseline throughput in requests per second, a quoted decimal, e.g. \"100\".")
    public String throughput;

    @Pattern(ApiPatterns.DECIMAL)
    @JsonPropertyDescription(
            "Baseline cost per 1000 requests in the pricing currency, a quoted decimal, e.g. \"0.062\".")
    public String costPer1kRequests;
}

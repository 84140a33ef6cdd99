package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegressionSpec {
    @Min(1)
    @Max(1000)
    @Default("10")
    @JsonPropertyDescription(
            "p95 latency above the baseline by more than this percent (1-1000), sustained for latencyFor, is a regression. Default 10.")
    public Integer latencyPercent;

    @Default("15m")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription(
            "How long the latency increase must last, judged on Prometheus' data (every step of the last latencyFor above the limit), as a Prometheus duration; 0s counts consecutiveEvaluations instead. Default 15m.")
    public String latencyFor;

    @Min(1)
    @Max(1000)
    @Default("20")
    @JsonPropertyDescription(
            "Throughput deviating from the baseline by at least this percent (1-1000) is a regression. Default 20.")
    public Integer throughputPercent;

    @Default("0.004")
    @Pattern(ApiPatterns.RATIO)
    @JsonPropertyDescription(
            "Absolute limit on the share of 5xx responses over 5 minutes, a quoted decimal between 0 and 1; above it is a regression. Default \"0.004\".")
    public String errorRatio;

    @Min(1)
    @Max(1000)
    @Default("10")
    @JsonPropertyDescription(
            "Cost per 1000 requests above the baseline by at least this percent (1-1000), without a matching change in volume, is a regression. Default 10.")
    public Integer costPerUnitPercent;

    @Min(1)
    @Max(100)
    @Default("3")
    @JsonPropertyDescription(
            "Consecutive evaluations that must see a regression before it counts, and see it gone before it clears (no flapping). Default 3.")
    public Integer consecutiveEvaluations;
}

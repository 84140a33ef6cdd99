package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "(has(self.executor) && self.executor == 'constant-vus') ? has(self.vus) : has(self.rate)",
        message = "spec.load needs rate for the arrival-rate executors and vus for constant-vus")
public class LoadSpec {
    @Required
    @JsonPropertyDescription("The k6 script: inline or from a ConfigMap, exactly one.")
    public LoadScript script;

    @Default("constant-arrival-rate")
    @Pattern("^(constant-arrival-rate|ramping-arrival-rate|constant-vus)$")
    @JsonPropertyDescription(
            "k6 executor: constant-arrival-rate (open model, rate requests per second), ramping-arrival-rate (ramps from 0 to rate during warmup, then holds rate) or constant-vus (closed model, vus users). Default constant-arrival-rate.")
    public String executor;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription(
            "Iterations per second (1-100000) for the arrival-rate executors, required for them: calls of the script's default function, so requests per second when each makes one request.")
    public Integer rate;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription(
            "Virtual users (1-100000): required for constant-vus; for the arrival-rate executors, VUs pre-allocated to sustain the rate (default chosen by the operator).")
    public Integer vus;

    @Required
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Total length of the load, warmup included, as a Prometheus duration, e.g. 30m.")
    public String duration;

    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription(
            "Initial part of duration whose results and cost are discarded, as a Prometheus duration, e.g. 5m; must be shorter than duration. Default none.")
    public String warmup;
}

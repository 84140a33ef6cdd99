package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PerfMetricQueries {
    @Size(max = 4096)
    @JsonPropertyDescription(
            "PromQL returning the workload's p95 latency in seconds as one series. Default: histogram_quantile(0.95, ...) over http_server_request_duration_seconds of the workload's pods.")
    public String latencyP95;

    @Size(max = 4096)
    @JsonPropertyDescription(
            "PromQL returning the share of 5xx responses (0-1) as one series. Default: 5xx over all requests from http_server_request_duration_seconds_count of the workload's pods.")
    public String errorRatio;

    @Size(max = 4096)
    @JsonPropertyDescription(
            "PromQL returning requests per second as one series. Default: rate of http_server_request_duration_seconds_count of the workload's pods.")
    public String throughput;
}

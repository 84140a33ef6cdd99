package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BenchResults {
    @JsonPropertyDescription("Requests completed after warmup.")
    public Long requests;

    @JsonPropertyDescription("Requests per second, a decimal, e.g. \"100.0\".")
    public String throughput;

    @JsonPropertyDescription("p50 latency, as a duration, e.g. 85ms.")
    public String latencyP50;

    @JsonPropertyDescription("p95 latency, as a duration, e.g. 210ms.")
    public String latencyP95;

    @JsonPropertyDescription("p99 latency, as a duration, e.g. 260ms.")
    public String latencyP99;

    @JsonPropertyDescription("Share of failed requests, a decimal between 0 and 1, e.g. \"0.0008\".")
    public String errorRatio;

    @JsonPropertyDescription(
            "Iterations k6 could not start on schedule for lack of VUs (arrival-rate executors); above 0, the target saw less load than spec.load asked for (raise spec.load.vus).")
    public Long droppedIterations;

    @JsonPropertyDescription(
            "Attributed cost of the target workload over [start + warmup, end], in USD, e.g. \"11.16\".")
    public String costUSD;

    @JsonPropertyDescription("costUSD / (requests / 1000), e.g. \"0.062\". Absent (not 0) when there were no requests.")
    public String costPer1kRequests;
}

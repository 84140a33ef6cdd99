package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A baseline recorded from a passing BenchRun. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordedBaseline extends PerfMeasurement {
    @JsonPropertyDescription("When the baseline was recorded (RFC 3339).")
    public String recordedAt;

    @JsonPropertyDescription("Where the values came from, e.g. BenchRun/expense-api-20261120.")
    public String source;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BenchTarget {
    @Required
    @Size(max = 2048)
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription(
            "HTTP(S) URL the load is sent to; the operator passes it to the k6 script. E.g. http://expense-api:8080/expense.")
    public String url;

    @JsonPropertyDescription(
            "The Deployment or StatefulSet behind the URL, in this namespace; the run's cost is its attributed cost over [start + warmup, end].")
    public WorkloadRef workload;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** A container's requests and limits, as Kubernetes quantity strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerResources {
    @JsonPropertyDescription("Requests by resource name (cpu, memory), as quantities, e.g. {cpu: \"1\", memory: 1Gi}.")
    public Map<String, String> requests;

    @JsonPropertyDescription("Limits by resource name (cpu, memory), as quantities; absent when none were set.")
    public Map<String, String> limits;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceChange {
    @JsonPropertyDescription("Request in the workload now, a Kubernetes quantity; absent when unset.")
    public String current;

    @JsonPropertyDescription("Recommended request, a Kubernetes quantity, e.g. 650m or 712Mi.")
    public String recommended;
}

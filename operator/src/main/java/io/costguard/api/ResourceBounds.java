package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceBounds {
    @JsonPropertyDescription("Bounds for CPU requests, e.g. min 50m, max \"4\".")
    public QuantityRange cpu;

    @JsonPropertyDescription(
            "Bounds for memory requests, e.g. min 64Mi, max 8Gi. Memory never goes below the observed peak.")
    public QuantityRange memory;
}

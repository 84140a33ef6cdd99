package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantityRange {
    @Pattern(ApiPatterns.QUANTITY)
    @JsonPropertyDescription("Lowest request recommended, a Kubernetes quantity (quote plain numbers, e.g. \"1\").")
    public String min;

    @Pattern(ApiPatterns.QUANTITY)
    @JsonPropertyDescription(
            "Highest request recommended, a Kubernetes quantity (quote plain numbers, e.g. \"4\"); must not be below min.")
    public String max;
}

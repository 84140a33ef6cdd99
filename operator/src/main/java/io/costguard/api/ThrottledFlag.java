package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThrottledFlag {
    @JsonPropertyDescription("FeatureFlag or ConfigMap.")
    public String kind;

    @JsonPropertyDescription("Object name.")
    public String name;

    @JsonPropertyDescription("ConfigMap key, for kind ConfigMap.")
    public String key;

    @JsonPropertyDescription("The flipped flag.")
    public String flagKey;

    @JsonPropertyDescription("Default variant before the flip, restored on undo.")
    public String previousVariant;

    @JsonPropertyDescription(
            "Targeting rules before the flip (JSON), removed while throttled so that the default variant applies, restored on undo.")
    public String previousTargeting;

    @JsonPropertyDescription("The variant set while throttled.")
    public String variant;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.kind != 'ConfigMap' || has(self.key)",
        message = "a ConfigMap flag needs key: the ConfigMap key holding the flagd JSON document")
public class FeatureFlagRef {
    @Required
    @Pattern("^(FeatureFlag|ConfigMap)$")
    @JsonPropertyDescription(
            "FeatureFlag (OpenFeature operator, core.openfeature.dev) or ConfigMap (a flagd JSON document).")
    public String kind;

    @Required
    @JsonPropertyDescription("Name of the FeatureFlag or ConfigMap in the budget's namespace.")
    public String name;

    @JsonPropertyDescription("For kind ConfigMap: the key holding the flagd JSON document, e.g. flags.json.")
    public String key;

    @Required
    @JsonPropertyDescription("The flag to flip.")
    public String flagKey;

    @Required
    @JsonPropertyDescription("Variant to set as the flag's default while throttled, e.g. \"off\".")
    public String variant;
}

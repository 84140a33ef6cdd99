package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeyRef {
    @Required
    @Size(max = 253)
    @Pattern(ApiPatterns.OBJECT_NAME)
    @JsonPropertyDescription("ConfigMap name, in the same namespace.")
    public String name;

    @Required
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key in the ConfigMap's data, e.g. script.js.")
    public String key;

    public ConfigMapKeyRef() {}

    public ConfigMapKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}

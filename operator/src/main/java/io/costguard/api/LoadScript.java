package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.inline) != has(self.configMapRef)",
        message = "spec.load.script needs exactly one of inline or configMapRef")
public class LoadScript {
    @Size(max = 262144)
    @JsonPropertyDescription(
            "The k6 script (JavaScript) itself, up to 256 KiB; larger scripts belong in a ConfigMap. Exactly one of inline and configMapRef.")
    public String inline;

    @JsonPropertyDescription(
            "A ConfigMap key in this namespace holding the k6 script. Exactly one of inline and configMapRef.")
    public ConfigMapKeyRef configMapRef;
}

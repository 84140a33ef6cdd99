package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BudgetScope {
    @Size(max = 200)
    @JsonPropertyDescription(
            "Namespaces whose cost counts. Default: the budget's own namespace. Other namespaces only from a trusted namespace (the operator's own, or one labelled costguard.io/budget-admin=true).")
    public List<String> namespaces;

    @JsonPropertyDescription(
            "Allocation keys (tenant, feature, team, environment, or configured extra keys) that must all match the pod's labels.")
    public Map<String, String> selector;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Deployment or StatefulSet in the same namespace as the resource that names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
    @Default("Deployment")
    @Pattern(ApiPatterns.WORKLOAD_KIND)
    @JsonPropertyDescription("Deployment or StatefulSet (apps/v1). Default Deployment.")
    public String kind;

    @Required
    @Size(max = 253)
    @Pattern(ApiPatterns.OBJECT_NAME)
    @JsonPropertyDescription("Name of the workload, in the same namespace.")
    public String name;

    public WorkloadRef() {}

    public WorkloadRef(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }
}

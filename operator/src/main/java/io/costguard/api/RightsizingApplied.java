package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RightsizingApplied {
    @JsonPropertyDescription("When the patch was applied (RFC 3339).")
    public String at;

    @JsonPropertyDescription(
            "Resources per container name before the patch, recorded before patching; enough to undo it.")
    public Map<String, ContainerResources> previous;

    @JsonPropertyDescription("Resources per container name the patch sets.")
    public Map<String, ContainerResources> applied;

    @JsonPropertyDescription(
            "Pending (recorded, not patched yet), Applied, or Undone (restored after costguard.io/rightsizing-undo).")
    public String result;

    @JsonPropertyDescription(
            "The spec generation of the PerfBaseline when it was undone; Apply resumes once the spec changes.")
    public Long undoneAtGeneration;
}

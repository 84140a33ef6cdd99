package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RightsizingApplied {
  @JsonPropertyDescription("When the patch was applied (RFC 3339).")
  public String at;

  @JsonPropertyDescription("Resources per container name before the patch, recorded before patching; enough to undo it.")
  public Map<String, ContainerResources> previous;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ThrottleSpec {
    @Size(max = 50)
    @JsonPropertyDescription("Feature flags flipped at Throttle and restored when no longer needed.")
    public List<FeatureFlagRef> featureFlags;
}

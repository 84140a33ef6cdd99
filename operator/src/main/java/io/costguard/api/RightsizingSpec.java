package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RightsizingSpec {
    @Default("Recommend")
    @Pattern("^(Off|Recommend|Apply)$")
    @JsonPropertyDescription(
            "Off, Recommend (status only, with a ready-to-commit patch) or Apply (patch resources.requests under field manager costguard). Write \"Off\" in quotes: unquoted Off is a YAML boolean. Default Recommend.")
    public String mode;

    @Default("LatencySensitive")
    @Pattern("^(LatencySensitive|Batch)$")
    @JsonPropertyDescription(
            "Headroom above the observed percentile: LatencySensitive 30 %, Batch 15 %. Default LatencySensitive.")
    public String profile;

    @Min(50)
    @Max(100)
    @Default("95")
    @JsonPropertyDescription(
            "Percentile (50-100) of observed usage over lookback that requests are based on. Default 95.")
    public Integer percentile;

    @Default("7d")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Usage history considered, as a Prometheus duration. Default 7d.")
    public String lookback;

    @Default("10%")
    @Pattern(ApiPatterns.PERCENT)
    @JsonPropertyDescription(
            "Ignore recommendations that change a request by less than this, e.g. \"10%\". Default 10%.")
    public String minChange;

    @Default("24h")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription(
            "Least time between two applied changes to the workload, as a Prometheus duration. Default 24h.")
    public String cooldown;

    @JsonPropertyDescription("Limits recommended requests never cross.")
    public ResourceBounds bounds;
}

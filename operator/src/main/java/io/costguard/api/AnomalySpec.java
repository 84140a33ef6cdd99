package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnomalySpec {
    @Min(0.5)
    @Max(10)
    @Default("3.0")
    @JsonPropertyDescription("Flag a day whose spend is this many standard deviations away from the seasonal "
            + "baseline (0.5-10). Default 3.")
    public Double zScore;

    @Min(1)
    @Max(1000)
    @Default("20")
    @JsonPropertyDescription(
            "Flag a day-over-day spend change above this percent (1-1000) not explained by volume. Default 20.")
    public Integer dayOverDayPercent;

    @Default("Both")
    @Pattern("^(Increase|Decrease|Both)$")
    @JsonPropertyDescription("Which moves are reported: Increase, Decrease (a drop: a service down, a pipeline "
            + "stopped) or Both. Anomalies are reported, never acted on. Default Both.")
    public String direction;

    @JsonPropertyDescription("PromQL for request volume; when set, anomalies compare cost per unit of volume.")
    public String volumeQuery;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostAnomaly {
    @JsonPropertyDescription("The day, in the budget's time zone (YYYY-MM-DD).")
    public String day;

    @JsonPropertyDescription("Spend on that day.")
    public String spend;

    @JsonPropertyDescription("Spend the seasonal baseline expected.")
    public String expected;

    @JsonPropertyDescription("Increase or Decrease: which way spend moved.")
    public String direction;

    @JsonPropertyDescription(
            "Standard deviations from the baseline (negative for a drop); absent before two " + "weeks of history.")
    public Double zScore;

    @JsonPropertyDescription("Day-over-day change in percent.")
    public Integer changePercent;

    @JsonPropertyDescription("The allocation-key combinations whose spend moved most in the anomaly's direction "
            + "against their own baseline, largest first (at most 3).")
    @Size(max = 3)
    public List<AnomalyDriver> drivers;

    @JsonPropertyDescription("True while the day is running: judged on its complete hours so far; the "
            + "judgement of the complete day replaces it.")
    public Boolean partial;

    @JsonPropertyDescription("For a partial judgement, the hours of the day it covers (local time, e.g. "
            + "00:00-14:00); spend and expected are for those hours.")
    public String hours;
}

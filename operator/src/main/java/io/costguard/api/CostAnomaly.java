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
  @JsonPropertyDescription("Standard deviations above the baseline.")
  public Double zScore;
  @JsonPropertyDescription("Day-over-day change in percent.")
  public Integer changePercent;
  @JsonPropertyDescription("The allocation-key combinations whose spend moved most in the anomaly's direction "
      + "against their own baseline, largest first (at most 3).")
  @Size(max = 3)
  public List<AnomalyDriver> drivers;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

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
}

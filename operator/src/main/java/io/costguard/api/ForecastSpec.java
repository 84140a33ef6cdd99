package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ForecastSpec {
    @Min(1)
    @Max(1000)
    @Default("100")
    @JsonPropertyDescription(
            "Emit BudgetForecastExceeded when the end-of-period forecast reaches this percent of the budget (1-1000). Default 100.")
    public Integer warnAbovePercent;

    @Default("Forecast")
    @Pattern("^(Forecast|Upper)$")
    @JsonPropertyDescription(
            "What is compared with warnAbovePercent: Forecast (the point forecast, status.forecast) or Upper (the high end of its 80 % interval, status.forecastHigh: warns earlier, misses fewer overruns, warns more often). Default Forecast.")
    public String warnOn;
}

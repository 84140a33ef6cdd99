package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostBudgetSpec extends Readable {
    @JsonPropertyDescription(
            "What the budget covers: namespaces and allocation labels. Default: every cost in the budget's own namespace.")
    public BudgetScope scope;

    @Required
    @Pattern("^[0-9]{1,13}(\\.[0-9]{1,2})?$")
    @ValidationRule(value = "!self.matches('^0+(\\\\.0+)?$')", message = "spec.amount must be greater than 0")
    @JsonPropertyDescription(
            "Budget for one period as a quoted decimal string, greater than 0, at most 2 decimals and 1e12, e.g. \"12400.00\".")
    public String amount;

    @Default("USD")
    @Pattern("^[A-Z]{3}$")
    @JsonPropertyDescription(
            "ISO 4217 currency code in upper case; must match the operator's pricing currency. Default USD.")
    public String currency;

    @Default("Monthly")
    @Pattern("^(Daily|Weekly|Monthly|Quarterly)$")
    @JsonPropertyDescription(
            "Calendar-aligned budget period: Daily, Weekly (ISO weeks, Monday first), Monthly or Quarterly. Default Monthly.")
    public String period;

    @Default("UTC")
    @JsonPropertyDescription("IANA time zone the period boundaries are computed in, e.g. Europe/Berlin. Default UTC.")
    public String timeZone;

    @Size(min = 1, max = 10)
    @ValidationRule(
            value = "self.map(t, t.percent).isSorted() && self.all(t, self.exists_one(u, u.percent == t.percent))",
            message = "spec.thresholds must be strictly ascending by percent, without duplicates")
    @JsonPropertyDescription(
            "Thresholds in strictly ascending order of percent; each acts once per period. Default 70 % Notify, 85 % Notify+Throttle, 100 % Notify+Throttle+Freeze.")
    public List<BudgetThreshold> thresholds;

    @JsonPropertyDescription("Early warning when the end-of-period forecast crosses a share of the budget.")
    public ForecastSpec forecast;

    @JsonPropertyDescription("Anomaly detection on daily spend.")
    public AnomalySpec anomaly;

    @JsonPropertyDescription("What the Throttle action changes.")
    public ThrottleSpec throttle;

    @Default("Direct")
    @Pattern("^(Direct|DirectAndShared)$")
    @JsonPropertyDescription(
            "Which cost counts: Direct (the scope's own cost) or DirectAndShared (plus its share of the "
                    + "operator's attribution.shared costs and of shared idle cost). Default Direct.")
    public String costs;

    @Default("Enforce")
    @Pattern("^(Enforce|DryRun)$")
    @JsonPropertyDescription(
            "Enforce acts on thresholds; DryRun evaluates and reports everything and acts on nothing. Default Enforce.")
    public String enforcement;
}

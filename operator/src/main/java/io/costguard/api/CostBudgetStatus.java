package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public class CostBudgetStatus extends Readable {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Ok, Warning, Critical, Exceeded, Unknown (data missing or stale) or Invalid (spec is wrong; see the Ready condition).")
    public String state;

    @JsonPropertyDescription("Start of the current period (RFC 3339, UTC).")
    public String periodStart;

    @JsonPropertyDescription("End of the current period, exclusive (RFC 3339, UTC).")
    public String periodEnd;

    @JsonPropertyDescription(
            "Spend in the current period up to dataThrough, as a decimal string in the budget's currency.")
    public String spent;

    @JsonPropertyDescription("The scope's own cost in spent, less cost that attribution.shared entries take to split.")
    public String spentDirect;

    @JsonPropertyDescription("The scope's share of shared and idle cost over the same hours; part of spent only with "
            + "spec.costs DirectAndShared.")
    public String spentShared;

    @JsonPropertyDescription("Spent as a whole percent of the amount, rounded down.")
    public Integer usedPercent;

    @JsonPropertyDescription("usedPercent for people, e.g. \"69%\".")
    public String used;

    @JsonPropertyDescription("Projected spend at the end of the period.")
    public String forecast;

    @JsonPropertyDescription("Low end of the forecast's 80 % interval for the end of the period (never below spent).")
    public String forecastLow;

    @JsonPropertyDescription("High end of the forecast's 80 % interval for the end of the period.")
    public String forecastHigh;

    @JsonPropertyDescription("forecast as a whole percent of the amount.")
    public Integer forecastPercent;

    @JsonPropertyDescription(
            "When the forecast first reached spec.forecast.warnAbovePercent in this period (RFC 3339); the BudgetForecastExceeded event was sent then.")
    public String forecastExceededAt;

    @JsonPropertyDescription("End of the newest complete hour of cost data used (RFC 3339, UTC).")
    public String dataThrough;

    @JsonPropertyDescription("Share of the current period's hours through dataThrough that have cost data, as a whole "
            + "percent rounded down (100 only when none is missing). Missing hours count no spend; see the DataComplete "
            + "condition.")
    public Integer dataCoveragePercent;

    @JsonPropertyDescription("dataCoveragePercent for people, e.g. \"97%\".")
    public String dataCoverage;

    @JsonPropertyDescription("Thresholds crossed in the current period, with their actions and results.")
    public List<CrossedThreshold> crossedThresholds = new ArrayList<>();

    @JsonPropertyDescription(
            "Actions waiting for approval, e.g. \"85%: Throttle\"; approve with the annotation costguard.io/approve=\"85\". Shown by kubectl get -o wide.")
    public String awaitingApproval;

    @JsonPropertyDescription("Feature flags this budget has flipped, with the variant to restore.")
    public List<ThrottledFlag> throttledFlags;

    @JsonPropertyDescription("True while this budget freezes rollouts in its scope.")
    public Boolean deploysFrozen;

    @JsonPropertyDescription("Recent days whose spend was flagged as anomalous.")
    public List<CostAnomaly> anomalies;

    @JsonPropertyDescription("Ready, DataAvailable, DataComplete, Throttled, DeploysFrozen, AnomalyDetected.")
    public List<Condition> conditions = new ArrayList<>();
}

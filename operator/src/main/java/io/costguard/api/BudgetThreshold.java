package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BudgetThreshold {
    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Share of the budget, in percent (1-1000), at which the actions run.")
    public Integer percent;

    @JsonPropertyDescription(
            "Actions at this threshold: Notify (event and metric), Throttle (flip the listed feature flags), Freeze (deny new rollouts in scope).")
    public List<BudgetAction> actions;

    @Default("Automatic")
    @Pattern("^(Automatic|Manual)$")
    @JsonPropertyDescription(
            "Automatic runs the actions at once; Manual waits until the budget is annotated costguard.io/approve=\"<percent>\". Default Automatic.")
    public String approval;

    public BudgetThreshold() {}

    public BudgetThreshold(int percent, List<BudgetAction> actions) {
        this.percent = percent;
        this.actions = actions;
    }
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.recordBaseline) || !self.recordBaseline || has(self.baselineRef)",
        message = "spec.recordBaseline: true requires spec.baselineRef, the PerfBaseline to record the results in")
public class BenchRunSpec extends Readable {
    @Required
    @JsonPropertyDescription(
            "What is load-tested: the URL k6 calls and the workload whose cost the run is charged with.")
    public BenchTarget target;

    @Required
    @JsonPropertyDescription("The k6 script and the load it generates.")
    public LoadSpec load;

    @JsonPropertyDescription("Absolute limits; the run fails when a result breaks one.")
    public BenchThresholds thresholds;

    @Size(max = 253)
    @Pattern(ApiPatterns.OBJECT_NAME)
    @JsonPropertyDescription(
            "Name of a PerfBaseline in this namespace to compare the results with (its spec.baseline, else its status.recordedBaseline).")
    public String baselineRef;

    @Min(0)
    @Max(1000)
    @Default("5")
    @JsonPropertyDescription(
            "Fail when a metric regresses by more than this percent (0-1000) against the baseline. Default 5.")
    public Integer maxRegressionPercent;

    @Default("false")
    @JsonPropertyDescription(
            "On a pass, write the results to the baselineRef PerfBaseline's status.recordedBaseline. Requires baselineRef. Default false.")
    public Boolean recordBaseline;

    @Size(max = 512)
    @JsonPropertyDescription(
            "k6 container image for this run, overriding the operator's configured (pinned) image; the script's handleSummary output must stay compatible.")
    public String image;
}

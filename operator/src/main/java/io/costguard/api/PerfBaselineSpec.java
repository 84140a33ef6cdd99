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
public class PerfBaselineSpec extends Readable {
    @Required
    @JsonPropertyDescription(
            "The Deployment or StatefulSet, in this namespace, whose performance and cost are tracked.")
    public WorkloadRef workload;

    @JsonPropertyDescription(
            "PromQL queries for the workload's latency, errors and throughput. Each unset query defaults to one over OpenTelemetry HTTP server metrics for the workload's pods.")
    public PerfMetricQueries metrics;

    @JsonPropertyDescription(
            "Service level objectives; breaking any sets state SLOViolated. Judged even without a baseline.")
    public PerfSlo slo;

    @JsonPropertyDescription(
            "A baseline pinned by a person. When unset, status.recordedBaseline (written by a passing BenchRun with recordBaseline: true) is used; with neither, no regression checks run.")
    public PerfValues baseline;

    @Default("{}")
    @JsonPropertyDescription(
            "When the current values count as a regression against the baseline. Defaults: latency +10 % for 15m, throughput deviation 20 %, error ratio 0.004, cost per unit +10 %.")
    public RegressionSpec regression;

    @Default("[\"Notify\"]")
    @Size(max = 2)
    @ValidationRule(
            value = "self.all(a, a == 'Notify' || a == 'Freeze') && self.all(a, self.exists_one(b, b == a))",
            message = "spec.onRegression may only list Notify and Freeze, each at most once")
    @JsonPropertyDescription(
            "What a regression or SLO violation does: Notify (event and metric), Freeze (deny new rollouts in spec.freezeScope). Default [Notify].")
    public List<String> onRegression;

    @Default("Workload")
    @Pattern("^(Workload|Namespace)$")
    @JsonPropertyDescription(
            "What Freeze covers: Workload (this workload only) or Namespace (every workload in this namespace). Default Workload.")
    public String freezeScope;

    @Default("{}")
    @JsonPropertyDescription(
            "Resource request recommendations and, in mode Apply, patching them. Default mode Recommend.")
    public RightsizingSpec rightsizing;
}

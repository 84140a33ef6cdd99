package io.costguard.baseline;

import static io.costguard.baseline.PerfFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.SpecProblem;
import io.costguard.rightsizing.Rightsizer;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PerfSpecValidatorTest {
    final PerfSpecValidator validator = new PerfSpecValidator();

    List<String> problems(String yaml) {
        return validator.validate(spec(yaml)).problems().stream()
                .map(SpecProblem::toString)
                .toList();
    }

    @Test
    void theDesignExampleIsValidWithItsValues() {
        var r = validator.validate(spec("""
        workload: {kind: Deployment, name: expense-api}
        slo: {latencyP95: 300ms, errorRatio: "0.002", minThroughput: "100", maxCostPer1kRequests: "0.12"}
        baseline: {latencyP95: 210ms, errorRatio: "0.0008", throughput: "100", costPer1kRequests: "0.062"}
        regression: {latencyPercent: 10, latencyFor: 15m, throughputPercent: 20, errorRatio: "0.004", costPerUnitPercent: 10}
        onRegression: [Notify, Freeze]
        rightsizing:
          mode: Recommend
          profile: LatencySensitive
          percentile: 95
          lookback: 7d
          minChange: 10%
          cooldown: 24h
          bounds: {cpu: {min: 50m, max: "4"}, memory: {min: 64Mi, max: 8Gi}}
        """));
        assertThat(r.problems()).isEmpty();
        PerfPlan p = r.plan();
        assertThat(p.slo()).isEqualTo(new PerfPlan.Values(0.3, 0.002, 100.0, 0.12));
        assertThat(p.pinnedBaseline()).isEqualTo(new PerfPlan.Values(0.21, 0.0008, 100.0, 0.062));
        assertThat(p.regression()).isEqualTo(new PerfPlan.Regression(10, Duration.ofMinutes(15), 20, 0.004, 10, 3));
        assertThat(p.notifies()).isTrue();
        assertThat(p.freeze()).isTrue();
        assertThat(p.freezeNamespace()).isFalse();
        Rightsizer.Settings s = p.rightsizing().settings();
        assertThat(s.cpuMin()).isEqualTo(0.05);
        assertThat(s.cpuMax()).isEqualTo(4.0);
        assertThat(s.memoryMin()).isEqualTo(64 * 1024 * 1024.0);
        assertThat(s.memoryMax()).isEqualTo(8 * 1024 * 1024 * 1024.0);
        assertThat(s.minHistory()).isEqualTo(Duration.ofHours(24));
        assertThat(p.rightsizing().lookback()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void defaultsFollowTheSeeds() {
        PerfPlan p = validator.validate(spec("workload: {name: api}")).plan();
        assertThat(p.kind()).isEqualTo("Deployment");
        assertThat(p.regression()).isEqualTo(new PerfPlan.Regression(10, Duration.ofMinutes(15), 20, 0.004, 10, 3));
        assertThat(p.notifies()).isTrue();
        assertThat(p.freeze()).isFalse();
        assertThat(p.rightsizing().mode()).isEqualTo(PerfPlan.Mode.Recommend);
        assertThat(p.rightsizing().settings().profile()).isEqualTo(Rightsizer.Profile.LatencySensitive);
        assertThat(p.rightsizing().settings().minChange()).isEqualTo(0.10);
        // a lookback shorter than a day needs only itself as history
        assertThat(validator
                        .validate(spec("workload: {name: api}\nrightsizing: {lookback: 6h}"))
                        .plan()
                        .rightsizing()
                        .settings()
                        .minHistory())
                .isEqualTo(Duration.ofHours(6));
    }

    @Test
    void eachMistakeNamesItsFieldAndTheFix() {
        assertThat(problems("workload: {kind: DaemonSet, name: api}"))
                .containsExactly(
                        "spec.workload.kind: 'DaemonSet' is not supported; use Deployment or StatefulSet (apps/v1)");
        assertThat(problems("workload: {name: api}\nonRegression: []"))
                .containsExactly("spec.onRegression: is empty, so a confirmed "
                        + "regression would do nothing; list Notify and/or Freeze, or leave it out for Notify");
        assertThat(problems("workload: {name: api-" + "x".repeat(10_000) + "}"))
                .singleElement()
                .asString()
                .contains("'api-" + "x".repeat(116) + "…(10004 characters)' is not an object name")
                .hasSizeLessThan(300);
        assertThat(problems("workload: {kind: Deployment}"))
                .containsExactly(
                        "spec.workload.name: is required: the Deployment or StatefulSet in this namespace to track");
        assertThat(problems("workload: {name: api}\nrightsizing: {mode: false}"))
                .containsExactly(
                        "spec.rightsizing.mode: is the YAML boolean false: unquoted Off is read as a boolean; write mode: \"Off\" in quotes");
        assertThat(problems("workload: {name: api}\nrightsizing: {bounds: {memory: {min: 8Gi, max: 64Mi}}}"))
                .containsExactly(
                        "spec.rightsizing.bounds.memory.min: 8Gi is above spec.rightsizing.bounds.memory.max 64Mi; set min at or below max");
        assertThat(problems("workload: {name: api}\nrightsizing: {bounds: {cpu: {min: lots}}}"))
                .containsExactly(
                        "spec.rightsizing.bounds.cpu.min: 'lots' is not a Kubernetes quantity such as 100m, \"2\" or 256Mi");
        assertThat(problems("workload: {name: api}\nslo: {errorRatio: \"2\"}"))
                .containsExactly(
                        "spec.slo.errorRatio: '2' is above 1; write a share between 0 and 1, e.g. \"0.002\" for 0.2 %");
        assertThat(problems("workload: {name: api}\nslo: {latencyP95: 0.3}"))
                .containsExactly("spec.slo.latencyP95: '0.3' is not a duration such as 30s, 15m, 1h30m or 7d");
        assertThat(problems("workload: {name: api}\nonRegression: [Notify, Page, Notify]"))
                .containsExactly(
                        "spec.onRegression[1]: 'Page' is not an action; use Notify or Freeze",
                        "spec.onRegression: lists an action twice; list each of Notify, Freeze at most once");
        assertThat(problems("workload: {name: api}\nfreezeScope: Cluster"))
                .containsExactly("spec.freezeScope: 'Cluster' is not a scope; use Workload or Namespace");
        assertThat(problems("workload: {name: api}\nmetrics: {latencyP95: 'x{pod=~\"$pod\"}'}"))
                .containsExactly(
                        "spec.metrics.latencyP95: unknown placeholder $pod; use $namespace, $workload, $pods (a regular expression matching the "
                                + "workload's pod names) or $window");
        assertThat(problems("workload: {name: api}\nrightsizing: {minChange: ten}"))
                .containsExactly("spec.rightsizing.minChange: 'ten' is not a percentage such as \"10%\"");
        assertThat(problems("workload: {name: api}\nbaseline: {throughput: \"0\"}"))
                .containsExactly("spec.baseline.throughput: must be above 0: changes are measured against it");
    }

    @Property
    void percentagesOutsideOneToAThousandAreRefused(@ForAll @IntRange(min = -5, max = 1200) int percent) {
        List<String> p = problems("workload: {name: api}\nregression: {latencyPercent: " + percent + "}");
        if (percent >= 1 && percent <= 1000) {
            assertThat(p).isEmpty();
        } else {
            assertThat(p)
                    .containsExactly(
                            "spec.regression.latencyPercent: " + percent + " is out of range; use 1 to 1000 (percent)");
        }
    }

    @Property
    void percentileOutsideFiftyToAHundredIsRefused(@ForAll @IntRange(min = 0, max = 150) int percentile) {
        List<String> p = problems("workload: {name: api}\nrightsizing: {percentile: " + percentile + "}");
        assertThat(p.isEmpty()).isEqualTo(percentile >= 50 && percentile <= 100);
    }
}

package io.costguard.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Performance SLOs, a baseline, regression detection and rightsizing for one workload. */
@Group(CostBudget.GROUP)
@Version(CostBudget.VERSION)
// named, not derived: fabric8 otherwise runs its pluralizing regexes twice for every object it builds
@Plural("perfbaselines")
@Singular("perfbaseline")
@ShortNames("pb")
@AdditionalPrinterColumn(name = "Workload", jsonPath = ".spec.workload.name", getDescription = "The workload measured")
@AdditionalPrinterColumn(name = "P95", jsonPath = ".status.current.latencyP95", getDescription = "Current p95 latency")
@AdditionalPrinterColumn(name = "SLO-P95", jsonPath = ".spec.slo.latencyP95", getDescription = "p95 latency objective")
@AdditionalPrinterColumn(
        name = "Errors",
        jsonPath = ".status.current.errorRatio",
        getDescription = "Current share of 5xx responses")
@AdditionalPrinterColumn(
        name = "$/1K",
        jsonPath = ".status.current.costPer1kRequests",
        getDescription = "Current cost per 1000 requests")
@AdditionalPrinterColumn(
        name = "State",
        jsonPath = ".status.state",
        getDescription = "Healthy, Regressed, SLOViolated, Unknown or Invalid")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class PerfBaseline extends CustomResource<PerfBaselineSpec, PerfBaselineStatus> implements Namespaced {

    // spec and status are read tolerantly: one object of the wrong shape must not fail the informer for all of them
    @Override
    @JsonDeserialize(using = TolerantReading.Deserializer.class)
    public void setSpec(PerfBaselineSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = TolerantReading.Deserializer.class)
    public void setStatus(PerfBaselineStatus status) {
        super.setStatus(status);
    }
}

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

/** One k6 load test against a workload, judged on latency, errors and cost per 1000 requests. */
@Group(CostBudget.GROUP)
@Version(CostBudget.VERSION)
// named, not derived: fabric8 otherwise runs its pluralizing regexes twice for every object it builds
@Plural("benchruns")
@Singular("benchrun")
@ShortNames("br")
@AdditionalPrinterColumn(
        name = "Target",
        jsonPath = ".spec.target.workload.name",
        getDescription = "The workload the run is charged to")
@AdditionalPrinterColumn(
        name = "Phase",
        jsonPath = ".status.phase",
        getDescription = "Pending, Running, Collecting, Passed, Failed, Error or Invalid")
@AdditionalPrinterColumn(
        name = "P95",
        jsonPath = ".status.results.latencyP95",
        getDescription = "p95 latency during the run")
@AdditionalPrinterColumn(
        name = "Errors",
        jsonPath = ".status.results.errorRatio",
        getDescription = "Share of failed requests during the run")
@AdditionalPrinterColumn(
        name = "$/1K",
        jsonPath = ".status.results.costPer1kRequests",
        getDescription = "Cost per 1000 requests during the run")
@AdditionalPrinterColumn(name = "Verdict", jsonPath = ".status.verdict.result", getDescription = "Pass or Fail")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class BenchRun extends CustomResource<BenchRunSpec, BenchRunStatus> implements Namespaced {

    // spec and status are read tolerantly: one object of the wrong shape must not fail the informer for all of them
    @Override
    @JsonDeserialize(using = TolerantReading.Deserializer.class)
    public void setSpec(BenchRunSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = TolerantReading.Deserializer.class)
    public void setStatus(BenchRunStatus status) {
        super.setStatus(status);
    }
}

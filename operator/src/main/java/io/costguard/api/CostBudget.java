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

/** A spend budget for a scope of namespaces and allocation labels. */
@Group(CostBudget.GROUP)
@Version(CostBudget.VERSION)
// named, not derived: fabric8 otherwise runs its pluralizing regexes twice for every object it builds
@Plural("costbudgets")
@Singular("costbudget")
@ShortNames("cb")
@AdditionalPrinterColumn(
        name = "Spent",
        jsonPath = ".status.spent",
        getDescription = "Spend so far in the current period")
@AdditionalPrinterColumn(name = "Budget", jsonPath = ".spec.amount", getDescription = "Budget amount for the period")
@AdditionalPrinterColumn(name = "Used", jsonPath = ".status.used", getDescription = "Share of the budget spent")
@AdditionalPrinterColumn(
        name = "Forecast",
        jsonPath = ".status.forecast",
        getDescription = "Projected spend at the end of the period")
@AdditionalPrinterColumn(
        name = "State",
        jsonPath = ".status.state",
        getDescription = "Ok, Warning, Critical, Exceeded, Unknown or Invalid")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
        name = "Data",
        jsonPath = ".status.dataCoverage",
        priority = 1,
        getDescription = "Share of the period's hours with cost data")
@AdditionalPrinterColumn(
        name = "Awaiting-Approval",
        jsonPath = ".status.awaitingApproval",
        priority = 1,
        getDescription = "Actions waiting for the costguard.io/approve annotation")
@AdditionalPrinterColumn(
        name = "Forecast-Low",
        jsonPath = ".status.forecastLow",
        priority = 1,
        getDescription = "Low end of the forecast's 80 % interval")
@AdditionalPrinterColumn(
        name = "Forecast-High",
        jsonPath = ".status.forecastHigh",
        priority = 1,
        getDescription = "High end of the forecast's 80 % interval")
public class CostBudget extends CustomResource<CostBudgetSpec, CostBudgetStatus> implements Namespaced {
    public static final String GROUP = "costguard.io";
    public static final String VERSION = "v1alpha1";

    // spec and status are read tolerantly: one object of the wrong shape must not fail the informer for all of them
    @Override
    @JsonDeserialize(using = TolerantReading.Deserializer.class)
    public void setSpec(CostBudgetSpec spec) {
        super.setSpec(spec);
    }

    @Override
    @JsonDeserialize(using = TolerantReading.Deserializer.class)
    public void setStatus(CostBudgetStatus status) {
        super.setStatus(status);
    }
}

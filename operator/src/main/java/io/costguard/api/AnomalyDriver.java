package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** One allocation-key combination that drove an anomaly, judged against its own baseline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnomalyDriver {
    @JsonPropertyDescription("Namespace of the combination.")
    public String namespace;

    @JsonPropertyDescription(
            "Allocation key name to value (the names a selector uses); keys the cost lacks are " + "left out.")
    public Map<String, String> keys;

    @JsonPropertyDescription("The combination's spend on that day.")
    public String spend;

    @JsonPropertyDescription("What the combination's own history expected (0 for a combination new that day).")
    public String expected;

    @JsonPropertyDescription("Spend minus expected, signed.")
    public String change;

    @JsonPropertyDescription("Change as a percent of the scope's change (the sum of every combination's change); "
            + "absent when the scope as a whole did not move in the anomaly's direction.")
    public Integer sharePercent;
}

package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrossedThreshold {
    @JsonPropertyDescription("The threshold's percent.")
    public Integer percent;

    @JsonPropertyDescription("When spend first reached the threshold in this period (RFC 3339).")
    public String crossedAt;

    @JsonPropertyDescription("The threshold's actions and their results.")
    public List<ActionRecord> actions = new ArrayList<>();

    public CrossedThreshold() {}

    public CrossedThreshold(int percent, String crossedAt, List<ActionRecord> actions) {
        this.percent = percent;
        this.crossedAt = crossedAt;
        this.actions = new ArrayList<>(actions);
    }
}

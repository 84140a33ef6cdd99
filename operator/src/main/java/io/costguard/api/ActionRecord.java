package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActionRecord {
    @JsonPropertyDescription("Notify, Throttle or Freeze.")
    public String type;

    @JsonPropertyDescription("Pending (recorded, not yet done), PendingApproval, Done, Failed or Reverted.")
    public String result;

    @JsonPropertyDescription("When the result was recorded (RFC 3339).")
    public String at;

    @JsonPropertyDescription("Why, for Failed and Reverted.")
    public String reason;

    public ActionRecord() {}

    public ActionRecord(String type, String result, String at, String reason) {
        this.type = type;
        this.result = result;
        this.at = at;
        this.reason = reason;
    }
}

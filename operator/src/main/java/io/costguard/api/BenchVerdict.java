package io.costguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class BenchVerdict {
    @JsonPropertyDescription("Pass or Fail.")
    public String result;

    @JsonPropertyDescription("Why the run failed, one line per broken threshold or regression; empty on Pass.")
    public List<String> reasons = new ArrayList<>();

    public BenchVerdict() {}

    public BenchVerdict(String result, List<String> reasons) {
        this.result = result;
        this.reasons = new ArrayList<>(reasons);
    }
}

package io.costguard.api;

/** One thing wrong with a spec: the field path (e.g. {@code spec.thresholds[1].percent}) and how to fix it. */
public record SpecProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}

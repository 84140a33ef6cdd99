package io.costguard.admission;

import java.util.List;

/** What the webhook answers: allowed or not, the message of a denial, and admission warnings. */
public record Verdict(boolean allowed, String message, List<String> warnings) {
    public Verdict {
        warnings = List.copyOf(warnings);
    }

    public static Verdict allow() {
        return new Verdict(true, null, List.of());
    }

    public static Verdict deny(String message) {
        return new Verdict(false, message, List.of());
    }
}

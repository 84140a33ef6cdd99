package io.costguard.cost;

import io.costguard.prometheus.QueryOutcome.FailureKind;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the ledger can be trusted right now. {@code dataThrough} is the end of the newest complete hour of
 * compute cost. When not available, {@code reason} and {@code message} say why.
 */
public record DataStatus(
        boolean available, Optional<FailureKind> reason, String message, Optional<Instant> dataThrough, long cycle) {

    public static DataStatus notYetCollected() {
        return new DataStatus(
                false, Optional.empty(), "cost has not been read from Prometheus yet", Optional.empty(), 0);
    }

    public boolean collected() {
        return cycle > 0;
    }
}

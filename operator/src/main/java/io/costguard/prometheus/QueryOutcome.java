package io.costguard.prometheus;

import java.util.List;

/** What a Prometheus query gave: its series, or a typed reason why not. */
public sealed interface QueryOutcome {

    record Success(List<Series> series, long samples) implements QueryOutcome {}

    record Failure(FailureKind kind, String message) implements QueryOutcome {}

    /** Why a query gave no usable data. Each is reported as the DataAvailable condition's reason. */
    enum FailureKind {
        /** Connection refused, DNS failure, TLS failure. */
        Unreachable,
        /** No answer within the query timeout. */
        Timeout,
        /** Answered with an HTTP status other than 200 and no Prometheus error body. */
        HttpError,
        /** Prometheus rejected the query (bad_data, execution errors). */
        BadQuery,
        /** The query succeeded but returned no series. */
        NoData,
        /** The result held NaN or infinite values. */
        NaNValues,
        /** The newest sample is older than the staleness limit. */
        StaleData,
        /** The answer lacked cost for hours (or allocation keys in hours) that an earlier answer had. */
        MissingHours;

        /** The condition reason a status gives when its data failed this way (the same word). */
        public io.costguard.api.ConditionReason reason() {
            return io.costguard.api.ConditionReason.valueOf(name());
        }
    }

    static Failure failure(FailureKind kind, String message) {
        return new Failure(kind, message);
    }
}

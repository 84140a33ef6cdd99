package io.costguard.api;

/** Patterns shared by the costguard custom resources' schemas (compile-time constants, usable in annotations). */
public final class ApiPatterns {
    /** Prometheus duration: one or more number+unit pairs, e.g. 30s, 15m, 1h30m, 7d. */
    public static final String DURATION = "^([0-9]+(ms|s|m|h|d|w|y))+$";

    /** Non-negative decimal string without sign or exponent, e.g. "100", "0.062". */
    public static final String DECIMAL = "^[0-9]+(\\.[0-9]+)?$";

    /** A ratio between 0 and 1 as a decimal string, e.g. "0.002". */
    public static final String RATIO = "^(0(\\.[0-9]+)?|1(\\.0+)?)$";

    /** A percentage string, e.g. "10%". */
    public static final String PERCENT = "^[0-9]{1,4}(\\.[0-9]+)?%$";

    /** A non-negative Kubernetes resource quantity without exponent, e.g. 50m, "4", 64Mi, 8Gi. */
    public static final String QUANTITY = "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE])?$";

    /** An object name (RFC 1123 subdomain), e.g. a Deployment, ConfigMap or PerfBaseline in the same namespace. */
    public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** Workload kinds a PerfBaseline or BenchRun may target. */
    public static final String WORKLOAD_KIND = "^(Deployment|StatefulSet)$";

    private ApiPatterns() {}
}

package io.costguard.config;

/** How a shared cost is split across the values of an allocation key, hour by hour. */
public enum ShareDriver {
    /** In proportion to each value's own direct cost in the hour (OpenCost's default). */
    Weighted,
    /** Equally across the values that have direct cost in the hour. */
    Even,
    /** In proportion to a PromQL result per value; hours it returns nothing for fall back to {@link #Weighted}. */
    Query
}

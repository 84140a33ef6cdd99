package io.costguard.api;

/**
 * Where a PerfBaseline stands (its status.state). Precedence when several hold: Invalid > Unknown > SLOViolated >
 * Regressed > Healthy.
 */
public enum PerfState {
    Healthy,
    Regressed,
    SLOViolated,
    Unknown,
    Invalid
}

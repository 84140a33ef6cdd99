package io.costguard.api;

/** The condition types the kinds' status.conditions carry, written as the constant's name. */
public enum ConditionType {
    /** Every kind: the object was evaluated (False: invalid spec, no data, or a failed reconcile). */
    Ready,
    DataAvailable,
    DataComplete,
    ForecastAvailable,
    AnomalyDetected,
    Throttled,
    DeploysFrozen,
    SLOMet,
    Regressed,
    RightsizingApplied,
    Complete,
    CostAvailable,
    BaselineCompared,
    BaselineRecorded
}

package io.costguard.api;

/**
 * The reasons the kinds' status.conditions give, written as the constant's name (CamelCase, as Kubernetes asks).
 * Grouped by who writes them; a reason several kinds share is listed once.
 */
public enum ConditionReason {
    // every kind
    Valid,
    InvalidSpec,
    Evaluated,
    ReconcileError,
    DataUnavailable,
    NoBaseline,

    // a Prometheus query that failed (one for each of its failure kinds)
    Unreachable,
    Timeout,
    HttpError,
    BadQuery,
    NoData,
    NaNValues,
    StaleData,
    MissingHours,

    // CostBudget
    NotCollected,
    CostDataFresh,
    Forecast,
    InsufficientHistory,
    VolumeUnavailable,
    NoAnomaly,
    SpendAnomaly,
    Complete,
    MostlyComplete,
    FlagUpdateFailed,
    FlagsThrottled,
    NotThrottled,
    BudgetFreeze,
    NotFrozen,

    // PerfBaseline
    NotYetMeasured,
    NoTraffic,
    AmbiguousQuery,
    Measured,
    NoObjectives,
    ObjectivesMet,
    ObjectivesMissed,
    NoRegression,
    Regressed,
    FreezeNotRequested,
    NoSelectorLabels,

    // PerfBaseline rightsizing
    Off,
    UsageNotRead,
    UsageUnavailable,
    LowConfidence,
    RecommendOnly,
    UpToDate,
    Cooldown,
    Pending,
    Applied,
    ApplyFailed,
    Undone,
    NothingToUndo,

    // BenchRun: waiting to start
    WorkloadNotFound,
    ScriptNotFound,
    TargetBusy,
    PreviousRunNotGone,
    CachesLoading,

    // BenchRun: going
    Starting,
    Running,
    Collecting,
    Settling,
    Priced,
    IncompleteData,
    Compared,
    OtherWorkload,
    BaselineInvalid,
    BaselineNotFound,
    Recorded,

    // BenchRun: finished (Complete=True) and why a run ended in Error (Ready=False)
    Passed,
    Failed,
    Error,
    SpecChanged,
    JobNotCreated,
    JobDeleted,
    JobFailed,
    DeadlineExceeded,
    PodNotCreated,
    PodDeleted,
    PodFailed,
    ImagePullFailed,
    ContainerNotStarted,
    OOMKilled,
    ScriptError,
    K6Failed,
    SummaryMissing,
    SummaryTruncated,
    SummaryUnreadable,
    CostUnavailable
}

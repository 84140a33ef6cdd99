package io.costguard.kube;

/**
 * Objects per page when an informer lists a kind: while a cache fills, one page of answer is in memory at a time,
 * not every object of the kind (10,000 CostBudgets with status are about 22 MB of JSON in one answer).
 */
public final class ListPages {
    public static final long SIZE = 500;

    private ListPages() {}
}

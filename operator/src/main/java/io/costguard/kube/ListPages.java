package io.costguard.kube;

/**
 * Objects per page when an informer lists a kind: while a cache fills, one page of answer is in memory at a time,
 * not every object of the kind (10,000 CostBudgets with status are about 22 MB of JSON in one answer).
 */
public final class ListPages {
    public static final long SIZE = 500;

    /**
     * For kinds whose objects are big (workloads with their pod templates and last-applied annotations, ConfigMaps
     * holding scripts): 500 Deployments are 2 MB of JSON or more, and the JDK's HTTP client keeps the last answer of
     * each pooled connection reachable after the list is done (five such pages were 10 MB of a 190 MB live heap).
     */
    public static final long BIG_OBJECTS = 100;

    private ListPages() {}
}

package io.costguard.kube;

/**
 * The "namespace/name" key of an object, one string per object however many maps hold it. The operator keeps about
 * a dozen maps per CostBudget or PerfBaseline (informer store and its indexes, collectors, settled memos, gauges),
 * and a key built per map was a copy in each: 11.4 MB of copies at 20,000 objects. The JVM's string table holds the
 * canonical copy weakly, so a key no map holds any more goes with the last of them.
 */
public final class ObjectKeys {
    private ObjectKeys() {}

    /** "namespace/name", or the name alone for a cluster-scoped object (null namespace), as informers key them. */
    public static String of(String namespace, String name) {
        return (namespace == null || namespace.isEmpty() ? name : namespace + "/" + name).intern();
    }
}

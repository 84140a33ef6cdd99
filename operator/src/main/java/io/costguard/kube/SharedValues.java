package io.costguard.kube;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Keeps one copy of equal values that many cached objects carry (a namespace, a container's name and resources, a
 * selector): ten thousand workloads of a few shapes then hold a few shapes, not ten thousand copies. Values must not
 * be changed once shared. Weakly held: a value no cached object refers to any more is dropped with its last holder.
 */
public final class SharedValues {
    private final Map<Object, WeakReference<Object>> values = new WeakHashMap<>();

    /** The copy of {@code value} kept so far, or {@code value} itself, now kept; null for null. */
    @SuppressWarnings("unchecked")
    public synchronized <T> T of(T value) {
        if (value == null) {
            return null;
        }
        WeakReference<Object> known = values.get(value);
        Object kept = known == null ? null : known.get();
        if (kept != null) {
            return (T) kept;
        }
        values.put(value, new WeakReference<>(value));
        return value;
    }

    /** Distinct values kept (for tests). */
    synchronized int size() {
        return values.size();
    }
}

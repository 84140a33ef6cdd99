package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer store that keeps each object as a small record ({@code compact}) and rebuilds a lean object from it
 * when asked ({@code expand}): model objects carry empty lists and maps for every field, several kilobytes even when
 * stripped, where the record is the strings that are read.
 */
public final class CompactItemStore<R extends HasMetadata, E> implements ItemStore<R> {
    private final Map<String, E> entries = new ConcurrentHashMap<>();
    private final Function<R, E> compact;
    private final Function<E, R> expand;

    public CompactItemStore(Function<R, E> compact, Function<E, R> expand) {
        this.compact = compact;
        this.expand = expand;
    }

    @Override
    public String getKey(R resource) {
        return Cache.metaNamespaceKeyFunc(resource);
    }

    @Override
    public R put(String key, R resource) {
        return expanded(entries.put(key, compact.apply(resource)));
    }

    @Override
    public R remove(String key) {
        return expanded(entries.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return entries.keySet().stream();
    }

    @Override
    public Stream<R> values() {
        return entries.values().stream().map(expand);
    }

    @Override
    public R get(String key) {
        return expanded(entries.get(key));
    }

    /** Every compact record, without rebuilding the objects. */
    public Stream<E> entries() {
        return entries.values().stream();
    }

    /** The compact record kept for {@code key} ("namespace/name"), without rebuilding the object. */
    public E entry(String key) {
        return entries.get(key);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private R expanded(E entry) {
        return entry == null ? null : expand.apply(entry);
    }
}

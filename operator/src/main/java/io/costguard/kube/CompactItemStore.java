package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer store that keeps each object as a small record ({@code compact}) and rebuilds a lean object from it
 * when asked ({@code expand}): model objects carry empty lists and maps for every field, several kilobytes even when
 * stripped, where the record is the strings that are read.
 *
 * <p>Every version of an object that arrives is given the namespace and name strings of the record kept for it (and
 * a namespace's string is shared by its objects), so what the controllers keep per event (resource ids of timers and
 * states, map keys, metric labels) refers to one copy instead of one per update.
 */
public final class CompactItemStore<R extends HasMetadata, E extends CompactItemStore.Named> implements ItemStore<R> {
    private final Map<String, E> entries = new ConcurrentHashMap<>();
    private final SharedValues namespaces = new SharedValues();
    private final Function<R, E> compact;
    private final Function<E, R> expand;
    private final BiConsumer<R, R> handOn;

    /** A compact record that keeps its object's namespace and name (null namespace for a cluster-scoped object). */
    public interface Named {
        String namespace();

        String name();
    }

    public CompactItemStore(Function<R, E> compact, Function<E, R> expand) {
        this(compact, expand, null);
    }

    /**
     * As above; {@code handOn} then copies the lean object rebuilt from the record (first argument) into the object
     * that arrived (second), so that what the informer hands its event handlers is what the store keeps. The informer
     * queues its events with the object as parsed until the handlers take them; 10,000 listed Deployments waiting
     * for a busy handler were about 150 MB in a 256 MiB heap, and are a few MB as lean objects.
     */
    public CompactItemStore(Function<R, E> compact, Function<E, R> expand, BiConsumer<R, R> handOn) {
        this.compact = compact;
        this.expand = expand;
        this.handOn = handOn;
    }

    @Override
    public String getKey(R resource) {
        // the informer keys its store and its indexes with this: one string per object
        return ObjectKeys.of(
                resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }

    @Override
    public R put(String key, R resource) {
        ObjectMeta meta = resource.getMetadata();
        E known = entries.get(key);
        meta.setNamespace(
                known != null && Objects.equals(known.namespace(), meta.getNamespace())
                        ? known.namespace()
                        : namespaces.of(meta.getNamespace()));
        if (known != null && Objects.equals(known.name(), meta.getName())) {
            meta.setName(known.name());
        }
        E entry = compact.apply(resource);
        if (handOn != null) {
            handOn.accept(expand.apply(entry), resource);
        }
        return expanded(entries.put(key, entry));
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

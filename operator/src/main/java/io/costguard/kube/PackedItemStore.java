package io.costguard.kube;

import io.costguard.api.Readable;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The informer store of a costguard kind: each object is kept as its JSON bytes and parsed again when asked for. A
 * parsed CostBudget or PerfBaseline with its status is several times its JSON (every figure, time and condition field
 * is a String, every model object carries an empty map), and the controllers ask for an object only to reconcile it.
 * An object whose spec or status could not be read is kept as it is: its JSON would be an empty, readable part.
 */
public final class PackedItemStore<R extends HasMetadata> {
    private final KubernetesSerialization serialization;
    private final Class<R> type;
    private final Supplier<R> empty;
    private final CompactItemStore<R, Entry<R>> store;

    /** The identity a cycle reads without parsing, and the object as JSON (or as it is, when {@code kept}). */
    record Entry<R>(String namespace, String name, String resourceVersion, Long generation, byte[] json, R kept) {}

    public PackedItemStore(KubernetesSerialization serialization, Class<R> type, Supplier<R> empty) {
        this.serialization = serialization;
        this.type = type;
        this.empty = empty;
        this.store = new CompactItemStore<>(this::pack, this::unpack);
    }

    /** The store to give the controller's informer. */
    public CompactItemStore<R, ?> store() {
        return store;
    }

    /**
     * Every object with its metadata's namespace, name, resourceVersion and generation only, nothing parsed: what a
     * cycle needs to decide which objects to reconcile.
     */
    public Stream<R> identities() {
        return store.entries().map(e -> {
            R r = empty.get();
            ObjectMeta meta = new ObjectMeta();
            meta.setNamespace(e.namespace());
            meta.setName(e.name());
            meta.setResourceVersion(e.resourceVersion());
            meta.setGeneration(e.generation());
            r.setMetadata(meta);
            return r;
        });
    }

    private Entry<R> pack(R resource) {
        ObjectMeta meta = resource.getMetadata();
        boolean readable =
                !(resource instanceof CustomResource<?, ?> cr) || (readable(cr.getSpec()) && readable(cr.getStatus()));
        return new Entry<>(
                meta.getNamespace(),
                meta.getName(),
                meta.getResourceVersion(),
                meta.getGeneration(),
                readable ? serialization.asJson(resource).getBytes(StandardCharsets.UTF_8) : null,
                readable ? null : resource);
    }

    private static boolean readable(Object part) {
        return !(part instanceof Readable r) || r.unreadable() == null;
    }

    private R unpack(Entry<R> entry) {
        if (entry.kept() != null) {
            return entry.kept();
        }
        R r = serialization.unmarshal(new ByteArrayInputStream(entry.json()), type);
        // the same two strings in every copy, so what keys on them (event ids, metric labels, maps) shares them
        r.getMetadata().setNamespace(entry.namespace());
        r.getMetadata().setName(entry.name());
        return r;
    }
}

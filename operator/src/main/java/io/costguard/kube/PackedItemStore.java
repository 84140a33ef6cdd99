package io.costguard.kube;

import io.costguard.api.Readable;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The informer store of a costguard kind: each object is kept as its JSON bytes and parsed again when asked for. A
 * parsed CostBudget or PerfBaseline with its status is several times its JSON (every figure, time and condition field
 * is a String, every model object carries an empty map), and the controllers ask for an object only to reconcile it.
 * An object whose spec or status could not be read is kept as it is: its JSON would be an empty, readable part.
 *
 * <p>The JSON is kept deflated, with the first object stored as the preset dictionary: objects of one kind share
 * their field names, condition types and messages, so a 2 KB CostBudget with its status packs to a few hundred bytes
 * (docs/benchmarks.md: 43 MB of JSON at 20,000 objects). Packing and unpacking cost microseconds, next to the parse
 * that every unpack pays anyway.
 */
public final class PackedItemStore<R extends HasMetadata> {
    /** Deflate's window: a longer dictionary would not be read. */
    static final int DICTIONARY_BYTES = 32 * 1024;

    private final KubernetesSerialization serialization;
    private final Class<R> type;
    private final Supplier<R> empty;
    private final CompactItemStore<R, Entry<R>> store;
    /** The first object's JSON, set once; every entry is deflated against it. */
    private final AtomicReference<byte[]> dictionary = new AtomicReference<>();

    private final ThreadLocal<Deflater> deflaters =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private final ThreadLocal<Inflater> inflaters = ThreadLocal.withInitial(() -> new Inflater(true));

    /**
     * The identity a cycle reads without parsing, and the object as deflated JSON of {@code length} bytes (or as it
     * is, when {@code kept}).
     */
    record Entry<R>(
            String namespace, String name, String resourceVersion, Long generation, byte[] packed, int length, R kept)
            implements CompactItemStore.Named {}

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
        boolean readable = !(resource instanceof CustomResource<?, ?> cr)
                || (Readable.wasRead(cr.getSpec()) && Readable.wasRead(cr.getStatus()));
        byte[] json = readable ? serialization.asJson(resource).getBytes(StandardCharsets.UTF_8) : null;
        return new Entry<>(
                meta.getNamespace(),
                meta.getName(),
                meta.getResourceVersion(),
                meta.getGeneration(),
                json == null ? null : deflate(json),
                json == null ? 0 : json.length,
                readable ? null : resource);
    }

    private byte[] deflate(byte[] json) {
        byte[] dict = dictionary.updateAndGet(
                d -> d != null ? d : Arrays.copyOf(json, Math.min(json.length, DICTIONARY_BYTES)));
        Deflater deflater = deflaters.get();
        deflater.reset();
        deflater.setDictionary(dict);
        deflater.setInput(json);
        deflater.finish();
        byte[] out = new byte[json.length / 2 + 64];
        int n = 0;
        while (!deflater.finished()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            n += deflater.deflate(out, n, out.length - n);
        }
        return Arrays.copyOf(out, n);
    }

    private byte[] inflate(Entry<R> entry) {
        Inflater inflater = inflaters.get();
        inflater.reset();
        inflater.setDictionary(dictionary.get());
        inflater.setInput(entry.packed());
        byte[] json = new byte[entry.length()];
        try {
            int n = 0;
            while (n < json.length) {
                int read = inflater.inflate(json, n, json.length - n);
                if (read == 0 && (inflater.finished() || inflater.needsInput())) {
                    break;
                }
                n += read;
            }
            if (n != json.length) {
                throw new IllegalStateException(
                        "a packed " + type.getSimpleName() + " unpacked to " + n + " of " + json.length + " bytes");
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("a packed " + type.getSimpleName() + " cannot be unpacked", e);
        }
        return json;
    }

    /** Bytes the packed objects take, and what their JSON would. */
    long[] packedAndJsonBytes() {
        long[] sums = new long[2];
        store.entries().forEach(e -> {
            sums[0] += e.packed() == null ? 0 : e.packed().length;
            sums[1] += e.length();
        });
        return sums;
    }

    private R unpack(Entry<R> entry) {
        if (entry.kept() != null) {
            return entry.kept();
        }
        R r = serialization.unmarshal(new ByteArrayInputStream(inflate(entry)), type);
        // the same two strings in every copy, so what keys on them (event ids, metric labels, maps) shares them
        r.getMetadata().setNamespace(entry.namespace());
        r.getMetadata().setName(entry.name());
        return r;
    }
}

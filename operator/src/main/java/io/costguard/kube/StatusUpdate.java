package io.costguard.kube;

import com.fasterxml.jackson.annotation.JsonFilter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ser.impl.SimpleBeanPropertyFilter;
import com.fasterxml.jackson.databind.ser.impl.SimpleFilterProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The status write every reconciler ends with: nothing when the status did not change, else a patch of a fresh
 * object carrying only identity and status, so a status write never carries (or fights) the spec. A null requeue
 * leaves the resource alone until something changes.
 */
public final class StatusUpdate {
    /**
     * Status is compared as the JSON it would be sent as, written straight to bytes (no tree per reconcile); map
     * entries in key order so equal maps compare equal. Properties named in a filter are left out wherever they are.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(Object.class, Filtered.class);

    private static final String FILTER = "costguard-status-compare";
    private static final ObjectWriter ALL =
            JSON.writer(new SimpleFilterProvider().addFilter(FILTER, SimpleBeanPropertyFilter.serializeAll()));
    private static final Map<Set<String>, ObjectWriter> WITHOUT = new ConcurrentHashMap<>();

    @JsonFilter(FILTER)
    private interface Filtered {}

    private StatusUpdate() {}

    public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(
            R resource, S previous, S next, Supplier<R> fresh, Duration requeue) {
        return of(resource, previous, next, fresh, requeue, java.util.Set.of());
    }

    /**
     * As {@link #of}, where the status fields named in {@code othersWrite} belong to another writer: they do not count
     * as a change, and {@code next} should leave them unset so the patch does not carry them.
     */
    public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(
            R resource, S previous, S next, Supplier<R> fresh, Duration requeue, java.util.Set<String> othersWrite) {
        if (unchanged(previous, next, othersWrite)) {
            return noWrite(requeue);
        }
        R patch = statusPatch(resource, next, fresh);
        return requeue == null
                ? UpdateControl.patchStatus(patch)
                : UpdateControl.patchStatus(patch).rescheduleAfter(requeue);
    }

    /** No status write; reconcile again after {@code requeue} unless it is null. */
    public static <R extends HasMetadata> UpdateControl<R> noWrite(Duration requeue) {
        return requeue == null
                ? UpdateControl.noUpdate()
                : UpdateControl.<R>noUpdate().rescheduleAfter(requeue);
    }

    /** A fresh object carrying only the resource's identity and {@code status}: a status write that cannot touch the spec. */
    public static <S, R extends CustomResource<?, S>> R statusPatch(R resource, S status, Supplier<R> fresh) {
        R patch = fresh.get();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .withUid(resource.getMetadata().getUid())
                .build());
        patch.setStatus(status);
        return patch;
    }

    /** True when writing {@code next} over {@code previous} would change nothing (fields in {@code othersWrite} aside). */
    public static boolean unchanged(Object previous, Object next, Set<String> othersWrite) {
        return previous != null && Arrays.equals(comparable(next, othersWrite), comparable(previous, othersWrite));
    }

    /** The status as JSON bytes, without the properties in {@code ignored}; equal statuses give equal bytes. */
    static byte[] comparable(Object status, Set<String> ignored) {
        ObjectWriter writer = ignored.isEmpty()
                ? ALL
                : WITHOUT.computeIfAbsent(
                        Set.copyOf(ignored),
                        i -> JSON.writer(new SimpleFilterProvider()
                                .addFilter(FILTER, SimpleBeanPropertyFilter.serializeAllExcept(i))));
        try {
            return writer.writeValueAsBytes(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a status that cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}

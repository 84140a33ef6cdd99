package io.costguard.kube;

import com.fasterxml.jackson.annotation.JsonFilter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.ser.impl.SimpleBeanPropertyFilter;
import com.fasterxml.jackson.databind.ser.impl.SimpleFilterProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The status write every reconciler ends with: nothing when the status did not change, else a JSON Patch of the
 * status subresource naming only the top-level status fields that changed (server-side apply configured: JOSDK applies
 * a fresh object carrying only identity and status), so a status write never carries (or fights) the spec. A null
 * requeue leaves the resource alone until something changes.
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
            Context<R> context, R resource, S previous, S next, Supplier<R> fresh, Duration requeue) {
        return of(context, resource, previous, next, fresh, requeue, Set.of());
    }

    /**
     * As {@link #of}, where the status fields named in {@code othersWrite} belong to another writer: they do not count
     * as a change and are never written, so a newer value another writer put there stays.
     */
    public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(
            Context<R> context,
            R resource,
            S previous,
            S next,
            Supplier<R> fresh,
            Duration requeue,
            Set<String> othersWrite) {
        if (unchanged(previous, next, othersWrite)) {
            return noWrite(requeue);
        }
        return write(context, resource, next, fresh, requeue, othersWrite).control();
    }

    /**
     * A status write: {@code control} to return from the reconcile; {@code answer} the object as the server holds it
     * after the write, when this process wrote it (null when JOSDK writes it after the reconcile, or nothing needed
     * writing).
     */
    public record Written<R extends HasMetadata>(UpdateControl<R> control, R answer) {}

    /**
     * Writes {@code next} (the caller has found it changed): a JSON Patch of the fields that differ ({@link
     * #patchFields}), or, with server-side apply configured, JOSDK applies a fresh object carrying only identity and
     * the status without the fields in {@code othersWrite} (a field this manager never applies stays with the one that
     * writes it). Reconcile again after {@code requeue} unless it is null.
     */
    public static <S, R extends CustomResource<?, S>> Written<R> write(
            Context<R> context, R resource, S next, Supplier<R> fresh, Duration requeue, Set<String> othersWrite) {
        if (serverSideApply(context)) {
            R patch = statusPatch(
                    resource,
                    withoutFields(context.getClient().getKubernetesSerialization(), next, othersWrite),
                    fresh);
            return new Written<>(
                    requeue == null
                            ? UpdateControl.patchStatus(patch)
                            : UpdateControl.patchStatus(patch).rescheduleAfter(requeue),
                    null);
        }
        return new Written<>(noWrite(requeue), patchFields(context, resource, next, fresh, othersWrite));
    }

    /** {@code status} without the fields named (a copy; the status itself when none is named). */
    @SuppressWarnings("unchecked")
    static <S> S withoutFields(KubernetesSerialization serialization, S status, Set<String> fields) {
        if (fields.isEmpty() || status == null) {
            return status;
        }
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                serialization.convertValue(status, com.fasterxml.jackson.databind.node.ObjectNode.class);
        tree.remove(fields);
        return (S) serialization.convertValue(tree, status.getClass());
    }

    /** Whether JOSDK applies the primary's status server-side (configured); else status goes out as a JSON Patch. */
    public static boolean serverSideApply(Context<?> context) {
        return context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource();
    }

    /**
     * Writes {@code next} as a JSON Patch of the status subresource that replaces or removes only the top-level status
     * fields that differ from the status read ({@code resource}'s), through JOSDK's event filtering so the answer is
     * cached for the next reconcile and the write's own watch event does not trigger one. It costs a tree of the two
     * statuses instead of copies and a diff of the whole object, and never touches the fields in {@code othersWrite}.
     * The answer: the object as the server now holds it, or null when nothing needed writing.
     */
    public static <S, R extends CustomResource<?, S>> R patchFields(
            Context<R> context, R resource, S next, Supplier<R> fresh, Set<String> othersWrite) {
        String ops = ops(context.getClient().getKubernetesSerialization(), resource, next, othersWrite);
        if (ops == null) {
            return null;
        }
        return context.eventSourceRetriever()
                .getControllerEventSource()
                .eventFilteringUpdateAndCacheResource(resource, r -> send(context.getClient(), target(r, fresh), ops));
    }

    /** The JSON Patch from {@code resource}'s status to {@code next} as text; null when there is nothing to write. */
    static <S, R extends CustomResource<?, S>> String ops(
            KubernetesSerialization serialization, R resource, S next, Set<String> othersWrite) {
        JsonNode read =
                resource.getStatus() == null ? null : serialization.convertValue(resource.getStatus(), JsonNode.class);
        ArrayNode ops = StatusPatchOps.between(read, serialization.convertValue(next, JsonNode.class), othersWrite);
        return ops.isEmpty() ? null : ops.toString();
    }

    /** Sends {@code ops} to {@code target}'s status subresource; the answer is the object as the server has it. */
    static <R extends HasMetadata> R send(KubernetesClient client, R target, String ops) {
        // an object in hand names the target: by name alone the client GETs the object first, and it copies the
        // object it is given, so that object carries the name and namespace only
        return client.resource(target).subresource("status").patch(PatchContext.of(PatchType.JSON), ops);
    }

    /** A fresh object carrying only {@code resource}'s name and namespace: what a patch needs to find it. */
    static <R extends HasMetadata> R target(R resource, Supplier<R> fresh) {
        R target = fresh.get();
        target.setMetadata(new ObjectMetaBuilder()
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .build());
        return target;
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

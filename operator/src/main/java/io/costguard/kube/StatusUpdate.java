package io.costguard.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The status write every reconciler ends with: nothing when the status did not change, else a patch of a fresh
 * object carrying only identity and status, so a status write never carries (or fights) the spec. A null requeue
 * leaves the resource alone until something changes.
 */
public final class StatusUpdate {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusUpdate() {}

  public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(R resource, S previous, S next, Supplier<R> fresh,
      Duration requeue) {
    return of(resource, previous, next, fresh, requeue, java.util.Set.of());
  }

  /**
   * As {@link #of}, where the status fields named in {@code othersWrite} belong to another writer: they do not count
   * as a change, and {@code next} should leave them unset so the patch does not carry them.
   */
  public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(R resource, S previous, S next, Supplier<R> fresh,
      Duration requeue, java.util.Set<String> othersWrite) {
    if (comparable(next, othersWrite).equals(previous == null ? null : comparable(previous, othersWrite))) {
      return requeue == null ? UpdateControl.noUpdate() : UpdateControl.<R>noUpdate().rescheduleAfter(requeue);
    }
    R patch = fresh.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .withUid(resource.getMetadata().getUid())
        .build());
    patch.setStatus(next);
    return requeue == null ? UpdateControl.patchStatus(patch) : UpdateControl.patchStatus(patch).rescheduleAfter(requeue);
  }

  private static com.fasterxml.jackson.databind.JsonNode comparable(Object status, java.util.Set<String> ignored) {
    com.fasterxml.jackson.databind.JsonNode tree = JSON.valueToTree(status);
    if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      o.remove(ignored);
    }
    return tree;
  }
}

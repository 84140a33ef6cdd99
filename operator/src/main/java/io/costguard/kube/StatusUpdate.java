package io.costguard.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The status write every reconciler ends with: nothing when the status did not change, else a patch of a fresh
 * object carrying only identity and status, so a status write never carries (or fights) the spec.
 */
public final class StatusUpdate {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusUpdate() {}

  public static <S, R extends CustomResource<?, S>> UpdateControl<R> of(R resource, S previous, S next, Supplier<R> fresh,
      Duration requeue) {
    if (JSON.valueToTree(next).equals(previous == null ? null : JSON.valueToTree(previous))) {
      return UpdateControl.<R>noUpdate().rescheduleAfter(requeue);
    }
    R patch = fresh.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .withUid(resource.getMetadata().getUid())
        .build());
    patch.setStatus(next);
    return UpdateControl.patchStatus(patch).rescheduleAfter(requeue);
  }
}

package io.costguard.testing;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * A test's own edit of an object a running reconciler also writes. fabric8's edit is a read-modify-write guarded by
 * resourceVersion, so it can lose a race with the operator's status patch and get 409 Conflict; a person (or kubectl)
 * reads again and retries, and so does this.
 */
public final class Edits {
  private static final int ATTEMPTS = 20;

  private Edits() {}

  public static <T> T retryingOnConflict(Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}

package io.costguard.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * Read-modify-write that loses a race reads again and retries. fabric8's edit and editStatus send the resourceVersion
 * they read, so a write by someone else in between ends in 409 Conflict, and the client itself does not retry those.
 * Only for edits that set fields of their own: the retry re-reads, so whatever the other writer changed is kept.
 */
public final class Conflicts {
    public static final int ATTEMPTS = 5;

    private Conflicts() {}

    public static <T> T retry(Supplier<T> edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return edit.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}

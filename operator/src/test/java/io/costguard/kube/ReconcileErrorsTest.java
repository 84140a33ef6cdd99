package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcileErrorsTest {
    static RetryInfo attempt(int n, boolean last) {
        return new RetryInfo() {
            @Override
            public int getAttemptCount() {
                return n;
            }

            @Override
            public boolean isLastAttempt() {
                return last;
            }
        };
    }

    @Test
    void oneLineWithoutTypeNamesOrCredentials() {
        Exception e = new IllegalStateException(
                "java.net.ConnectException: Connection refused to https://admin:s3cret@api.example:6443/apis\n"
                        + "\tat some.Frame(Frame.java:1)");
        String m = ReconcileErrors.message(e, Optional.of(attempt(2, false)));
        assertThat(m)
                .isEqualTo(
                        "reconcile failed: Connection refused to https://***@api.example:6443/apis (failed again after 2 retries; retrying with backoff)");
    }

    @Test
    void theLastAttemptSaysWhatComesNext() {
        assertThat(ReconcileErrors.message(new RuntimeException("boom"), Optional.of(attempt(5, true))))
                .isEqualTo(
                        "reconcile failed: boom (retries used up; the next try comes with the next change or resync)");
        assertThat(ReconcileErrors.message(new RuntimeException("boom"), Optional.of(attempt(0, false))))
                .isEqualTo("reconcile failed: boom (retrying with backoff)");
    }

    @Test
    void aFailureWithoutMessageSaysWhereToLook() {
        assertThat(ReconcileErrors.describe(new NullPointerException()))
                .isEqualTo("an unexpected failure (the operator log has the details)");
        assertThat(ReconcileErrors.describe(new UncheckedIOException(null, new ConnectException("connection reset"))))
                .isEqualTo("connection reset");
    }

    @Test
    void longMessagesAreCut() {
        String m = ReconcileErrors.describe(new RuntimeException("x".repeat(1000)));
        assertThat(m).hasSize(ReconcileErrors.MAX_MESSAGE + 1).endsWith("…");
    }
}

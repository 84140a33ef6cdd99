package io.costguard.kube;

import io.costguard.api.ConditionReason;
import io.costguard.config.Redaction;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reconcile that threw leaves behind, for every kind: {@code Ready=False} with reason {@code ReconcileError}
 * and a one-line message that says what failed and where the retry stands, a Warning Event with the same reason
 * (once per distinct message), one log line. The status keeps everything else as it was: a failed reconcile
 * decided nothing, so it undoes nothing. JOSDK's retry and backoff go on as configured.
 */
public final class ReconcileErrors {
    static final int MAX_MESSAGE = 300;
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileErrors.class);
    // a Java type name in front of a message ("java.net.ConnectException: ...") says nothing to a user
    private static final Pattern TYPE_NAME =
            Pattern.compile("\\b(?:[a-z_$][a-z0-9_$]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error):?\\s*");

    private final EventRecorder events;
    private final Clock clock;

    public ReconcileErrors(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** How a kind's status holds its conditions. */
    public record StatusShape<S>(
            Supplier<S> empty, Function<S, List<Condition>> conditions, BiConsumer<S, List<Condition>> setConditions) {}

    /**
     * The status patch for {@code resource} after {@code failure}: its current status with Ready=False/ReconcileError.
     * The Event and the log line are best effort: the API that failed the reconcile may fail them too.
     */
    public <S, R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> report(
            R resource, Optional<RetryInfo> retry, Exception failure, StatusShape<S> shape, Supplier<R> fresh) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String message = message(failure, retry);
        String id = resource.getMetadata().getNamespace() + "/"
                + resource.getMetadata().getName();
        LOG.warn("{} {}: {}", resource.getKind().toLowerCase(Locale.ROOT), id, message);
        try {
            events.once(
                    resource,
                    "reconcile-error-" + Integer.toHexString(describe(failure).hashCode()),
                    EventRecorder.Type.Warning,
                    ConditionReason.ReconcileError.name(),
                    message,
                    now);
        } catch (RuntimeException e) {
            LOG.debug("{} reconcile error event not recorded: {}", id, describe(e));
        }
        S status = resource.getStatus() == null ? shape.empty().get() : resource.getStatus();
        Long generation = resource.getMetadata().getGeneration();
        shape.setConditions()
                .accept(
                        status,
                        io.costguard.status.Conditions.with(
                                shape.conditions().apply(status),
                                io.costguard.api.ConditionType.Ready,
                                false,
                                ConditionReason.ReconcileError,
                                message,
                                generation,
                                now));
        return ErrorStatusUpdateControl.patchStatus(StatusUpdate.statusPatch(resource, status, fresh));
    }

    /** The condition message: what failed, in one line without Java type names or credentials, and the retry. */
    static String message(Exception failure, Optional<RetryInfo> retry) {
        String what = describe(failure);
        // JOSDK counts the retries made so far: 0 on the first failure
        String next = retry.map(r -> r.isLastAttempt()
                        ? "retries used up; the next try comes with the next change or resync"
                        : r.getAttemptCount() == 0
                                ? "retrying with backoff"
                                : "failed again after " + r.getAttemptCount()
                                        + (r.getAttemptCount() == 1 ? " retry" : " retries")
                                        + "; retrying with backoff")
                .orElse("retrying with backoff");
        return "reconcile failed: " + what + " (" + next + ")";
    }

    /** The failure in one line: the outermost message that says something, its first line, types and credentials out. */
    static String describe(Throwable failure) {
        String text = null;
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getMessage();
                break;
            }
        }
        if (text == null) {
            return "an unexpected failure (the operator log has the details)";
        }
        String line = text.strip().lines().findFirst().orElse("");
        // the API client appends the whole Status object as Java's toString; its message is already in the text before
        int status = line.indexOf(". Received status: ");
        if (status > 0) {
            line = line.substring(0, status + 1);
        }
        line = Redaction.text(TYPE_NAME.matcher(line).replaceAll("")).strip();
        if (line.isEmpty()) {
            return "an unexpected failure (the operator log has the details)";
        }
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "…" : line;
    }
}

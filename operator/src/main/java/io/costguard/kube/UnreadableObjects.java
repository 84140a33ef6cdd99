package io.costguard.kube;

import io.costguard.api.Readable;
import io.costguard.api.SpecProblem;
import io.costguard.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects of costguard's kinds whose spec or status this version cannot read (see {@link io.costguard.api.TolerantReading}):
 * each is reported once per problem, with a log line naming it and the field, a Warning Event on it, and the gauge
 * {@code costguard_unreadable_objects} by kind and namespace. The reconcilers skip them; everything else goes on.
 */
public final class UnreadableObjects {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadableObjects.class);
    public static final String EVENT = "UnreadableObject";

    /** What a reconciler does with the object. */
    public enum Verdict {
        /** Spec and status were read. */
        READABLE,
        /** The spec was not: the validator reports it as Invalid in status, and nothing else happens. */
        SPEC,
        /** The status was not: the object is left alone (its recorded actions are unknown, so none is repeated or undone). */
        STATUS
    }

    private record Key(String kind, String namespace, String name) {}

    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Clock clock;
    private final Map<Key, SpecProblem> reported = new ConcurrentHashMap<>();

    public UnreadableObjects(EventRecorder events, OperatorMetrics metrics, Clock clock) {
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Verdict check(CustomResource<? extends Readable, ? extends Readable> resource) {
        Key key = key(resource);
        SpecProblem problem =
                resource.getSpec() == null ? null : resource.getSpec().unreadable();
        Verdict verdict = Verdict.SPEC;
        if (problem == null && resource.getStatus() != null) {
            problem = resource.getStatus().unreadable();
            verdict = Verdict.STATUS;
        }
        if (problem == null) {
            forget(resource);
            return Verdict.READABLE;
        }
        if (!problem.equals(reported.put(key, problem))) {
            String what = verdict == Verdict.SPEC
                    ? "it is Invalid until the spec is fixed"
                    : "it is left alone until its status is readable";
            LOG.warn("{} {}/{} cannot be read: {}; {}", key.kind(), key.namespace(), key.name(), problem, what);
            count(key);
            try {
                events.once(
                        resource,
                        "unreadable-" + Integer.toHexString(problem.hashCode()),
                        EventRecorder.Type.Warning,
                        EVENT,
                        key.kind() + " " + key.name() + " cannot be read by this costguard version: " + problem + "; "
                                + what,
                        clock.instant());
            } catch (KubernetesClientException e) {
                LOG.warn(
                        "could not record the Event about {} {}/{}: {}",
                        key.kind(),
                        key.namespace(),
                        key.name(),
                        e.getMessage());
            }
        }
        return verdict;
    }

    /** The object is gone or readable again. */
    public void forget(CustomResource<?, ?> resource) {
        Key key = key(resource);
        if (reported.remove(key) != null) {
            LOG.info("{} {}/{} is readable again or gone", key.kind(), key.namespace(), key.name());
            count(key);
        }
    }

    private void count(Key key) {
        long n = reported.keySet().stream()
                .filter(k -> k.kind().equals(key.kind()) && Objects.equals(k.namespace(), key.namespace()))
                .count();
        metrics.unreadable(key.kind(), key.namespace(), n);
    }

    private static Key key(CustomResource<?, ?> r) {
        return new Key(
                r.getClass().getSimpleName(),
                r.getMetadata().getNamespace(),
                r.getMetadata().getName());
    }
}

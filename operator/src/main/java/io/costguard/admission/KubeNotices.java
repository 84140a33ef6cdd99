package io.costguard.admission;

import io.costguard.kube.EventRecorder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records admission notices as Events on the admitted object, off the request path: a review never waits for the
 * API server. Under a flood the queue drops Events rather than memory or latency (the metrics still count).
 */
public final class KubeNotices implements AdmissionNotices, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeNotices.class);

    private final EventRecorder events;
    private final Clock clock;
    private final ExecutorService sender =
            new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), r -> {
                Thread t = new Thread(r, "costguard-admission-events");
                t.setDaemon(true);
                return t;
            });

    public KubeNotices(EventRecorder events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void breakGlassUsed(AdmissionRequest r, String reason, String message) {
        String uid = r.uid().length() > 8 ? r.uid().substring(0, 8) : r.uid();
        send(r, "break-glass-" + uid, EventRecorder.Type.Warning, "BreakGlassUsed", message);
    }

    @Override
    public void labelsMissing(AdmissionRequest r, String message) {
        send(r, "missing-allocation-labels", EventRecorder.Type.Warning, "MissingAllocationLabels", message);
    }

    private void send(AdmissionRequest r, String key, EventRecorder.Type type, String reason, String message) {
        // the webhook declares sideEffects NoneOnDryRun: a dry run never writes
        if (r.dryRun() || r.object() == null) {
            return;
        }
        String name = r.object().path("metadata").path("name").asText(r.name());
        if (name == null || name.isEmpty() || r.namespace().isEmpty()) {
            return;
        }
        GenericKubernetesResource about = new GenericKubernetesResource();
        var scaled = "scale".equals(r.subResource()) && r.review() != null
                ? Workloads.scalableKind(r.resource())
                : java.util.Optional.<Workloads.Kind>empty();
        if (scaled.isPresent()) {
            // a Scale shares its workload's name and uid: the Event belongs on the workload
            String version =
                    r.review().path("request").path("resource").path("version").asText("v1");
            about.setApiVersion(scaled.get().group() + "/" + version);
            about.setKind(scaled.get().kind());
        } else {
            about.setApiVersion(r.object()
                    .path("apiVersion")
                    .asText(r.group().isEmpty() ? r.version() : r.group() + "/" + r.version()));
            about.setKind(r.kind());
        }
        about.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(r.namespace())
                .withUid(r.object().path("metadata").path("uid").asText(null))
                .build());
        try {
            sender.execute(() -> {
                try {
                    events.once(about, key, type, reason, message, clock.instant());
                } catch (RuntimeException e) {
                    LOG.debug("event {} on {} not recorded: {}", reason, r.describe(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("event queue full; {} on {} dropped", reason, r.describe());
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}

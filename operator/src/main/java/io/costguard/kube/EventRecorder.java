package io.costguard.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes Kubernetes Events about our resources. An event with a key is created under a name derived from
 * that key, so delivering it twice (after a restart between "recorded" and "done") creates it once.
 */
public final class EventRecorder {
    public static final String COMPONENT = "costguard";

    private final KubernetesClient client;
    private final String instance;

    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance;
    }

    public enum Type {
        Normal,
        Warning
    }

    /**
     * Creates the event named {@code <object>.<key>}; returns false when it already existed (delivered before).
     * Other API failures propagate so the reconcile is retried.
     */
    public boolean once(HasMetadata about, String key, Type type, String reason, String message, Instant now) {
        String name = (about.getMetadata().getName() + "." + key)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9.-]", "-");
        if (name.length() > 253) {
            name = name.substring(0, 253);
        }
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(about.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(about.getMetadata().getName())
                        .withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid())
                        .build())
                .withType(type.name())
                .withReason(reason)
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent("costguard.io/operator")
                .withReportingInstance(instance)
                .build();
        try {
            client.v1()
                    .events()
                    .inNamespace(about.getMetadata().getNamespace())
                    .resource(event)
                    .create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }
}

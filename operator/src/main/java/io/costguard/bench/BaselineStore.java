package io.costguard.bench;

import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.RecordedBaseline;
import io.costguard.kube.Conflicts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Reads the PerfBaseline a BenchRun compares with, and records a passing run's results in its status. */
public final class BaselineStore {
    private final KubernetesClient client;

    public BaselineStore(KubernetesClient client) {
        this.client = client;
    }

    public Optional<PerfBaseline> get(String namespace, String name) {
        return Optional.ofNullable(client.resources(PerfBaseline.class)
                .inNamespace(namespace)
                .withName(name)
                .get());
    }

    /**
     * Sets status.recordedBaseline and nothing else: a JSON patch computed against the PerfBaseline as read just now,
     * so the PerfBaseline reconciler's own status fields are left as they are. The same values twice change nothing.
     * A status write by that reconciler in between (409 Conflict) means read again and patch again.
     */
    public void record(String namespace, String name, RecordedBaseline recorded) {
        Conflicts.retry(() -> client.resources(PerfBaseline.class)
                .inNamespace(namespace)
                .withName(name)
                .editStatus(pb -> {
                    if (pb.getStatus() == null) {
                        pb.setStatus(new PerfBaselineStatus());
                    }
                    pb.getStatus().recordedBaseline = recorded;
                    return pb;
                }));
    }
}

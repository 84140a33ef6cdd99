package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * Triggers reconciles of the primaries another controller's informer maps a change to: a BenchRun waits for the
 * workload the PerfBaseline controller's cache holds, without a second cache of the same objects.
 */
public final class RelayEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    public RelayEventSource(String name) {
        super(Void.class, name);
    }

    public void fire(Set<ResourceID> primaries) {
        if (isRunning()) {
            primaries.forEach(id -> getEventHandler().handleEvent(new Event(id)));
        }
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }
}

package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Triggers a reconcile of every primary resource when told: after each collection cycle (cost or performance), so all
 * resources of a kind see new data at once, or when a BenchRun target frees up. {@code subscribe} registers the
 * callback with whatever tells.
 */
public final class CycleEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    public CycleEventSource(String name, Consumer<Runnable> subscribe, Cache<P> primaries) {
        super(Void.class, name);
        subscribe.accept(() -> {
            if (isRunning()) {
                primaries.keys().forEach(id -> getEventHandler().handleEvent(new Event(id)));
            }
        });
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }
}

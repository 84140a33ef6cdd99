package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Triggers a reconcile of the primary resources when told: after each collection cycle (cost or performance), so all
 * resources of a kind see new data at once, or when a BenchRun target frees up. {@code subscribe} registers the
 * callback with whatever tells; {@code due} picks the resources to trigger (the others' last reconcile saw the same
 * inputs) and {@code skipped} hears how many were left out.
 */
public final class CycleEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
    public CycleEventSource(String name, Consumer<Runnable> subscribe, Supplier<Stream<P>> primaries) {
        this(name, subscribe, primaries, p -> true, n -> {});
    }

    public CycleEventSource(
            String name,
            Consumer<Runnable> subscribe,
            Supplier<Stream<P>> primaries,
            Predicate<P> due,
            IntConsumer skipped) {
        this(name, subscribe, primaries, due, p -> {}, skipped);
    }

    /** As above, and {@code leftAlone} hears each resource left out, in the cycle's thread. */
    public CycleEventSource(
            String name,
            Consumer<Runnable> subscribe,
            Supplier<Stream<P>> primaries,
            Predicate<P> due,
            Consumer<P> leftAlone,
            IntConsumer skipped) {
        super(Void.class, name);
        subscribe.accept(() -> {
            if (isRunning()) {
                int[] left = {0};
                primaries.get().forEach(p -> {
                    if (due.test(p)) {
                        getEventHandler().handleEvent(new Event(ResourceID.fromResource(p)));
                    } else {
                        leftAlone.accept(p);
                        left[0]++;
                    }
                });
                skipped.accept(left[0]);
            }
        });
    }

    @Override
    public Set<Void> getSecondaryResources(P primary) {
        return Set.of();
    }
}

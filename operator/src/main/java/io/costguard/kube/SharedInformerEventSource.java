package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * An informer event source of one controller whose changes other controllers may follow too ({@link #follow}), so
 * one cache serves them all. {@code changed} decides which updates count (old, new), for its own controller and the
 * followers alike.
 */
public final class SharedInformerEventSource<R extends HasMetadata, P extends HasMetadata>
        extends InformerEventSource<R, P> {
    private final List<Consumer<R>> followers = new CopyOnWriteArrayList<>();
    private final BiPredicate<R, R> changed;

    public SharedInformerEventSource(
            InformerEventSourceConfiguration<R> configuration,
            EventSourceContext<P> context,
            BiPredicate<R, R> changed) {
        super(configuration, context);
        this.changed = changed;
    }

    public void follow(Consumer<R> follower) {
        followers.add(follower);
    }

    @Override
    public void onAdd(R resource) {
        super.onAdd(resource);
        followers.forEach(f -> f.accept(resource));
    }

    @Override
    public void onUpdate(R before, R after) {
        super.onUpdate(before, after);
        if (changed.test(before, after)) {
            followers.forEach(f -> f.accept(after));
        }
    }

    @Override
    public synchronized void onDelete(R resource, boolean unknownFinalState) {
        super.onDelete(resource, unknownFinalState);
        followers.forEach(f -> f.accept(resource));
    }
}

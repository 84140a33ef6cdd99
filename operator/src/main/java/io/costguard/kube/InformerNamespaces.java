package io.costguard.kube;

import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Set;

/**
 * The namespaces to give lean informers, one informer each: an item store cannot be shared by the per-namespace
 * informers JOSDK would create (one namespace's re-list would delete the others' entries). {@link #ALL} stands for
 * a single informer over every namespace.
 */
public final class InformerNamespaces {
    public static final String ALL = "";

    private InformerNamespaces() {}

    public static Set<String> of(EventSourceContext<?> context) {
        Set<String> effective = context.getControllerConfiguration().getEffectiveNamespaces();
        return InformerConfiguration.allNamespacesWatched(effective) ? Set.of(ALL) : Set.copyOf(effective);
    }
}

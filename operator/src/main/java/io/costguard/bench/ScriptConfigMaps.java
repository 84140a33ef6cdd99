package io.costguard.bench;

import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRun;
import io.costguard.kube.InformerNamespaces;
import io.costguard.kube.LeanObjects;
import io.costguard.kube.ListPages;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The ConfigMaps BenchRuns take their k6 scripts from, as an informer cache of their key names only (values are
 * mounted into the k6 pod, never read here): a waiting run starts when its script's ConfigMap or key appears,
 * without asking the API again and again.
 */
final class ScriptConfigMaps {
    private static final String BY_SCRIPT = "costguard-script";

    /** Per namespace, or one entry {@link InformerNamespaces#ALL}. */
    private final Map<String, InformerEventSource<ConfigMap, BenchRun>> caches = new ConcurrentHashMap<>();

    /** The ConfigMap a run that has not started yet waits for (its script's), if any. */
    static Optional<String> waitingFor(BenchRun run) {
        var s = run.getSpec();
        if (s == null
                || s.load == null
                || s.load.script == null
                || s.load.script.configMapRef == null
                || s.load.script.configMapRef.name == null) {
            return Optional.empty();
        }
        String phase = run.getStatus() == null ? null : run.getStatus().phase;
        if (phase != null && !BenchPhase.Pending.is(phase)) {
            return Optional.empty();
        }
        return Optional.of(run.getMetadata().getNamespace() + "/" + s.load.script.configMapRef.name);
    }

    List<EventSource<?, BenchRun>> eventSources(EventSourceContext<BenchRun> context) {
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(BY_SCRIPT, r -> waitingFor(r).map(List::of).orElse(List.of()));
        List<EventSource<?, BenchRun>> sources = new ArrayList<>();
        for (String ns : InformerNamespaces.of(context)) {
            var config = InformerEventSourceConfiguration.from(ConfigMap.class, BenchRun.class)
                    .withName("benchrun-scripts" + (ns.isEmpty() ? "" : "-" + ns));
            if (!ns.isEmpty()) {
                config = config.withNamespaces(Set.of(ns));
            }
            var source = new InformerEventSource<>(
                    config.withItemStore(new io.costguard.kube.CompactItemStore<>(
                                    LeanObjects::compact, LeanObjects::configMap, LeanObjects::handOn))
                            .withInformerListLimit(ListPages.BIG_OBJECTS)
                            .withOnUpdateFilter((after, before) -> !Objects.equals(keys(after), keys(before)))
                            .withSecondaryToPrimaryMapper(cm -> primaries
                                    .byIndex(
                                            BY_SCRIPT,
                                            cm.getMetadata().getNamespace() + "/"
                                                    + cm.getMetadata().getName())
                                    .stream()
                                    .map(ResourceID::fromResource)
                                    .collect(Collectors.toSet()))
                            .build(),
                    context);
            caches.put(ns, source);
            sources.add(source);
        }
        return sources;
    }

    private static Set<String> keys(ConfigMap c) {
        return c.getData() == null ? Set.of() : c.getData().keySet();
    }

    boolean loaded() {
        return !caches.isEmpty() && caches.values().stream().allMatch(InformerEventSource::isRunning);
    }

    /** The ConfigMap's data keys (values empty), or empty when it does not exist. */
    Optional<ConfigMap> get(String namespace, String name) {
        var source =
                caches.containsKey(InformerNamespaces.ALL) ? caches.get(InformerNamespaces.ALL) : caches.get(namespace);
        if (source == null) {
            throw new IllegalStateException(
                    caches.isEmpty()
                            ? "the script caches are not registered (ScriptConfigMaps.eventSources)"
                            : "namespace " + namespace + " is not watched");
        }
        return source.get(new ResourceID(name, namespace));
    }
}

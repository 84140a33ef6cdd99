package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.kube.CompactItemStore;
import io.costguard.kube.ListPages;
import io.costguard.kube.SharedValues;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workloads {@code /scale} requests scale, kept in memory on every replica: one informer per checked kind that
 * has a scale subresource (per watched namespace when the operator is limited to some). Each informer's store keeps,
 * per namespace/name, only what the freeze reads (pod-template labels, whether a controller owns the object, its
 * break-glass annotations) and the resourceVersion the informer compares, never the objects themselves.
 */
public final class WorkloadCache implements ScaleTarget.Lookup, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadCache.class);

    /** One informer: its kind, its namespace (null: all), its lean store. */
    private record Watch(
            Workloads.Kind kind,
            String namespace,
            CompactItemStore<GenericKubernetesResource, Entry> store,
            SharedIndexInformer<GenericKubernetesResource> informer) {}

    private final List<Watch> watches = new ArrayList<>();
    private final Set<String> watchNamespaces;

    public WorkloadCache(KubernetesClient client, Workloads workloads, Set<String> watchNamespaces) {
        this.watchNamespaces = Set.copyOf(watchNamespaces);
        ObjectMapper mapper = new ObjectMapper();
        for (Workloads.Kind kind : workloads.scalable()) {
            ResourceDefinitionContext ctx;
            try {
                ctx = WorkloadLister.context(client, kind);
            } catch (RuntimeException e) {
                LOG.warn(
                        "cannot discover the API of {}: /scale of it in a frozen namespace is denied until the operator restarts ({})",
                        kind.kind(),
                        e.getMessage());
                continue;
            }
            if (ctx == null) {
                LOG.info(
                        "{} is not installed: its /scale is not judged (restart the operator after installing it)",
                        kind.kind());
                continue;
            }
            for (String ns : this.watchNamespaces.isEmpty()
                    ? java.util.Collections.<String>singletonList(null)
                    : this.watchNamespaces) {
                CompactItemStore<GenericKubernetesResource, Entry> store = store(kind, mapper);
                var resources = client.genericKubernetesResources(ctx);
                // listed 100 at a time, so a cluster with many ReplicaSets is never held whole while the store thins it
                SharedIndexInformer<GenericKubernetesResource> informer = (ns == null
                                ? resources.inAnyNamespace().withLimit(ListPages.BIG_OBJECTS)
                                : resources.inNamespace(ns).withLimit(ListPages.BIG_OBJECTS))
                        .runnableInformer(0);
                informer.itemStore(store);
                informer.start().whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warn(
                                "cannot watch {} objects{}: /scale of them in a frozen namespace is denied until it can ({})",
                                kind.kind(),
                                ns == null ? "" : " in " + ns,
                                e.getMessage());
                    }
                });
                watches.add(new Watch(kind, ns, store, informer));
            }
        }
    }

    @Override
    public ScaleTarget find(Workloads.Kind kind, String namespace, String name) {
        List<Watch> ofKind = watches.stream().filter(w -> w.kind().equals(kind)).toList();
        if (ofKind.isEmpty()) {
            return new ScaleTarget.Unknown(
                    "costguard does not watch " + kind.kind() + " objects: its API was not available when it started");
        }
        Watch watch = ofKind.stream()
                .filter(w -> w.namespace() == null || w.namespace().equals(namespace))
                .findFirst()
                .orElse(null);
        if (watch == null) {
            return new ScaleTarget.Unknown("costguard watches " + kind.kind() + " objects only in " + watchNamespaces);
        }
        if (!watch.informer().hasSynced()) {
            return new ScaleTarget.Unknown("its cache of " + kind.kind() + " objects is still loading");
        }
        Entry entry = watch.store().entry(namespace + "/" + name);
        return entry != null
                ? entry.target()
                : new ScaleTarget.Unknown(kind.kind() + " " + namespace + "/" + name + " is not in its cache yet");
    }

    /** Objects held across all informers, for tests and sizing. */
    int size() {
        return watches.stream().mapToInt(w -> w.store().size()).sum();
    }

    @Override
    public void close() {
        watches.forEach(w -> w.informer().close());
    }

    /** What the webhook reads of a scaled workload: a few hundred bytes instead of the object. */
    private record Entry(String namespace, String name, String resourceVersion, ScaleTarget.Known target)
            implements CompactItemStore.Named {
        GenericKubernetesResource resource() {
            GenericKubernetesResource r = new GenericKubernetesResource();
            r.setMetadata(new ObjectMetaBuilder()
                    .withNamespace(namespace)
                    .withName(name)
                    .withResourceVersion(resourceVersion)
                    .build());
            return r;
        }
    }

    private static CompactItemStore<GenericKubernetesResource, Entry> store(Workloads.Kind kind, ObjectMapper mapper) {
        // pod labels repeat across workloads (keys always, values often, whole sets in templated apps): kept once
        SharedValues shared = new SharedValues();
        return new CompactItemStore<>(r -> entry(r, kind, mapper, shared), Entry::resource);
    }

    private static Entry entry(
            GenericKubernetesResource r, Workloads.Kind kind, ObjectMapper mapper, SharedValues shared) {
        JsonNode object = mapper.valueToTree(r);
        JsonNode annotations = object.path("metadata").path("annotations");
        Map<String, String> labels = new HashMap<>();
        Workloads.template(object, kind)
                .path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(l ->
                        labels.put(shared.of(l.getKey()), shared.of(l.getValue().asText())));
        boolean controlled = Workloads.controlled(object);
        return new Entry(
                r.getMetadata().getNamespace(),
                r.getMetadata().getName(),
                r.getMetadata().getResourceVersion(),
                new ScaleTarget.Known(
                        controlled ? Map.of() : shared.of(Map.copyOf(labels)),
                        controlled,
                        annotations.path(BreakGlass.REASON).asText(""),
                        annotations.path(BreakGlass.UNTIL).asText("")));
    }
}

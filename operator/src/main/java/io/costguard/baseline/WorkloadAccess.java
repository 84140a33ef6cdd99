package io.costguard.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.api.ContainerResources;
import io.costguard.api.PerfBaseline;
import io.costguard.kube.CompactItemStore;
import io.costguard.kube.InformerNamespaces;
import io.costguard.kube.LeanObjects;
import io.costguard.kube.ListPages;
import io.costguard.kube.SharedInformerEventSource;
import io.costguard.kube.SharedValues;
import io.costguard.rightsizing.RightsizingPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The workloads PerfBaselines and BenchRuns name, and the HPAs that scale them, from informer caches this class owns
 * (registered with the PerfBaseline controller, followed by others through {@link #follow}): no API read per
 * reconcile. The caches keep only what is read ({@link LeanObjects}). Writes (rightsizing patches) go to the API as
 * field manager costguard.
 */
public final class WorkloadAccess {
    public static final String FIELD_MANAGER = "costguard";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BY_WORKLOAD = "costguard-workload";

    /** The workload now: its resource version, selector labels and containers. */
    public record Workload(
            String kind,
            String name,
            String resourceVersion,
            Map<String, String> selector,
            List<RightsizingPlan.Container> containers) {}

    /** Where a workload is: namespace, kind (Deployment or StatefulSet) and name. */
    public record Key(String namespace, String kind, String name) {
        public String index() {
            return namespace + "/" + kind + "/" + name;
        }
    }

    private final KubernetesClient client;
    private final List<Consumer<Key>> followers = new CopyOnWriteArrayList<>();
    /** Per namespace, or one entry {@link InformerNamespaces#ALL}. */
    private final Map<String, Caches> caches = new java.util.concurrent.ConcurrentHashMap<>();
    /** Namespaces, selectors and container shapes repeat across workloads: the caches keep each once. */
    private final SharedValues shared = new SharedValues();

    /** The caches of one namespace, or of all. */
    private record Caches(
            InformerEventSource<Deployment, PerfBaseline> deployments,
            InformerEventSource<StatefulSet, PerfBaseline> statefulSets,
            InformerEventSource<HorizontalPodAutoscaler, PerfBaseline> hpas,
            CompactItemStore<Deployment, LeanObjects.Workload> deploymentStore,
            CompactItemStore<StatefulSet, LeanObjects.Workload> statefulSetStore) {
        boolean running() {
            return deployments.isRunning() && statefulSets.isRunning() && hpas.isRunning();
        }
    }

    public WorkloadAccess(KubernetesClient client) {
        this.client = client;
    }

    /** The workload a PerfBaseline names, whether or not its spec is otherwise valid. */
    static Optional<Key> target(PerfBaseline pb) {
        var w = pb.getSpec() == null ? null : pb.getSpec().workload;
        if (w == null || w.name == null) {
            return Optional.empty();
        }
        return Optional.of(new Key(pb.getMetadata().getNamespace(), w.kind == null ? "Deployment" : w.kind, w.name));
    }

    /**
     * The informers on Deployments, StatefulSets and HPAs, for the PerfBaseline controller: a change to a workload's
     * selector or containers, or to an HPA's target or metrics, reconciles the PerfBaselines naming that workload.
     */
    public List<EventSource<?, PerfBaseline>> eventSources(EventSourceContext<PerfBaseline> context) {
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(
                BY_WORKLOAD, pb -> target(pb).map(k -> List.of(k.index())).orElse(List.of()));
        java.util.function.Function<Key, Set<ResourceID>> naming =
                k -> primaries.byIndex(BY_WORKLOAD, k.index()).stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet());
        List<EventSource<?, PerfBaseline>> sources = new ArrayList<>();
        for (String ns : InformerNamespaces.of(context)) {
            CompactItemStore<Deployment, LeanObjects.Workload> deploymentStore = new CompactItemStore<>(
                    d -> LeanObjects.compact(d, shared), LeanObjects::deployment, LeanObjects::handOn);
            CompactItemStore<StatefulSet, LeanObjects.Workload> statefulSetStore = new CompactItemStore<>(
                    s -> LeanObjects.compact(s, shared), LeanObjects::statefulSet, LeanObjects::handOn);
            Caches c = new Caches(
                    source(
                            context,
                            ns,
                            Deployment.class,
                            deploymentStore,
                            d -> LeanObjects.deployment(LeanObjects.compact(d)),
                            d -> key("Deployment", d),
                            naming),
                    source(
                            context,
                            ns,
                            StatefulSet.class,
                            statefulSetStore,
                            s -> LeanObjects.statefulSet(LeanObjects.compact(s)),
                            s -> key("StatefulSet", s),
                            naming),
                    source(
                            context,
                            ns,
                            HorizontalPodAutoscaler.class,
                            new TransformingItemStore<>(LeanObjects::hpa),
                            LeanObjects::hpa,
                            WorkloadAccess::scaled,
                            naming),
                    deploymentStore,
                    statefulSetStore);
            caches.put(ns, c);
            sources.addAll(List.of(c.deployments(), c.statefulSets(), c.hpas()));
        }
        return sources;
    }

    private <R extends HasMetadata> InformerEventSource<R, PerfBaseline> source(
            EventSourceContext<PerfBaseline> context,
            String ns,
            Class<R> type,
            ItemStore<R> store,
            UnaryOperator<R> lean,
            java.util.function.Function<R, Key> key,
            java.util.function.Function<Key, Set<ResourceID>> naming) {
        BiPredicate<R, R> changed = (a, b) -> !Objects.equals(spec(lean.apply(a)), spec(lean.apply(b)));
        var config = InformerEventSourceConfiguration.from(type, PerfBaseline.class)
                .withName("perfbaseline-" + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                        + (ns.isEmpty() ? "" : "-" + ns));
        if (!ns.isEmpty()) {
            config = config.withNamespaces(Set.of(ns));
        }
        var source = new SharedInformerEventSource<>(
                config.withItemStore(store)
                        .withInformerListLimit(ListPages.BIG_OBJECTS)
                        .withOnUpdateFilter((after, before) -> changed.test(before, after))
                        .withSecondaryToPrimaryMapper(r -> {
                            Key k = key.apply(r);
                            return k == null ? Set.of() : naming.apply(k);
                        })
                        .build(),
                context,
                changed);
        source.follow(r -> {
            Key k = key.apply(r);
            if (k != null) {
                followers.forEach(f -> f.accept(k));
            }
        });
        return source;
    }

    private static Object spec(HasMetadata r) {
        if (r instanceof Deployment d) {
            return d.getSpec();
        }
        if (r instanceof StatefulSet s) {
            return s.getSpec();
        }
        return ((HorizontalPodAutoscaler) r).getSpec();
    }

    private static Key key(String kind, HasMetadata r) {
        return new Key(r.getMetadata().getNamespace(), kind, r.getMetadata().getName());
    }

    /** The workload an HPA scales, or null when it names none. */
    private static Key scaled(HorizontalPodAutoscaler h) {
        var ref = h.getSpec() == null ? null : h.getSpec().getScaleTargetRef();
        return ref == null || ref.getKind() == null || ref.getName() == null
                ? null
                : new Key(h.getMetadata().getNamespace(), ref.getKind(), ref.getName());
    }

    /** Tells {@code follower} of every change to a cached workload or HPA (the workload it concerns). */
    public void follow(Consumer<Key> follower) {
        followers.add(follower);
    }

    /** True once the caches are started and have listed every object. */
    public boolean loaded() {
        return !caches.isEmpty() && caches.values().stream().allMatch(Caches::running);
    }

    /**
     * Read from the informer's compact record itself (what the cache keeps), not from a Deployment rebuilt from it for
     * each reconcile; nothing here writes workloads through JOSDK's own cache, so the informer's record is the newest.
     */
    public Optional<Workload> get(String namespace, String kind, String name) {
        Caches caches = caches(namespace);
        String key = namespace + "/" + name;
        LeanObjects.Workload w = "StatefulSet".equals(kind)
                ? caches.statefulSetStore().entry(key)
                : caches.deploymentStore().entry(key);
        if (w == null) {
            return Optional.empty();
        }
        List<RightsizingPlan.Container> containers = new ArrayList<>();
        if (w.containers() != null) {
            for (LeanObjects.ContainerShape c : w.containers()) {
                containers.add(new RightsizingPlan.Container(c.name(), copy(c.requests()), copy(c.limits())));
            }
        }
        Map<String, String> labels = w.selector() == null ? Map.of() : Map.copyOf(w.selector());
        return Optional.of(new Workload(kind, name, w.resourceVersion(), labels, containers));
    }

    private static Map<String, String> copy(Map<String, String> quantities) {
        return quantities == null ? new LinkedHashMap<>() : new LinkedHashMap<>(quantities);
    }

    private Caches caches(String namespace) {
        Caches c =
                caches.containsKey(InformerNamespaces.ALL) ? caches.get(InformerNamespaces.ALL) : caches.get(namespace);
        if (c == null) {
            throw new IllegalStateException(
                    caches.isEmpty()
                            ? "the workload caches are not registered (WorkloadAccess.eventSources)"
                            : "namespace " + namespace + " is not watched");
        }
        return c;
    }

    /** True when an HPA targets the workload and scales on CPU (resource or container-resource metric). */
    public boolean hpaOnCpu(String namespace, String kind, String name) {
        for (HorizontalPodAutoscaler h :
                caches(namespace).hpas().list(namespace, h -> true).toList()) {
            var ref = h.getSpec() == null ? null : h.getSpec().getScaleTargetRef();
            if (ref == null || !kind.equals(ref.getKind()) || !name.equals(ref.getName())) {
                continue;
            }
            List<MetricSpec> metrics = h.getSpec().getMetrics();
            if (metrics == null || metrics.isEmpty()) {
                return true; // an HPA without metrics defaults to 80 % CPU utilization
            }
            for (MetricSpec m : metrics) {
                if (m.getResource() != null && "cpu".equals(m.getResource().getName())
                        || m.getContainerResource() != null
                                && "cpu".equals(m.getContainerResource().getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Sets the named containers' resources with a JSON patch that first tests each container's name at its index,
     * so a template reordered since it was read fails instead of patching the wrong container.
     */
    public void setResources(String namespace, Workload w, Map<String, ContainerResources> resources) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < w.containers().size(); i++) {
            String name = w.containers().get(i).name();
            ContainerResources r = resources.get(name);
            if (r == null) {
                continue;
            }
            String path = "/spec/template/spec/containers/" + i;
            ops.addObject().put("op", "test").put("path", path + "/name").put("value", name);
            ObjectNode value = JsonNodeFactory.instance.objectNode();
            if (r.requests != null && !r.requests.isEmpty()) {
                value.set("requests", JSON.valueToTree(r.requests));
            }
            if (r.limits != null && !r.limits.isEmpty()) {
                value.set("limits", JSON.valueToTree(r.limits));
            }
            ops.addObject().put("op", "add").put("path", path + "/resources").set("value", value);
        }
        if (ops.isEmpty()) {
            return;
        }
        PatchContext ctx = new PatchContext.Builder()
                .withPatchType(PatchType.JSON)
                .withFieldManager(FIELD_MANAGER)
                .build();
        String patch = ops.toString();
        if ("StatefulSet".equals(w.kind())) {
            client.apps()
                    .statefulSets()
                    .inNamespace(namespace)
                    .withName(w.name())
                    .patch(ctx, patch);
        } else {
            client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(w.name())
                    .patch(ctx, patch);
        }
    }
}

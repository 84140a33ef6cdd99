package io.costguard.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the informer caches keep of the objects costguard reads: identity, resourceVersion, and the fields a reconciler
 * reads; never managedFields, annotations, labels, status or the rest of the pod template. Workloads and ConfigMaps
 * are kept as records ({@link CompactItemStore}) and rebuilt as lean objects when read; see docs/benchmarks.md,
 * "Scale", for the bytes per object. Stripping twice gives what stripping once does, so a lean object compares
 * equal to the lean copy of its full object.
 */
public final class LeanObjects {
    private LeanObjects() {}

    /** What the caches keep of a Deployment or StatefulSet: identity, selector labels, container names and resources. */
    public record Workload(
            String namespace,
            String name,
            String uid,
            String resourceVersion,
            Long generation,
            Map<String, String> selector,
            List<ContainerShape> containers)
            implements CompactItemStore.Named {}

    /** A container's name and its requests and limits as quantity strings; null when the container sets none. */
    public record ContainerShape(String name, Map<String, String> requests, Map<String, String> limits) {}

    /** Identity and resourceVersion only: for an informer whose events are all that is read, never its cache. */
    public record Identity(String namespace, String name, String uid, String resourceVersion)
            implements CompactItemStore.Named {
        public static Identity of(HasMetadata o) {
            ObjectMeta m = o.getMetadata();
            return new Identity(m.getNamespace(), m.getName(), m.getUid(), m.getResourceVersion());
        }

        /** An object of the kind {@code fresh} makes, carrying this identity and nothing else. */
        public <T extends HasMetadata> T rebuild(java.util.function.Supplier<T> fresh) {
            T o = fresh.get();
            o.setMetadata(meta(namespace, name, uid, resourceVersion, null));
            return o;
        }
    }

    /** Keys of a ConfigMap's data, with its identity. */
    public record ConfigMapKeys(
            String namespace, String name, String uid, String resourceVersion, java.util.Set<String> keys)
            implements CompactItemStore.Named {}

    public static Workload compact(Deployment d) {
        return compact(d, null);
    }

    /** As {@link #compact(Deployment)}, with namespace, selector and container shapes kept once in {@code shared}. */
    public static Workload compact(Deployment d, SharedValues shared) {
        Deployment lean = deployment(d);
        return compact(
                lean.getMetadata(),
                lean.getSpec() == null ? null : lean.getSpec().getSelector(),
                lean.getSpec() == null ? null : lean.getSpec().getTemplate(),
                shared);
    }

    public static Workload compact(StatefulSet s) {
        return compact(s, null);
    }

    /** As {@link #compact(StatefulSet)}, with namespace, selector and container shapes kept once in {@code shared}. */
    public static Workload compact(StatefulSet s, SharedValues shared) {
        StatefulSet lean = statefulSet(s);
        return compact(
                lean.getMetadata(),
                lean.getSpec() == null ? null : lean.getSpec().getSelector(),
                lean.getSpec() == null ? null : lean.getSpec().getTemplate(),
                shared);
    }

    private static Workload compact(
            ObjectMeta m, LabelSelector selector, PodTemplateSpec template, SharedValues shared) {
        List<ContainerShape> containers = null;
        if (template != null && template.getSpec() != null) {
            containers = new ArrayList<>();
            for (Container c : template.getSpec().getContainers()) {
                var r = c.getResources();
                containers.add(share(
                        shared,
                        new ContainerShape(
                                c.getName(),
                                r == null ? null : strings(r.getRequests()),
                                r == null ? null : strings(r.getLimits()))));
            }
            containers = share(shared, List.copyOf(containers));
        }
        return new Workload(
                share(shared, m.getNamespace()),
                m.getName(),
                m.getUid(),
                m.getResourceVersion(),
                m.getGeneration(),
                selector == null ? null : share(shared, selector.getMatchLabels()),
                containers);
    }

    private static <T> T share(SharedValues shared, T value) {
        return shared == null ? value : shared.of(value);
    }

    private static Map<String, String> strings(Map<String, io.fabric8.kubernetes.api.model.Quantity> q) {
        if (q == null || q.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        q.forEach((k, v) -> out.put(k, v.toString()));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Map<String, io.fabric8.kubernetes.api.model.Quantity> quantities(Map<String, String> s) {
        Map<String, io.fabric8.kubernetes.api.model.Quantity> out = new LinkedHashMap<>();
        if (s != null) {
            s.forEach((k, v) -> out.put(k, new io.fabric8.kubernetes.api.model.Quantity(v)));
        }
        return out;
    }

    public static Deployment deployment(Workload w) {
        Deployment d = new Deployment();
        d.setMetadata(meta(w.namespace(), w.name(), w.uid(), w.resourceVersion(), w.generation()));
        DeploymentSpec spec = new DeploymentSpec();
        spec.setSelector(selector(w));
        spec.setTemplate(template(w));
        d.setSpec(spec);
        return d;
    }

    /**
     * Copies what a cache keeps of a Deployment ({@code lean}) into the one that arrived from the API, so that event
     * handlers get what the cache keeps (see {@link CompactItemStore}).
     */
    public static void handOn(Deployment lean, Deployment arrived) {
        arrived.setMetadata(lean.getMetadata());
        arrived.setSpec(lean.getSpec());
        arrived.setStatus(null);
    }

    /** As {@link #handOn(Deployment, Deployment)}. */
    public static void handOn(StatefulSet lean, StatefulSet arrived) {
        arrived.setMetadata(lean.getMetadata());
        arrived.setSpec(lean.getSpec());
        arrived.setStatus(null);
    }

    /** As {@link #handOn(Deployment, Deployment)}: the keys of the data, not the values. */
    public static void handOn(ConfigMap lean, ConfigMap arrived) {
        arrived.setMetadata(lean.getMetadata());
        arrived.setData(lean.getData());
        arrived.setBinaryData(null);
    }

    public static StatefulSet statefulSet(Workload w) {
        StatefulSet s = new StatefulSet();
        s.setMetadata(meta(w.namespace(), w.name(), w.uid(), w.resourceVersion(), w.generation()));
        StatefulSetSpec spec = new StatefulSetSpec();
        spec.setSelector(selector(w));
        spec.setTemplate(template(w));
        s.setSpec(spec);
        return s;
    }

    public static ConfigMapKeys compact(ConfigMap c) {
        ObjectMeta m = c.getMetadata();
        return new ConfigMapKeys(
                m.getNamespace(),
                m.getName(),
                m.getUid(),
                m.getResourceVersion(),
                c.getData() == null ? null : java.util.Set.copyOf(c.getData().keySet()));
    }

    public static ConfigMap configMap(ConfigMapKeys k) {
        ConfigMap c = new ConfigMap();
        c.setMetadata(meta(k.namespace(), k.name(), k.uid(), k.resourceVersion(), null));
        if (k.keys() != null) {
            Map<String, String> data = new LinkedHashMap<>();
            k.keys().forEach(key -> data.put(key, ""));
            c.setData(data);
        }
        return c;
    }

    private static ObjectMeta meta(String namespace, String name, String uid, String resourceVersion, Long generation) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withUid(uid)
                .withResourceVersion(resourceVersion)
                .withGeneration(generation)
                .build();
    }

    private static LabelSelector selector(Workload w) {
        if (w.selector() == null) {
            return null;
        }
        LabelSelector s = new LabelSelector();
        s.setMatchLabels(w.selector());
        return s;
    }

    private static PodTemplateSpec template(Workload w) {
        PodTemplateSpec t = new PodTemplateSpec();
        if (w.containers() != null) {
            PodSpec spec = new PodSpec();
            List<Container> containers = new ArrayList<>();
            for (ContainerShape c : w.containers()) {
                ContainerBuilder b = new ContainerBuilder().withName(c.name());
                if (c.requests() != null || c.limits() != null) {
                    b.withNewResources()
                            .withRequests(quantities(c.requests()))
                            .withLimits(quantities(c.limits()))
                            .endResources();
                }
                containers.add(b.build());
            }
            spec.setContainers(containers);
            t.setSpec(spec);
        }
        return t;
    }

    public static Deployment deployment(Deployment d) {
        Deployment lean = new Deployment();
        lean.setMetadata(meta(d.getMetadata()));
        if (d.getSpec() != null) {
            DeploymentSpec spec = new DeploymentSpec();
            spec.setSelector(selector(d.getSpec().getSelector()));
            spec.setTemplate(template(d.getSpec().getTemplate()));
            lean.setSpec(spec);
        }
        return lean;
    }

    public static StatefulSet statefulSet(StatefulSet s) {
        StatefulSet lean = new StatefulSet();
        lean.setMetadata(meta(s.getMetadata()));
        if (s.getSpec() != null) {
            StatefulSetSpec spec = new StatefulSetSpec();
            spec.setSelector(selector(s.getSpec().getSelector()));
            spec.setTemplate(template(s.getSpec().getTemplate()));
            lean.setSpec(spec);
        }
        return lean;
    }

    /** The target and which resources it scales on (metrics other than resource and container-resource are dropped). */
    public static HorizontalPodAutoscaler hpa(HorizontalPodAutoscaler h) {
        HorizontalPodAutoscaler lean = new HorizontalPodAutoscaler();
        lean.setMetadata(meta(h.getMetadata()));
        if (h.getSpec() != null) {
            HorizontalPodAutoscalerSpec spec = new HorizontalPodAutoscalerSpec();
            spec.setScaleTargetRef(h.getSpec().getScaleTargetRef());
            if (h.getSpec().getMetrics() != null) {
                List<MetricSpec> metrics = new ArrayList<>();
                for (MetricSpec m : h.getSpec().getMetrics()) {
                    MetricSpec kept = new MetricSpec();
                    kept.setType(m.getType());
                    kept.setResource(m.getResource());
                    kept.setContainerResource(m.getContainerResource());
                    metrics.add(kept);
                }
                spec.setMetrics(metrics);
            }
            lean.setSpec(spec);
        }
        return lean;
    }

    private static ObjectMeta meta(ObjectMeta m) {
        if (m == null) {
            return null;
        }
        return new ObjectMetaBuilder()
                .withName(m.getName())
                .withNamespace(m.getNamespace())
                .withUid(m.getUid())
                .withResourceVersion(m.getResourceVersion())
                .withGeneration(m.getGeneration())
                .build();
    }

    private static LabelSelector selector(LabelSelector s) {
        if (s == null) {
            return null;
        }
        LabelSelector lean = new LabelSelector();
        lean.setMatchLabels(s.getMatchLabels() == null ? null : Map.copyOf(s.getMatchLabels()));
        return lean;
    }

    /** Container names and resources, in their order (rightsizing patches by index). */
    private static PodTemplateSpec template(PodTemplateSpec t) {
        if (t == null) {
            return null;
        }
        PodTemplateSpec lean = new PodTemplateSpec();
        if (t.getSpec() != null) {
            PodSpec spec = new PodSpec();
            List<Container> containers = new ArrayList<>();
            for (Container c : t.getSpec().getContainers()) {
                containers.add(new ContainerBuilder()
                        .withName(c.getName())
                        .withResources(c.getResources())
                        .build());
            }
            spec.setContainers(containers);
            lean.setSpec(spec);
        }
        return lean;
    }
}

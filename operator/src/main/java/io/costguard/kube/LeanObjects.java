package io.costguard.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
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
 * reads; never managedFields, annotations, labels, status or the rest of the pod template. A Deployment of a few
 * kilobytes on the wire is a few hundred bytes in the cache (measured in docs/benchmarks.md, "Scale").
 * Each function is idempotent, so a lean object compares equal to the lean copy of its full object.
 */
public final class LeanObjects {
  private LeanObjects() {}

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

  /** The keys of {@code data}, each with an empty value: a BenchRun only asks whether its script's key is there. */
  public static ConfigMap configMapKeys(ConfigMap c) {
    ConfigMap lean = new ConfigMap();
    lean.setMetadata(meta(c.getMetadata()));
    if (c.getData() != null) {
      Map<String, String> keys = new LinkedHashMap<>();
      c.getData().keySet().forEach(k -> keys.put(k, ""));
      lean.setData(keys);
    }
    return lean;
  }

  private static ObjectMeta meta(ObjectMeta m) {
    if (m == null) {
      return null;
    }
    return new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion()).withGeneration(m.getGeneration()).build();
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
        containers.add(new ContainerBuilder().withName(c.getName()).withResources(c.getResources()).build());
      }
      spec.setContainers(containers);
      lean.setSpec(spec);
    }
    return lean;
  }
}

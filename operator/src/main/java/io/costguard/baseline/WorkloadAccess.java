package io.costguard.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.api.ContainerResources;
import io.costguard.rightsizing.RightsizingPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a PerfBaseline's workload and its HPAs, and patches its containers' resources as field manager costguard. */
public final class WorkloadAccess {
  public static final String FIELD_MANAGER = "costguard";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The workload now: its resource version, selector labels and containers. */
  public record Workload(String kind, String name, String resourceVersion, Map<String, String> selector,
      List<RightsizingPlan.Container> containers) {}

  private final KubernetesClient client;

  public WorkloadAccess(KubernetesClient client) {
    this.client = client;
  }

  public Optional<Workload> get(String namespace, String kind, String name) {
    PodTemplateSpec template;
    LabelSelector selector;
    String version;
    if ("StatefulSet".equals(kind)) {
      var s = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
      if (s == null || s.getSpec() == null) {
        return Optional.empty();
      }
      template = s.getSpec().getTemplate();
      selector = s.getSpec().getSelector();
      version = s.getMetadata().getResourceVersion();
    } else {
      var d = client.apps().deployments().inNamespace(namespace).withName(name).get();
      if (d == null || d.getSpec() == null) {
        return Optional.empty();
      }
      template = d.getSpec().getTemplate();
      selector = d.getSpec().getSelector();
      version = d.getMetadata().getResourceVersion();
    }
    List<RightsizingPlan.Container> containers = new ArrayList<>();
    if (template != null && template.getSpec() != null) {
      for (Container c : template.getSpec().getContainers()) {
        var r = c.getResources();
        containers.add(new RightsizingPlan.Container(c.getName(), strings(r == null ? null : r.getRequests()),
            strings(r == null ? null : r.getLimits())));
      }
    }
    Map<String, String> labels = selector == null || selector.getMatchLabels() == null ? Map.of() : Map.copyOf(selector.getMatchLabels());
    return Optional.of(new Workload(kind, name, version, labels, containers));
  }

  /** True when an HPA targets the workload and scales on CPU (resource or container-resource metric). */
  public boolean hpaOnCpu(String namespace, String kind, String name) {
    for (HorizontalPodAutoscaler h : client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems()) {
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
            || m.getContainerResource() != null && "cpu".equals(m.getContainerResource().getName())) {
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
    PatchContext ctx = new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(FIELD_MANAGER).build();
    String patch = ops.toString();
    if ("StatefulSet".equals(w.kind())) {
      client.apps().statefulSets().inNamespace(namespace).withName(w.name()).patch(ctx, patch);
    } else {
      client.apps().deployments().inNamespace(namespace).withName(w.name()).patch(ctx, patch);
    }
  }

  private static Map<String, String> strings(Map<String, Quantity> q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q != null) {
      q.forEach((k, v) -> out.put(k, v.toString()));
    }
    return out;
  }
}

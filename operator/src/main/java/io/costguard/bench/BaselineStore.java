package io.costguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.api.PerfBaseline;
import io.costguard.api.RecordedBaseline;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;

/** Reads the PerfBaseline a BenchRun compares with, and records a passing run's results in its status. */
public final class BaselineStore {
  /** Field manager of status.recordedBaseline; the PerfBaseline reconciler never writes that field. */
  public static final String FIELD_MANAGER = "costguard-benchrun";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;

  public BaselineStore(KubernetesClient client) {
    this.client = client;
  }

  public Optional<PerfBaseline> get(String namespace, String name) {
    return Optional.ofNullable(client.resources(PerfBaseline.class).inNamespace(namespace).withName(name).get());
  }

  /** A merge patch of status.recordedBaseline only; the same values twice is a no-op. */
  public void record(String namespace, String name, RecordedBaseline recorded) {
    ObjectNode patch = JSON.createObjectNode();
    patch.putObject("status").set("recordedBaseline", JSON.valueToTree(recorded));
    PatchContext context = PatchContext.of(PatchType.JSON_MERGE);
    context.setFieldManager(FIELD_MANAGER);
    client.resources(PerfBaseline.class).inNamespace(namespace).withName(name).subresource("status").patch(context, patch.toString());
  }
}

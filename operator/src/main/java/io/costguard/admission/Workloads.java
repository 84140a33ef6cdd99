package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** The kinds that create pods, matched by group and kind (any version), and where their pod template is. */
public final class Workloads {
  /** A checked kind: {@code templatePath} is a JSON pointer to the pod template ("" for a bare Pod). */
  public record Kind(String group, String kind, String templatePath) {}

  public static final List<Kind> DEFAULT = from(io.costguard.config.ConfigLoader.DEFAULT_WORKLOAD_KINDS);

  private final List<Kind> kinds;

  public Workloads(List<Kind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  public static List<Kind> from(List<io.costguard.config.OperatorConfig.WorkloadKind> kinds) {
    return kinds.stream().map(k -> new Kind(k.group(), k.kind(), k.templatePath())).toList();
  }

  public List<Kind> kinds() {
    return kinds;
  }

  public Optional<Kind> find(String group, String kind) {
    return kinds.stream().filter(k -> k.group().equals(group == null ? "" : group) && k.kind().equals(kind)).findFirst();
  }

  /** Owned by a controller ({@code controller: true}): its owner was checked, and self-healing must go on. */
  public static boolean controlled(JsonNode object) {
    for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
      if (ref.path("controller").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  /** The group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
  public static String group(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public static JsonNode template(JsonNode object, Kind kind) {
    return kind.templatePath().isEmpty() ? object : object.at(kind.templatePath());
  }
}

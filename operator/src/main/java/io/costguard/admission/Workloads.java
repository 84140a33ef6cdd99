package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** The kinds that create pods, matched by group and kind (any version), and where their pod template is. */
public final class Workloads {
  /** A checked kind: {@code templatePath} is a JSON pointer to the pod template ("" for a bare Pod). */
  public record Kind(String group, String kind, String templatePath) {}

  public static final List<Kind> DEFAULT = List.of(
      new Kind("apps", "Deployment", "/spec/template"),
      new Kind("apps", "StatefulSet", "/spec/template"),
      new Kind("apps", "DaemonSet", "/spec/template"),
      new Kind("apps", "ReplicaSet", "/spec/template"),
      new Kind("batch", "Job", "/spec/template"),
      new Kind("batch", "CronJob", "/spec/jobTemplate/spec/template"),
      new Kind("", "Pod", ""),
      new Kind("argoproj.io", "Rollout", "/spec/template"));

  private final List<Kind> kinds;

  public Workloads(List<Kind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  public Optional<Kind> find(String group, String kind) {
    return kinds.stream().filter(k -> k.group().equals(group == null ? "" : group) && k.kind().equals(kind)).findFirst();
  }

  /** The group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
  public static String group(String apiVersion) {
    if (apiVersion == null) {
      return "";
    }
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  static JsonNode template(JsonNode object, Kind kind) {
    return kind.templatePath().isEmpty() ? object : object.at(kind.templatePath());
  }
}

package io.costguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the commands that read the cluster share: the kubeconfig to use and one line about an API failure. */
final class ClusterAccess {
  private ClusterAccess() {}

  /** The given kubeconfig, else $KUBECONFIG or ~/.kube/config (or the in-cluster service account). */
  static Config config(Path kubeconfig) throws IOException {
    return kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(Files.readString(kubeconfig));
  }

  /** E.g. "HTTP 403 Forbidden: ...", the first line only. */
  static String failure(KubernetesClientException e) {
    return (e.getCode() > 0 ? "HTTP " + e.getCode() + " " : "") + firstLine(e.getMessage());
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

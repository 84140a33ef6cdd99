package io.costguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What the commands that read the cluster share: the kubeconfig to use and one line about an API failure. */
final class ClusterAccess {
  private ClusterAccess() {}

  /** The kubectl-like options: {@code --kubeconfig}, {@code --context}, {@code -n}, {@code -A}; mixed into a command. */
  static final class Options {
    @Option(names = "--kubeconfig", description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", description = "The kubeconfig context to use (default: its current context).")
    String context;

    @Option(names = {"-n", "--namespace"}, description = "The namespace (default: the context's namespace, else default).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "All namespaces.")
    boolean allNamespaces;

    Config config() throws IOException {
      return ClusterAccess.config(kubeconfig, context);
    }

    /** The namespace to read, or null for all of them; kubectl's rules: -A, else -n, else the context's namespace. */
    String namespace(Config config) {
      if (allNamespaces) {
        return null;
      }
      if (namespace != null) {
        return namespace;
      }
      return config.getNamespace() == null ? "default" : config.getNamespace();
    }
  }

  /** The given kubeconfig, else $KUBECONFIG or ~/.kube/config (or the in-cluster service account). */
  static Config config(Path kubeconfig) throws IOException {
    return config(kubeconfig, null);
  }

  /** As {@link #config(Path)}, with the named context instead of the current one when {@code context} is given. */
  static Config config(Path kubeconfig, String context) throws IOException {
    Config config = kubeconfig == null ? Config.autoConfigure(context)
        : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    if (context != null && !context.equals(config.getCurrentContext() == null ? null : config.getCurrentContext().getName())) {
      throw new IOException("--context " + context + ": no such context in the kubeconfig");
    }
    // a CLI answers at once: one attempt, then one clear line, instead of the client's retries with backoff
    config.setRequestRetryBackoffLimit(0);
    return config;
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

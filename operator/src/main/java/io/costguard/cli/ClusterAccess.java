package io.costguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What the commands that read the cluster share: the kubeconfig to use and one line about an API failure. */
final class ClusterAccess {
    private ClusterAccess() {}

    /** {@code --kubeconfig} and {@code --context}, as kubectl has them; mixed into every command that reads the cluster. */
    static class Connection {
        @Option(names = "--kubeconfig", description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
        Path kubeconfig;

        @Option(names = "--context", description = "The kubeconfig context to use (default: its current context).")
        String context;

        @Spec(Spec.Target.MIXEE)
        CommandSpec command;

        /**
         * The kubeconfig's settings, or empty after one line on stderr, e.g. "cannot read the kubeconfig /x: no such
         * file".
         */
        Optional<Config> config() {
            try {
                return Optional.of(ClusterAccess.config(kubeconfig, context));
            } catch (IOException | RuntimeException e) {
                String why =
                        e instanceof java.nio.file.NoSuchFileException ? "no such file" : firstLine(e.getMessage());
                Output.error(
                        command,
                        "cannot read the kubeconfig" + (kubeconfig == null ? "" : " " + kubeconfig) + ": " + why);
                return Optional.empty();
            }
        }
    }

    /** The connection plus {@code -n} (repeatable) and {@code -A}, for commands that list objects across namespaces. */
    static final class Listing extends Connection {
        @Option(
                names = {"-n", "--namespace"},
                description = "Only this namespace (repeatable).")
        List<String> namespaces = new ArrayList<>();

        @Option(
                names = {"-A", "--all-namespaces"},
                description = "All namespaces.")
        boolean allNamespaces;

        /**
         * The namespaces to read, empty for all: -A, else the -n given, else all when {@code allByDefault} (an audit
         * before Enforce is about the cluster), else the context's namespace as kubectl does, else default.
         */
        List<String> namespaces(Config config, boolean allByDefault) {
            if (allNamespaces || (namespaces.isEmpty() && allByDefault)) {
                return List.of();
            }
            if (!namespaces.isEmpty()) {
                return List.copyOf(namespaces);
            }
            return List.of(config.getNamespace() == null ? "default" : config.getNamespace());
        }
    }

    /**
     * The given kubeconfig, else $KUBECONFIG or ~/.kube/config (or the in-cluster service account), with the named
     * context instead of the current one when {@code context} is given.
     */
    static Config config(Path kubeconfig, String context) throws IOException {
        Config config = kubeconfig == null
                ? Config.autoConfigure(context)
                : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        if (context != null
                && !context.equals(
                        config.getCurrentContext() == null
                                ? null
                                : config.getCurrentContext().getName())) {
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

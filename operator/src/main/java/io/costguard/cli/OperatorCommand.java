package io.costguard.cli;

import io.costguard.app.OperatorApp;
import io.costguard.config.ConfigException;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.config.Redaction;
import io.costguard.kube.OperatorClient;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.net.BindException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * Runs the operator until SIGTERM; configuration comes from the environment and COSTGUARD_CONFIG_FILE. A bad setting
 * exits 2 and any other failure to start (API server unreachable or forbidding the Lease, a port in use) exits 1,
 * each with one line on stderr: a pod's last lines are what a user reads, and a stack trace hides the cause.
 */
@Command(
        name = "operator",
        mixinStandardHelpOptions = true,
        description =
                "Run the operator (configuration from environment variables and the YAML file in COSTGUARD_CONFIG_FILE).")
public final class OperatorCommand implements Callable<Integer> {
    static final int BAD_SETTING = 2;
    static final int CANNOT_START = 1;
    /** Messages that say nothing the next cause does not say better. */
    private static final java.util.Set<String> GENERIC = java.util.Set.of("An error has occurred.");

    @Override
    public Integer call() throws Exception {
        OperatorConfig config;
        try {
            config = ConfigLoader.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("costguard: " + e.getMessage());
            return BAD_SETTING;
        }
        KubernetesClient client;
        try {
            client = OperatorClient.build(Config.autoConfigure(null));
        } catch (RuntimeException e) {
            System.err.println("costguard: cannot start: the Kubernetes client configuration: " + cause(e, config));
            return CANNOT_START;
        }
        return run(config, client, System.err);
    }

    /** Starts the operator and waits for SIGTERM; returns at once, with one line on {@code err}, if it cannot start. */
    static int run(OperatorConfig config, KubernetesClient client, PrintStream err) throws InterruptedException {
        try {
            // before any informer starts: a dead API server is one line here, not an informer's stack trace per
            // resource
            client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            client.close();
            err.println("costguard: cannot start: cannot reach the Kubernetes API at "
                    + Redaction.text(client.getMasterUrl().toString()) + ": " + cause(e, config));
            return CANNOT_START;
        }
        OperatorApp app = null;
        try {
            app = new OperatorApp(
                    config,
                    client,
                    config.clockOffset().isZero()
                            ? Clock.systemUTC()
                            : Clock.offset(Clock.systemUTC(), config.clockOffset()));
            app.start();
        } catch (ConfigException e) {
            stop(app, client);
            err.println("costguard: " + e.getMessage());
            return BAD_SETTING;
        } catch (Exception e) {
            stop(app, client);
            err.println("costguard: cannot start: " + cause(e, config));
            return CANNOT_START;
        }
        OperatorApp running = app;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            client.close();
                            stopped.countDown();
                        },
                        "costguard-shutdown"));
        stopped.await();
        return 0;
    }

    private static void stop(OperatorApp app, KubernetesClient client) {
        try {
            if (app != null) {
                app.close();
            }
        } catch (RuntimeException ignored) {
            // it failed to start; what it could not stop is ended by the exit that follows
        }
        if (client != null) {
            client.close();
        }
    }

    /**
     * One line: what failed, then each distinct cause's first line (with URLs redacted), e.g. "the Kubernetes API:
     * HTTP 403 ...: leases.coordination.k8s.io is forbidden" or "port 8080 (http.port) or 8443 (webhook.port) is in use".
     */
    static String cause(Throwable e, OperatorConfig config) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BindException) {
                return "a port is in use: http.port " + config.httpPort()
                        + (config.webhook().enabled()
                                ? " or webhook.port " + config.webhook().port()
                                : "") + " (" + ClusterAccess.firstLine(t.getMessage()) + ")";
            }
            String message = t instanceof KubernetesClientException k
                    ? k.getStatus() != null && k.getStatus().getMessage() != null
                            ? "HTTP " + k.getCode() + " " + k.getStatus().getMessage()
                            : ClusterAccess.failure(k)
                    : ClusterAccess.firstLine(t.getMessage());
            if (message.isBlank() || GENERIC.contains(message)) {
                message = t instanceof java.net.ConnectException ? "connection refused" : "";
            }
            String line = message;
            if (!line.isEmpty() && parts.stream().noneMatch(p -> p.contains(line))) {
                parts.add(line);
            }
        }
        return Redaction.text(parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts));
    }
}

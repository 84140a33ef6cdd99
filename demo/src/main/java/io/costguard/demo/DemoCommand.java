package io.costguard.demo;

import io.costguard.api.CostBudget;
import io.costguard.cli.BudgetTable;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded local run: a real Prometheus with generated cost history, an in-process Kubernetes API with
 * the CRDs and examples, and the operator jar as a process. Prints the budget table.
 */
@Command(
        name = "costguard-demo",
        mixinStandardHelpOptions = true,
        description =
                "Run costguard locally: real Prometheus with generated history, in-process Kubernetes API, the operator, the examples.")
public final class DemoCommand implements Callable<Integer> {
    static final List<String> NAMESPACES =
            List.of("costguard-system", "team-alpha", "team-beta", "team-gamma", "platform");

    @Option(
            names = "--work-dir",
            description = "Where Prometheus data, logs and the kubeconfig go (default: ${DEFAULT-VALUE}).")
    Path workDir = Path.of(".run", "demo");

    @Option(names = "--days", description = "Days of cost history to generate (default: ${DEFAULT-VALUE}).")
    int days = 35;

    @Option(names = "--interval", description = "Evaluation interval of the operator (default: ${DEFAULT-VALUE}).")
    String interval = "10s";

    @Option(
            names = "--once",
            description = "Print the table once every budget has been evaluated, then stop everything and exit.")
    boolean once;

    @Option(
            names = "--timeout",
            description = "With --once: seconds to wait for every budget (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 180;

    /** Entry point of the demo's jar ({@code java -jar demo/target/costguard-demo.jar}, what scripts/demo.sh runs). */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new DemoCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (days < 1 || days > 400) {
            System.err.println("costguard demo: --days must be between 1 and 400");
            return 2;
        }
        Path jar = OperatorProcess.ownJar();
        Path work = workDir.toAbsolutePath();
        if (Files.exists(work)) {
            deleteTree(work);
        }
        Files.createDirectories(work);
        Instant now = Instant.now();
        Instant start = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 86400) * 86400)
                .minus(Duration.ofDays(days));
        // a day of "future" samples keeps the demo's data fresh while it runs; the operator never reads past now
        Instant end = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600)
                .plus(Duration.ofDays(1));
        SyntheticCluster cluster = SyntheticCluster.demo(start, end, 42);

        say(
                "generating %d days of cost history for %d pods in %s...",
                days, cluster.pods().size(), work);
        OpenMetricsHistory writer = new OpenMetricsHistory(cluster, Duration.ofMinutes(5));
        List<Path> files = writer.writeDaily(Files.createDirectories(work.resolve("history")));
        PrometheusProcess prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        say("backfilling %,d samples into Prometheus with promtool...", writer.samples());
        prometheus.backfill(files);
        prometheus.start();
        say("Prometheus is serving at %s", prometheus.url());

        LocalKubernetes kube = new LocalKubernetes().start();
        KubernetesClient client = kube.client();
        kube.createNamespaces(client, NAMESPACES);
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String yaml : Bundled.yamlFiles("costguard/crds")) {
            crds.add(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
        }
        kube.installCrds(client, crds);
        int applied = 0;
        for (String yaml : Bundled.yamlFiles("costguard/examples")) {
            for (HasMetadata item : client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                    .items()) {
                client.resource(item).create();
                applied++;
            }
        }
        Path kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
        say("in-process Kubernetes API at %s with the CRDs and %d example resources", kube.url(), applied);

        int httpPort = freePort();
        OperatorProcess operator = OperatorProcess.startBundled(
                jar,
                Map.of(
                        "KUBECONFIG",
                        kubeconfig.toString(),
                        "COSTGUARD_PROMETHEUS_URL",
                        prometheus.url().toString(),
                        "COSTGUARD_EVALUATION_INTERVAL",
                        interval,
                        "COSTGUARD_RATE_WINDOW",
                        "10m",
                        "COSTGUARD_SERVER_SIDE_APPLY",
                        "false",
                        "COSTGUARD_HTTP_PORT",
                        Integer.toString(httpPort),
                        "POD_NAMESPACE",
                        "costguard-system"),
                work.resolve("operator.log"));
        say(
                "operator started (pid %d), log: %s, metrics: http://127.0.0.1:%d/metrics",
                operator.pid(), work.resolve("operator.log"), httpPort);

        CountDownLatch stop = new CountDownLatch(1);
        Runnable shutdown = () -> {
            try {
                operator.close();
                prometheus.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.close();
            kube.close();
        };
        Thread hook = new Thread(
                () -> {
                    shutdown.run();
                    stop.countDown();
                },
                "costguard-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        List<CostBudget> budgets =
                client.resources(CostBudget.class).inAnyNamespace().list().getItems();
        while (budgets.stream().anyMatch(b -> b.getStatus() == null || b.getStatus().state == null)
                && System.nanoTime() < deadline) {
            if (!operator.alive()) {
                System.err.println("costguard demo: the operator exited; its log:\n" + operator.log());
                Runtime.getRuntime().removeShutdownHook(hook);
                shutdown.run();
                return 1;
            }
            Thread.sleep(500);
            budgets = client.resources(CostBudget.class).inAnyNamespace().list().getItems();
        }
        System.out.println();
        System.out.print(BudgetTable.render(budgets, Instant.now()));
        System.out.println();
        boolean allEvaluated = budgets.stream().allMatch(b -> b.getStatus() != null && b.getStatus().state != null);
        Path kubectl = Path.of(".tools", "bin", "kubectl").toAbsolutePath();
        String k = Files.isExecutable(kubectl) ? kubectl.toString() : "kubectl";
        say("Try it with kubectl (the local API serves no server-side columns, so name them):");
        System.out.println("  export KUBECONFIG=" + kubeconfig);
        System.out.println("  " + k + " get costbudgets -A -o custom-columns="
                + "NAMESPACE:.metadata.namespace,NAME:.metadata.name,SPENT:.status.spent,BUDGET:.spec.amount,USED:.status.used,"
                + "FORECAST:.status.forecast,STATE:.status.state");
        System.out.println("  " + k + " describe costbudget tenant-alpha-prod -n team-alpha");
        System.out.println("  " + k + " get events -n team-alpha");
        System.out.println("  curl -s http://127.0.0.1:" + httpPort + "/metrics | grep costguard_budget");
        if (once) {
            Runtime.getRuntime().removeShutdownHook(hook);
            shutdown.run();
            if (!allEvaluated) {
                System.err.println("costguard demo: not every budget was evaluated within " + timeoutSeconds + "s; see "
                        + work.resolve("operator.log"));
                return 1;
            }
            return 0;
        }
        say("running until Ctrl-C; the table is printed again when it changes.");
        String last = BudgetTable.render(budgets, Instant.now());
        while (!stop.await(
                io.costguard.config.Durations.parse(interval).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (!operator.alive()) {
                System.err.println("costguard demo: the operator exited; see " + work.resolve("operator.log"));
                return 1;
            }
            List<CostBudget> now2 =
                    client.resources(CostBudget.class).inAnyNamespace().list().getItems();
            String table = BudgetTable.render(now2, Instant.now());
            if (!stripAge(table).equals(stripAge(last))) {
                System.out.println();
                System.out.print(table);
                last = table;
            }
        }
        return 0;
    }

    private static String stripAge(String table) {
        return table.replaceAll("\\S+\\n", "\n");
    }

    private static void say(String format, Object... args) {
        System.out.println("costguard demo: " + String.format(format, args));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

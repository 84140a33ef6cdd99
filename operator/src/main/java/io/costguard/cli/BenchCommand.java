package io.costguard.cli;

import io.costguard.api.BenchRun;
import io.costguard.bench.BenchReport;
import io.costguard.config.Durations;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code costguard bench report <name>}: a BenchRun's results and verdict for a CI log; the exit code gates the pipeline. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "BenchRun load tests.",
        subcommands = BenchCommand.Report.class)
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description =
                    "Print a BenchRun's results, comparison with its baseline and verdict. "
                            + "Exit 0 on Pass, 1 on Fail, Error or Invalid, 3 when it has not finished (see --wait), 2 when it cannot be read.")
    static final class Report implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The BenchRun.")
        String name;

        @Option(
                names = {"-n", "--namespace"},
                description = "Its namespace (default: the kubeconfig context's, else default).")
        String namespace;

        @Mixin
        ClusterAccess.Connection cluster = new ClusterAccess.Connection();

        @Option(
                names = {"-o", "--output"},
                description =
                        "table, json or yaml: the report, or {namespace, name, status} with the BenchRun's status (default: ${DEFAULT-VALUE}).")
        OutputFormat output = OutputFormat.table;

        @Option(
                names = "--wait",
                description = "Wait up to this long (e.g. 45m) for the run to exist and finish before reporting.")
        String wait;

        @Spec
        CommandSpec spec;

        /** The report for scripts: the status as the cluster holds it, field names included. */
        record Machine(String namespace, String name, io.costguard.api.BenchRunStatus status) {}

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            Duration timeout = Duration.ZERO;
            if (wait != null) {
                try {
                    timeout = Durations.parse(wait);
                } catch (IllegalArgumentException e) {
                    return Output.fail(spec, "--wait " + e.getMessage());
                }
            }
            Optional<Config> connected = cluster.config();
            if (connected.isEmpty()) {
                return 2;
            }
            Config config = connected.get();
            String ns =
                    namespace != null ? namespace : config.getNamespace() != null ? config.getNamespace() : "default";
            try (KubernetesClient client =
                    new KubernetesClientBuilder().withConfig(config).build()) {
                Instant deadline = Instant.now().plus(timeout);
                BenchRun run = client.resources(BenchRun.class)
                        .inNamespace(ns)
                        .withName(name)
                        .get();
                // with --wait, a run not created yet (a pipeline that applies it through GitOps) is waited for too
                while ((run == null || !BenchReport.finished(run))
                        && Instant.now().isBefore(deadline)) {
                    Thread.sleep(Math.min(
                            5_000,
                            Math.max(
                                    1, Duration.between(Instant.now(), deadline).toMillis())));
                    run = client.resources(BenchRun.class)
                            .inNamespace(ns)
                            .withName(name)
                            .get();
                }
                if (run == null) {
                    return Output.fail(
                            spec,
                            "BenchRun " + name + " not found in namespace " + ns
                                    + (timeout.isZero() ? "" : " within " + Durations.format(timeout))
                                    + " (set -n/--namespace?)");
                }
                out.print(
                        output == OutputFormat.table
                                ? BenchReport.render(run)
                                : output.write(new Machine(ns, name, run.getStatus())));
                out.flush();
                return BenchReport.exitCode(run);
            } catch (KubernetesClientException e) {
                return Output.fail(
                        spec,
                        "cannot read BenchRun " + ns + "/" + name + " from " + config.getMasterUrl() + ": "
                                + ClusterAccess.failure(e));
            }
        }
    }
}

package io.costguard.cli;

import io.costguard.config.OperatorConfig.PrometheusSettings;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.Series;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The unattributed bucket by namespace (cost of pods missing an allocation key), as the operator last exported it:
 * read from the Prometheus that scrapes the operator, so the CLI shows the operator's figures, not a second computation.
 */
@Command(
        name = "unattributed",
        mixinStandardHelpOptions = true,
        description =
                "Show the unattributed cost (pods missing an allocation label) of the newest complete hour, by namespace, "
                        + "from the operator's costguard_unattributed_cost metric in Prometheus.")
public final class UnattributedCommand implements Callable<Integer> {
    static final String METRIC = "costguard_unattributed_cost";

    @Option(
            names = "--prometheus-url",
            required = true,
            description = "Base URL of the Prometheus that scrapes the operator.")
    URI prometheusUrl;

    @Option(names = "--bearer-token-file", description = "File with a bearer token for Prometheus.")
    Path bearerTokenFile;

    @Option(
            names = {"-n", "--namespace"},
            description = "Only this namespace (default: all).")
    String namespace;

    @Mixin
    Output output = new Output();

    /** One namespace's unattributed cost of the newest complete hour, in the cluster's pricing currency. */
    record Row(String namespace, double cost) {}

    @Override
    public Integer call() {
        if (prometheusUrl.getScheme() == null || !prometheusUrl.getScheme().startsWith("http")) {
            return output.fail(
                    "--prometheus-url " + prometheusUrl + ": give an http(s) URL, e.g. http://prometheus:9090");
        }
        PrometheusClient prometheus = new PrometheusClient(
                new PrometheusSettings(
                        prometheusUrl,
                        Optional.ofNullable(bearerTokenFile),
                        Optional.empty(),
                        Map.of(),
                        Duration.ofSeconds(30),
                        Optional.empty()),
                PrometheusClient.QueryObserver.NONE);
        // max, not sum: one figure per namespace even when the operator is scraped by two jobs or replicas overlap in a
        // handover
        String selector = namespace == null ? METRIC : METRIC + "{namespace=\"" + namespace.replace("\"", "") + "\"}";
        QueryOutcome outcome = prometheus.query("unattributed", "max by (namespace) (" + selector + ")", Instant.now());
        if (outcome instanceof QueryOutcome.Failure f) {
            return output.fail("cannot read " + METRIC + " from " + prometheus.baseUrl() + ": " + f.kind() + ": "
                    + ClusterAccess.firstLine(f.message()));
        }
        List<Row> rows = ((QueryOutcome.Success) outcome)
                .series().stream()
                        .filter(s -> s.size() > 0)
                        .map(UnattributedCommand::row)
                        .sorted(Comparator.comparing(Row::namespace))
                        .toList();
        if (rows.isEmpty()) {
            // no series is not "nothing unattributed": the operator exports 0 for a namespace once it has reported it
            output.error("Prometheus at " + prometheus.baseUrl() + " has no " + METRIC
                    + (namespace == null ? "" : " for namespace " + namespace)
                    + " series: the operator has not finished a cost cycle yet or is not scraped by this Prometheus");
            if (!output.table()) {
                output.write(rows);
            }
            return 1;
        }
        if (!output.table()) {
            output.write(rows);
            return 0;
        }
        PrintWriter out = output.out();
        int width = Math.max(
                9, rows.stream().mapToInt(r -> r.namespace().length()).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + width + "s   %s%n", "NAMESPACE", "UNATTRIBUTED/HOUR");
        rows.forEach(r -> out.printf(Locale.ROOT, "%-" + width + "s   %.4f%n", r.namespace(), r.cost()));
        out.printf(
                Locale.ROOT,
                "%-" + width + "s   %.4f%n",
                "TOTAL",
                rows.stream().mapToDouble(Row::cost).sum());
        return 0;
    }

    private static Row row(Series s) {
        return new Row(s.labels().getOrDefault("namespace", ""), s.values()[s.size() - 1]);
    }
}

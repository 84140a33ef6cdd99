package io.costguard.cli;

import io.costguard.config.ConfigException;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.ChargebackReport;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostQueries;
import io.costguard.cost.DataStatus;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.prometheus.Series;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The monthly chargeback table, computed from Prometheus exactly as the operator computes cost (same queries, same
 * ledger, same shared and idle allocation, from the operator's configuration file), and the remediation list of
 * workloads producing untagged spend.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Chargeback for a time range: direct, shared, idle and total cost per allocation-key value, the "
                + "unattributed bucket and the cluster total they add up to; or, with --unattributed, the workloads that "
                + "produced untagged spend, most expensive first.")
public final class ReportCommand implements Callable<Integer> {
    @Option(
            names = "--prometheus-url",
            description = "Base URL of Prometheus (default: the configuration's " + "prometheus.url).")
    String prometheusUrl;

    @Option(names = "--bearer-token-file", description = "File with a bearer token for Prometheus.")
    Path bearerTokenFile;

    @Option(
            names = "--config",
            description =
                    "The operator's configuration file (prices, allocation keys, "
                            + "attribution), e.g. the chart's ConfigMap saved to a file (default: $COSTGUARD_CONFIG_FILE, else defaults).")
    Path config;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "TIME",
            description = "Start (a date such as 2026-11-01, or RFC 3339), on an hour; UTC for a date.")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "TIME",
            description = "End, exclusive (a date such as 2026-12-01, or RFC 3339), on an hour; at most now.")
    String to;

    @Option(names = "--by", split = ",", description = "Allocation keys of the rows (default: ${DEFAULT-VALUE}).")
    List<String> by = List.of("tenant");

    @Option(
            names = "--unattributed",
            description = "List the workloads (namespace, owner, missing labels) that "
                    + "produced untagged compute spend instead, most expensive first.")
    boolean unattributed;

    @Option(
            names = {"-o", "--output"},
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    Format output = Format.table;

    @Spec
    CommandSpec spec;

    enum Format {
        table,
        csv,
        json
    }

    /** One workload of the remediation list: its untagged compute cost over the range and the labels it lacks. */
    record Workload(String namespace, String ownerKind, String ownerName, List<String> missingLabels, double cost) {}

    /** What {@code -o json} prints: the report with its times as RFC 3339 and its currency. */
    record Json(
            String from,
            String to,
            String currency,
            List<String> by,
            List<ChargebackReport.Row> rows,
            double unattributed,
            double idle,
            double total,
            double clusterTotal,
            double difference,
            double differencePercent,
            Map<String, Integer> fallbackHours) {}

    @Override
    public Integer call() {
        // the collector's log lines are for the operator; a report of a past range would call every read "stale"
        System.setProperty("org.slf4j.simpleLogger.log.io.costguard.cost", "error");
        Instant start;
        Instant end;
        try {
            start = time("--from", from);
            end = time("--to", to);
        } catch (IllegalArgumentException e) {
            return Output.fail(spec, e.getMessage());
        }
        if (!end.isAfter(start)) {
            return Output.fail(spec, "--to " + to + " must be after --from " + from);
        }
        if (end.isAfter(Instant.now())) {
            return Output.fail(spec, "--to " + to + " is in the future; the report counts complete hours up to now");
        }
        OperatorConfig cfg;
        try {
            cfg = ConfigLoader.load(environment());
        } catch (ConfigException e) {
            return Output.fail(spec, e.getMessage());
        }
        for (String key : by) {
            if (!cfg.allocationKeys().contains(key)) {
                return Output.fail(
                        spec,
                        "--by " + key + " is not an allocation key (" + String.join(", ", cfg.allocationKeys())
                                + "); add extra keys with allocation.extraKeys in --config");
            }
        }
        PrometheusClient prometheus = new PrometheusClient(cfg.prometheus(), PrometheusClient.QueryObserver.NONE);
        return unattributed ? workloads(cfg, prometheus, start, end) : chargeback(cfg, prometheus, start, end);
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        String file = config != null ? config.toString() : System.getenv(ConfigLoader.CONFIG_FILE_ENV);
        if (file != null) {
            env.put(ConfigLoader.CONFIG_FILE_ENV, file);
        }
        if (prometheusUrl != null) {
            env.put("COSTGUARD_PROMETHEUS_URL", prometheusUrl);
        }
        if (bearerTokenFile != null) {
            env.put("COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE", bearerTokenFile.toString());
        }
        return env;
    }

    private int chargeback(OperatorConfig cfg, PrometheusClient prometheus, Instant start, Instant end) {
        HourlyCostLedger ledger = new HourlyCostLedger(cfg.allocationKeys());
        CostCollector collector =
                new CostCollector(prometheus, new CostQueries(cfg), ledger, Clock.fixed(end, ZoneOffset.UTC), cfg);
        collector.demand("report", start);
        DataStatus status = collector.collect();
        // a past range is stale by nature; a failed read, missing hours or no data at all are not a report
        if (!status.available()
                && status.reason().filter(r -> r != FailureKind.StaleData).isPresent()) {
            return Output.fail(spec, "cannot read cost from " + prometheus.baseUrl() + ": " + status.message());
        }
        long fromHour = start.getEpochSecond() / 3600;
        long toHour = end.getEpochSecond() / 3600;
        double idle = 0;
        if (cfg.attribution().idle() != OperatorConfig.IdleMode.Hide) {
            double[] compute = ledger.sourceHourly(CostQueries.COMPUTE, fromHour, toHour);
            double[] nodes = collector
                    .auxiliary(CostQueries.NODES)
                    .map(n -> n.sourceHourly(CostQueries.NODES, fromHour, toHour))
                    .orElse(new double[compute.length]);
            idle = ChargebackReport.idleTotal(nodes, compute);
        }
        ChargebackReport report =
                ChargebackReport.of(ledger, collector.allocation().snapshot(), by, start, end, idle);
        HourlyCostLedger.DataHours hours = ledger.dataHours(CostQueries.COMPUTE, fromHour, toHour);
        if (hours.missing() > 0) {
            Output.error(
                    spec,
                    String.format(
                            Locale.ROOT,
                            "%d of %d hours have no cost data (first %s); they count no cost",
                            hours.missing(),
                            hours.hours(),
                            Instant.ofEpochSecond(hours.firstMissing().getAsLong() * 3600)));
        }
        report.fallbackHours()
                .forEach((name, n) -> Output.error(
                        spec,
                        String.format(
                                Locale.ROOT,
                                "shared %s: its Query driver returned nothing for %d hours, split by Weighted there",
                                name,
                                n)));
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case json ->
                out.print(OutputFormat.json.write(new Json(
                        report.from().toString(),
                        report.to().toString(),
                        cfg.pricing().currency(),
                        report.by(),
                        report.rows(),
                        report.unattributed(),
                        report.idle(),
                        report.total(),
                        report.clusterTotal(),
                        report.difference(),
                        report.differencePercent(),
                        report.fallbackHours())));
            case csv -> csv(report, cfg.pricing().currency(), out);
            case table -> table(report, cfg.pricing().currency(), out);
        }
        out.flush(); // the jar ends with System.exit
        return Math.abs(report.differencePercent()) <= 0.5 ? 0 : 1;
    }

    private static void csv(ChargebackReport r, String currency, PrintWriter out) {
        out.println(String.join(",", r.by()) + ",direct,shared,idle,total,currency");
        for (ChargebackReport.Row row : r.rows()) {
            out.println(row.values().stream().map(ReportCommand::csvCell).collect(Collectors.joining(","))
                    + "," + money(row.direct()) + "," + money(row.shared()) + "," + money(row.idle()) + ","
                    + money(row.total())
                    + "," + currency);
        }
        String blanks = ",".repeat(Math.max(0, r.by().size() - 1));
        out.println("unattributed" + blanks + "," + money(r.unattributed()) + ",0.00,0.00," + money(r.unattributed())
                + "," + currency);
        out.println("idle" + blanks + ",0.00,0.00," + money(r.idle()) + "," + money(r.idle()) + "," + currency);
    }

    private static String csvCell(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static void table(ChargebackReport r, String currency, PrintWriter out) {
        String head = String.join(",", r.by()).toUpperCase(Locale.ROOT);
        List<String[]> lines = new ArrayList<>();
        for (ChargebackReport.Row row : r.rows()) {
            lines.add(new String[] {
                row.values().stream().map(v -> v.isEmpty() ? "-" : v).collect(Collectors.joining(",")),
                money(row.direct()),
                money(row.shared()),
                money(row.idle()),
                money(row.total())
            });
        }
        lines.add(new String[] {"(unattributed)", money(r.unattributed()), "", "", money(r.unattributed())});
        lines.add(new String[] {"(idle)", "", "", money(r.idle()), money(r.idle())});
        int width = Math.max(
                head.length(), lines.stream().mapToInt(l -> l[0].length()).max().orElse(0));
        String format = "%-" + width + "s  %12s  %12s  %12s  %12s%n";
        out.printf(Locale.ROOT, "cost %s to %s, %s%n", r.from(), r.to(), currency);
        out.printf(Locale.ROOT, format, head, "DIRECT", "SHARED", "IDLE", "TOTAL");
        lines.forEach(l -> out.printf(Locale.ROOT, format, (Object[]) l));
        out.printf(Locale.ROOT, format, "TOTAL", "", "", "", money(r.total()));
        out.printf(Locale.ROOT, format, "CLUSTER TOTAL", "", "", "", money(r.clusterTotal()));
        out.printf(
                Locale.ROOT,
                "difference %s (%.3f%%)%n",
                money(r.difference()),
                Math.abs(r.differencePercent()) < 0.0005 ? 0.0 : r.differencePercent());
    }

    private int workloads(OperatorConfig cfg, PrometheusClient prometheus, Instant start, Instant end) {
        CostQueries queries = new CostQueries(cfg);
        Map<List<String>, Double> cost = new LinkedHashMap<>();
        Map<List<String>, List<String>> missing = new HashMap<>();
        // a day per query keeps each answer's subquery points bounded
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofDays(1))) {
            Instant stop = t.plus(Duration.ofDays(1)).isAfter(end) ? end : t.plus(Duration.ofDays(1));
            QueryOutcome outcome = prometheus.query("report", queries.workloadCost(Duration.between(t, stop)), stop);
            if (outcome instanceof QueryOutcome.Failure f) {
                return Output.fail(
                        spec,
                        "cannot read workload cost from " + prometheus.baseUrl() + ": " + f.kind() + ": "
                                + ClusterAccess.firstLine(f.message()));
            }
            for (Series s : ((QueryOutcome.Success) outcome).series()) {
                List<String> lacks = cfg.allocationKeys().stream()
                        .filter(k -> s.labels().getOrDefault("label_" + k, "").isEmpty())
                        .toList();
                if (lacks.isEmpty() || s.size() == 0) {
                    continue;
                }
                List<String> id = List.of(
                        s.labels().getOrDefault("namespace", ""),
                        s.labels().getOrDefault("owner_kind", ""),
                        s.labels().getOrDefault("owner_name", ""));
                cost.merge(id, s.values()[s.size() - 1], Double::sum);
                missing.put(id, lacks);
            }
        }
        List<Workload> rows = cost.entrySet().stream()
                .map(e -> new Workload(
                        e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), missing.get(e.getKey()), e.getValue()))
                .sorted(Comparator.comparingDouble(Workload::cost).reversed())
                .toList();
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case json -> out.print(OutputFormat.json.write(rows));
            case csv -> {
                out.println("namespace,ownerKind,ownerName,missingLabels,cost,currency");
                rows.forEach(w -> out.println(w.namespace() + "," + w.ownerKind() + "," + csvCell(w.ownerName()) + ","
                        + csvCell(String.join(",", w.missingLabels())) + "," + money(w.cost()) + ","
                        + cfg.pricing().currency()));
            }
            case table -> {
                String format = "%-20s  %-40s  %-28s  %12s%n";
                out.printf(Locale.ROOT, format, "NAMESPACE", "OWNER", "MISSING LABELS", "COST");
                rows.forEach(w -> out.printf(
                        Locale.ROOT,
                        format,
                        w.namespace(),
                        w.ownerKind() + "/" + w.ownerName(),
                        String.join(",", w.missingLabels()),
                        money(w.cost())));
                out.printf(
                        Locale.ROOT,
                        format,
                        "TOTAL",
                        "",
                        "",
                        money(rows.stream().mapToDouble(Workload::cost).sum()));
            }
        }
        out.flush();
        return 0;
    }

    static Instant time(String option, String raw) {
        try {
            Instant t = raw.length() == 10
                    ? LocalDate.parse(raw).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(raw);
            if (t.getEpochSecond() % 3600 != 0) {
                throw new IllegalArgumentException(
                        option + " " + raw + " must be on a whole hour, e.g. 2026-11-01T00:00:00Z");
            }
            return t;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    option + " " + raw + " is not a date (2026-11-01) or RFC 3339 time " + "(2026-11-01T00:00:00Z)");
        }
    }

    private static String money(double v) {
        // float sums leave a -0.000001 where there is nothing: shown as 0.00, not -0.00
        return String.format(Locale.ROOT, "%.2f", Math.abs(v) < 0.005 ? 0.0 : v);
    }
}

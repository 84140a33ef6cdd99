package io.costguard.bench;

import io.costguard.api.BenchComparison;
import io.costguard.api.BenchPhase;
import io.costguard.api.BenchResults;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunStatus;
import io.costguard.api.BenchThresholds;
import io.costguard.api.ConditionType;
import io.costguard.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A BenchRun as a person reads it in a CI log: what ran, each result beside its threshold and baseline, and the
 * verdict with every reason. Pure: status in, text and exit code out.
 */
public final class BenchReport {
    /** Passed. */
    public static final int PASSED = 0;
    /** Failed, or ended in Error, or is Invalid: a pipeline must not go on. */
    public static final int FAILED = 1;
    /** Not finished yet (Pending, Running, Collecting). */
    public static final int NOT_FINISHED = 3;

    private BenchReport() {}

    public static boolean finished(BenchRun run) {
        String phase = phase(run);
        return BenchPhase.finished(phase) || BenchPhase.Invalid.is(phase);
    }

    public static int exitCode(BenchRun run) {
        String phase = phase(run);
        if (BenchPhase.Passed.is(phase)) {
            return PASSED;
        }
        return finished(run) ? FAILED : NOT_FINISHED;
    }

    public static String render(BenchRun run) {
        BenchRunStatus s = run.getStatus();
        String phase = phase(run);
        StringBuilder out = new StringBuilder();
        var spec = run.getSpec();
        String target = spec == null || spec.target == null
                ? "?"
                : spec.target.workload != null
                        ? (spec.target.workload.kind == null ? "Deployment" : spec.target.workload.kind) + " "
                                + spec.target.workload.name
                        : spec.target.url;
        out.append("BenchRun ")
                .append(run.getMetadata().getNamespace())
                .append('/')
                .append(run.getMetadata().getName())
                .append("   target ")
                .append(target)
                .append("   phase ")
                .append(phase)
                .append('\n');
        if (spec != null && spec.load != null) {
            out.append("load     ")
                    .append(spec.load.executor == null ? "constant-arrival-rate" : spec.load.executor)
                    .append(", ")
                    .append(spec.load.rate != null ? spec.load.rate + "/s" : spec.load.vus + " VUs")
                    .append(" for ")
                    .append(spec.load.duration)
                    .append(spec.load.warmup == null ? "" : " (first " + spec.load.warmup + " discarded)")
                    .append(s != null && s.jobName != null ? "   job " + s.jobName : "")
                    .append('\n');
        }
        if (s != null && s.startTime != null) {
            out.append("window   ")
                    .append(s.startTime)
                    .append(" .. ")
                    .append(s.completionTime == null ? "(running)" : s.completionTime)
                    .append('\n');
        }
        if (s == null || s.results == null) {
            var complete = s == null ? null : Conditions.find(s.conditions, ConditionType.Complete);
            var ready = s == null ? null : Conditions.find(s.conditions, ConditionType.Ready);
            var why = ready != null && "False".equals(ready.getStatus()) ? ready : complete;
            out.append('\n')
                    .append(why == null ? "no results yet" : why.getReason() + ": " + why.getMessage())
                    .append('\n');
        } else {
            out.append('\n').append(table(s.results, spec == null ? null : spec.thresholds, s.comparison));
        }
        if (s != null && s.verdict != null && s.verdict.result != null) {
            out.append("\nVERDICT: ").append(s.verdict.result).append('\n');
            for (String reason : s.verdict.reasons) {
                out.append("  - ").append(reason).append('\n');
            }
        } else if (!finished(run)) {
            out.append("\nVERDICT: none yet (phase ").append(phase).append(")\n");
        } else {
            out.append("\nVERDICT: Fail (phase ").append(phase).append(")\n");
        }
        return out.toString();
    }

    private static String table(BenchResults r, BenchThresholds t, List<BenchComparison> comparison) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RESULT", "VALUE", "THRESHOLD", "BASELINE", "CHANGE", "VERDICT"});
        rows.add(row("requests", String.valueOf(r.requests), null, null, comparison));
        rows.add(row("throughput (/s)", r.throughput, null, "throughput", comparison));
        if (r.droppedIterations != null) {
            rows.add(row("dropped iterations", String.valueOf(r.droppedIterations), null, null, comparison));
        }
        rows.add(row("latency p50", r.latencyP50, null, null, comparison));
        rows.add(row("latency p95", r.latencyP95, t == null ? null : t.latencyP95, "latencyP95", comparison));
        rows.add(row("latency p99", r.latencyP99, null, null, comparison));
        rows.add(row("error ratio", r.errorRatio, t == null ? null : t.errorRatio, "errorRatio", comparison));
        rows.add(row("cost", r.costUSD, null, null, comparison));
        rows.add(row(
                "cost per 1k requests",
                r.costPer1kRequests,
                t == null ? null : t.maxCostPer1kRequests,
                "costPer1kRequests",
                comparison));
        int[] width = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + (width[i] + 3) + "s", row[i]));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String[] row(
            String name, String value, String threshold, String metric, List<BenchComparison> comparison) {
        BenchComparison c = metric == null || comparison == null
                ? null
                : comparison.stream()
                        .filter(x -> metric.equals(x.metric))
                        .findFirst()
                        .orElse(null);
        String change =
                c == null || c.changePercent == null ? "" : (c.changePercent > 0 ? "+" : "") + c.changePercent + " %";
        return new String[] {
            name,
            value == null ? "-" : value,
            threshold == null ? "" : threshold,
            c == null ? "" : c.baseline,
            change,
            c == null ? "" : c.verdict
        };
    }

    private static String phase(BenchRun run) {
        return run.getStatus() == null || run.getStatus().phase == null
                ? BenchPhase.Pending.name()
                : run.getStatus().phase;
    }
}

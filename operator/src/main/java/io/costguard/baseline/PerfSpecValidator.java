package io.costguard.baseline;

import static io.costguard.api.SpecFields.cut;
import static io.costguard.api.SpecFields.decimal;
import static io.costguard.api.SpecFields.duration;
import static io.costguard.api.SpecFields.latency;
import static io.costguard.api.SpecFields.quote;
import static io.costguard.api.SpecFields.ratio;

import io.costguard.api.PerfBaselineSpec;
import io.costguard.api.PerfMetricQueries;
import io.costguard.api.PerfSlo;
import io.costguard.api.PerfValues;
import io.costguard.api.QuantityRange;
import io.costguard.api.RegressionSpec;
import io.costguard.api.RightsizingSpec;
import io.costguard.api.SpecProblem;
import io.costguard.rightsizing.Rightsizer;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a PerfBaseline spec beyond its schema and turns it into a {@link PerfPlan}. Every problem names the
 * field path and the fix. Used by the reconciler (state Invalid), the admission webhook and the webhook's feed.
 */
public final class PerfSpecValidator {
    static final Duration MAX_MIN_HISTORY = Duration.ofHours(24);
    private static final Pattern OBJECT_NAME = Pattern.compile(io.costguard.api.ApiPatterns.OBJECT_NAME);
    private static final Set<String> PLACEHOLDERS = Set.of("$namespace", "$workload", "$pods", "$window");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$[a-z_]+");

    public record Result(PerfPlan plan, List<SpecProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public Result validate(PerfBaselineSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec == null) {
            problems.add(new SpecProblem("spec", "is missing; set at least spec.workload.name"));
            return new Result(null, problems);
        }
        if (spec.unreadable() != null) {
            return new Result(null, List.of(spec.unreadable()));
        }
        String kind = "Deployment";
        String workload = null;
        if (spec.workload == null || spec.workload.name == null || spec.workload.name.isBlank()) {
            problems.add(new SpecProblem(
                    "spec.workload.name", "is required: the Deployment or StatefulSet in this namespace to track"));
        } else {
            workload = spec.workload.name;
            if (!OBJECT_NAME.matcher(workload).matches() || workload.length() > 253) {
                problems.add(new SpecProblem(
                        "spec.workload.name",
                        quote(workload) + " is not an object name (lower-case letters, digits, '-', '.')"));
            }
            if (spec.workload.kind != null) {
                kind = spec.workload.kind;
                if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                    problems.add(new SpecProblem(
                            "spec.workload.kind",
                            quote(kind) + " is not supported; use Deployment or StatefulSet (apps/v1)"));
                }
            }
        }
        PerfPlan.Queries queries = queries(spec.metrics, problems);
        PerfPlan.Values slo = slo(spec.slo, problems);
        PerfPlan.Values pinned = values("spec.baseline", spec.baseline, problems);
        PerfPlan.Regression regression = regression(spec.regression, problems);
        boolean notify = spec.onRegression == null;
        boolean freeze = false;
        if (spec.onRegression != null) {
            for (int i = 0; i < spec.onRegression.size(); i++) {
                String a = spec.onRegression.get(i);
                if ("Notify".equals(a)) {
                    notify = true;
                } else if ("Freeze".equals(a)) {
                    freeze = true;
                } else {
                    problems.add(new SpecProblem(
                            "spec.onRegression[" + i + "]", quote(a) + " is not an action; use Notify or Freeze"));
                }
            }
            if (spec.onRegression.isEmpty()) {
                problems.add(new SpecProblem(
                        "spec.onRegression",
                        "is empty, so a confirmed regression would do nothing; list Notify and/or "
                                + "Freeze, or leave it out for Notify"));
            }
            if (spec.onRegression.stream().distinct().count() < spec.onRegression.size()) {
                problems.add(new SpecProblem(
                        "spec.onRegression", "lists an action twice; list each of Notify, Freeze at most once"));
            }
        }
        boolean freezeNamespace = false;
        if (spec.freezeScope != null) {
            if ("Namespace".equals(spec.freezeScope)) {
                freezeNamespace = true;
            } else if (!"Workload".equals(spec.freezeScope)) {
                problems.add(new SpecProblem(
                        "spec.freezeScope", quote(spec.freezeScope) + " is not a scope; use Workload or Namespace"));
            }
        }
        PerfPlan.Rightsizing rightsizing = rightsizing(spec.rightsizing, problems);
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(
                new PerfPlan(
                        kind, workload, queries, slo, pinned, regression, notify, freeze, freezeNamespace, rightsizing),
                problems);
    }

    private static PerfPlan.Queries queries(PerfMetricQueries m, List<SpecProblem> problems) {
        if (m == null) {
            return new PerfPlan.Queries(null, null, null);
        }
        return new PerfPlan.Queries(
                template("spec.metrics.latencyP95", m.latencyP95, problems),
                template("spec.metrics.errorRatio", m.errorRatio, problems),
                template("spec.metrics.throughput", m.throughput, problems));
    }

    private static String template(String field, String text, List<SpecProblem> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        var m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group())) {
                problems.add(new SpecProblem(
                        field,
                        "unknown placeholder " + m.group() + "; use $namespace, $workload, $pods (a regular expression "
                                + "matching the workload's pod names) or $window"));
                return null;
            }
        }
        return text;
    }

    private static PerfPlan.Values slo(PerfSlo s, List<SpecProblem> problems) {
        if (s == null) {
            return PerfPlan.Values.NONE;
        }
        return new PerfPlan.Values(
                latency("spec.slo.latencyP95", s.latencyP95, problems),
                ratio("spec.slo.errorRatio", s.errorRatio, problems),
                decimal("spec.slo.minThroughput", s.minThroughput, problems),
                decimal("spec.slo.maxCostPer1kRequests", s.maxCostPer1kRequests, problems));
    }

    private static PerfPlan.Values values(String prefix, PerfValues v, List<SpecProblem> problems) {
        if (v == null) {
            return PerfPlan.Values.NONE;
        }
        PerfPlan.Values out = new PerfPlan.Values(
                latency(prefix + ".latencyP95", v.latencyP95, problems),
                ratio(prefix + ".errorRatio", v.errorRatio, problems),
                decimal(prefix + ".throughput", v.throughput, problems),
                decimal(prefix + ".costPer1kRequests", v.costPer1kRequests, problems));
        if (out.throughput() != null && out.throughput() == 0) {
            problems.add(new SpecProblem(prefix + ".throughput", "must be above 0: changes are measured against it"));
        }
        return out;
    }

    private static PerfPlan.Regression regression(RegressionSpec r, List<SpecProblem> problems) {
        RegressionSpec s = r == null ? new RegressionSpec() : r;
        int latencyPercent = percent("spec.regression.latencyPercent", s.latencyPercent, 10, problems);
        Duration latencyFor = s.latencyFor == null
                ? Duration.ofMinutes(15)
                : duration("spec.regression.latencyFor", s.latencyFor, true, problems);
        int throughputPercent = percent("spec.regression.throughputPercent", s.throughputPercent, 20, problems);
        Double errorRatio = s.errorRatio == null
                ? Double.valueOf(0.004)
                : ratio("spec.regression.errorRatio", s.errorRatio, problems);
        int costPercent = percent("spec.regression.costPerUnitPercent", s.costPerUnitPercent, 10, problems);
        int consecutive = s.consecutiveEvaluations == null ? 3 : s.consecutiveEvaluations;
        if (consecutive < 1 || consecutive > 100) {
            problems.add(new SpecProblem(
                    "spec.regression.consecutiveEvaluations", consecutive + " is out of range; use 1 to 100"));
        }
        return new PerfPlan.Regression(
                latencyPercent,
                latencyFor == null ? Duration.ZERO : latencyFor,
                throughputPercent,
                errorRatio == null ? 0.004 : errorRatio,
                costPercent,
                consecutive);
    }

    private static PerfPlan.Rightsizing rightsizing(RightsizingSpec r, List<SpecProblem> problems) {
        RightsizingSpec s = r == null ? new RightsizingSpec() : r;
        PerfPlan.Mode mode = PerfPlan.Mode.Recommend;
        if (s.mode != null) {
            switch (s.mode) {
                case "Off" -> mode = PerfPlan.Mode.Off;
                case "Recommend" -> mode = PerfPlan.Mode.Recommend;
                case "Apply" -> mode = PerfPlan.Mode.Apply;
                case "false" ->
                    problems.add(
                            new SpecProblem(
                                    "spec.rightsizing.mode",
                                    "is the YAML boolean false: unquoted Off is read as a boolean; write mode: \"Off\" in quotes"));
                default ->
                    problems.add(new SpecProblem(
                            "spec.rightsizing.mode",
                            quote(s.mode) + " is not a mode; use \"Off\", Recommend or Apply"));
            }
        }
        Rightsizer.Profile profile = Rightsizer.Profile.LatencySensitive;
        if (s.profile != null) {
            try {
                profile = Rightsizer.Profile.valueOf(s.profile);
            } catch (IllegalArgumentException e) {
                problems.add(new SpecProblem(
                        "spec.rightsizing.profile",
                        quote(s.profile) + " is not a profile; use LatencySensitive (30 % headroom) or Batch (15 %)"));
            }
        }
        int percentile = s.percentile == null ? 95 : s.percentile;
        if (percentile < 50 || percentile > 100) {
            problems.add(
                    new SpecProblem("spec.rightsizing.percentile", percentile + " is out of range; use 50 to 100"));
        }
        Duration lookback = s.lookback == null
                ? Duration.ofDays(7)
                : duration("spec.rightsizing.lookback", s.lookback, false, problems);
        Duration cooldown = s.cooldown == null
                ? Duration.ofHours(24)
                : duration("spec.rightsizing.cooldown", s.cooldown, true, problems);
        double minChange = 0.10;
        if (s.minChange != null) {
            String t = s.minChange.trim();
            try {
                minChange = Double.parseDouble(t.endsWith("%") ? t.substring(0, t.length() - 1) : "x") / 100;
                if (minChange < 0 || minChange >= 1) {
                    problems.add(new SpecProblem(
                            "spec.rightsizing.minChange", quote(s.minChange) + " is out of range; use 0% to 99%"));
                }
            } catch (NumberFormatException e) {
                problems.add(new SpecProblem(
                        "spec.rightsizing.minChange", quote(s.minChange) + " is not a percentage such as \"10%\""));
            }
        }
        double[] cpu = range("spec.rightsizing.bounds.cpu", s.bounds == null ? null : s.bounds.cpu, problems);
        double[] memory = range("spec.rightsizing.bounds.memory", s.bounds == null ? null : s.bounds.memory, problems);
        if (lookback == null || cooldown == null) {
            return null;
        }
        Duration minHistory = lookback.compareTo(MAX_MIN_HISTORY) < 0 ? lookback : MAX_MIN_HISTORY;
        return new PerfPlan.Rightsizing(
                mode,
                new Rightsizer.Settings(
                        profile,
                        percentile,
                        minChange,
                        cooldown,
                        minHistory,
                        boxed(cpu, 0),
                        boxed(cpu, 1),
                        boxed(memory, 0),
                        boxed(memory, 1)),
                lookback);
    }

    private static Double boxed(double[] range, int i) {
        return range == null || Double.isNaN(range[i]) ? null : range[i];
    }

    /** {min, max} in cores or bytes, NaN where unset; null when unset or wrong. */
    private static double[] range(String field, QuantityRange range, List<SpecProblem> problems) {
        if (range == null) {
            return null;
        }
        double min = quantity(field + ".min", range.min, problems);
        double max = quantity(field + ".max", range.max, problems);
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            problems.add(new SpecProblem(
                    field + ".min",
                    cut(range.min) + " is above " + field + ".max " + cut(range.max) + "; set min at or below max"));
            return null;
        }
        return new double[] {min, max};
    }

    private static double quantity(String field, String text, List<SpecProblem> problems) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            BigDecimal v = Quantity.getAmountInBytes(new Quantity(text));
            if (v.signum() < 0) {
                throw new IllegalArgumentException();
            }
            return v.doubleValue();
        } catch (RuntimeException e) {
            problems.add(
                    new SpecProblem(field, quote(text) + " is not a Kubernetes quantity such as 100m, \"2\" or 256Mi"));
            return Double.NaN;
        }
    }

    private static int percent(String field, Integer value, int dflt, List<SpecProblem> problems) {
        if (value == null) {
            return dflt;
        }
        if (value < 1 || value > 1000) {
            problems.add(new SpecProblem(field, value + " is out of range; use 1 to 1000 (percent)"));
        }
        return value;
    }
}

package io.costguard.bench;

import static io.costguard.api.SpecFields.quote;

import io.costguard.api.BenchRunSpec;
import io.costguard.api.BenchThresholds;
import io.costguard.api.LoadSpec;
import io.costguard.api.SpecFields;
import io.costguard.api.SpecProblem;
import io.costguard.baseline.PerfPlan;
import io.costguard.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a BenchRun spec beyond its schema and turns it into a {@link BenchPlan}. Every problem names the field
 * path and the fix. Used by the reconciler (phase Invalid) and the admission webhook.
 */
public final class BenchSpecValidator {
    static final Duration MAX_DURATION = Duration.ofDays(1);
    static final int MAX_LOAD = 100_000;
    private static final Pattern OBJECT_NAME = Pattern.compile(io.costguard.api.ApiPatterns.OBJECT_NAME);
    private static final Pattern URL = Pattern.compile("^https?://[^\\s]+$");
    private static final Pattern KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

    public record Result(BenchPlan plan, List<SpecProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private final List<String> allowedImages;

    /** With the default settings: a BenchRun may name only the default pinned k6 image. */
    /** {@code allowedImages}: bench.allowedImages, image references or prefixes ending in {@code *}. */
    public BenchSpecValidator(List<String> allowedImages) {
        this.allowedImages = List.copyOf(allowedImages);
    }

    /** Whether an image is one of the allowed references, or starts with an allowed prefix ("registry.example.com/k6:*"). */
    static boolean allowed(String image, List<String> allowedImages) {
        return allowedImages.stream()
                .anyMatch(a -> a.endsWith("*") ? image.startsWith(a.substring(0, a.length() - 1)) : image.equals(a));
    }

    public Result validate(BenchRunSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec == null) {
            problems.add(new SpecProblem("spec", "is missing; set at least spec.target.url and spec.load"));
            return new Result(null, problems);
        }
        if (spec.unreadable() != null) {
            return new Result(null, List.of(spec.unreadable()));
        }
        String url = null;
        String kind = null;
        String workload = null;
        if (spec.target == null || spec.target.url == null || spec.target.url.isBlank()) {
            problems.add(new SpecProblem("spec.target.url", "is required: the http(s) URL k6 sends the load to"));
        } else if (!URL.matcher(spec.target.url).matches()) {
            problems.add(new SpecProblem(
                    "spec.target.url",
                    quote(spec.target.url) + " is not an http(s) URL, e.g. http://expense-api:8080/expense"));
        } else {
            url = spec.target.url;
        }
        if (spec.target != null && spec.target.workload != null) {
            kind = spec.target.workload.kind == null ? "Deployment" : spec.target.workload.kind;
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                problems.add(new SpecProblem(
                        "spec.target.workload.kind",
                        quote(kind) + " is not supported; use Deployment or StatefulSet (apps/v1)"));
            }
            workload = spec.target.workload.name;
            if (workload == null || workload.isBlank()) {
                problems.add(new SpecProblem(
                        "spec.target.workload.name",
                        "is required when spec.target.workload is set: the workload the run is charged to"));
            } else if (!OBJECT_NAME.matcher(workload).matches() || workload.length() > 253) {
                problems.add(new SpecProblem(
                        "spec.target.workload.name",
                        quote(workload) + " is not an object name (lower-case letters, digits, '-', '.')"));
            }
        }
        LoadSpec load = spec.load;
        BenchPlan.Script script = null;
        BenchPlan.Executor executor = BenchPlan.Executor.CONSTANT_ARRIVAL_RATE;
        Duration duration = null;
        Duration warmup = Duration.ZERO;
        if (load == null) {
            problems.add(new SpecProblem("spec.load", "is required: the k6 script, rate and duration"));
        } else {
            script = script(load, problems);
            if (load.executor != null) {
                executor = BenchPlan.Executor.of(load.executor);
                if (executor == null) {
                    problems.add(
                            new SpecProblem(
                                    "spec.load.executor",
                                    quote(load.executor)
                                            + " is not supported; use constant-arrival-rate, ramping-arrival-rate or constant-vus"));
                }
            }
            if (executor == BenchPlan.Executor.CONSTANT_VUS && load.vus == null) {
                problems.add(new SpecProblem(
                        "spec.load.vus", "is required for the constant-vus executor: how many virtual users"));
            }
            if (executor != null && executor != BenchPlan.Executor.CONSTANT_VUS && load.rate == null) {
                problems.add(new SpecProblem(
                        "spec.load.rate",
                        "is required for the " + executor.k6Name() + " executor: requests per second"));
            }
            if (load.rate != null && load.rate < 1) {
                problems.add(new SpecProblem("spec.load.rate", load.rate + " must be at least 1 request per second"));
            }
            if (load.vus != null && load.vus < 1) {
                problems.add(new SpecProblem("spec.load.vus", load.vus + " must be at least 1"));
            }
            if (load.rate != null && load.rate > MAX_LOAD) {
                problems.add(new SpecProblem(
                        "spec.load.rate",
                        load.rate + " is more than one k6 pod is sized for; use at most " + MAX_LOAD));
            }
            if (load.vus != null && load.vus > MAX_LOAD) {
                problems.add(new SpecProblem(
                        "spec.load.vus", load.vus + " is more than one k6 pod is sized for; use at most " + MAX_LOAD));
            }
            duration = duration("spec.load.duration", load.duration, true, problems);
            if (duration != null && duration.compareTo(MAX_DURATION) > 0) {
                problems.add(new SpecProblem(
                        "spec.load.duration",
                        Durations.format(duration) + " is longer than " + Durations.format(MAX_DURATION)
                                + "; split a soak test into several BenchRuns"));
            }
            if (duration != null && duration.toSeconds() < 1) {
                problems.add(new SpecProblem("spec.load.duration", "must be at least 1s"));
            } else if (duration != null && duration.getNano() != 0) {
                problems.add(new SpecProblem(
                        "spec.load.duration",
                        SpecFields.cut(load.duration) + " is not a whole number of seconds, which k6 "
                                + "scenarios are planned in; e.g. 30m or 90s"));
            }
            Duration w = duration("spec.load.warmup", load.warmup, false, problems);
            if (w != null && w.getNano() != 0) {
                problems.add(new SpecProblem(
                        "spec.load.warmup",
                        SpecFields.cut(load.warmup) + " is not a whole number of seconds, which k6 "
                                + "scenarios are planned in; e.g. 5m or 30s"));
            } else if (w != null) {
                warmup = w;
                if (duration != null && warmup.compareTo(duration) >= 0) {
                    problems.add(new SpecProblem(
                            "spec.load.warmup",
                            Durations.format(warmup) + " must be shorter than spec.load.duration "
                                    + Durations.format(duration) + ", or no results would remain"));
                }
            }
        }
        PerfPlan.Values thresholds = thresholds(spec.thresholds, problems);
        if (thresholds.costPer1k() != null && workload == null && url != null) {
            problems.add(
                    new SpecProblem(
                            "spec.thresholds.maxCostPer1kRequests",
                            "needs spec.target.workload: a run's cost is the cost "
                                    + "of the workload it loads; name the Deployment or StatefulSet behind the URL, or drop the threshold"));
        }
        if (spec.baselineRef != null
                && (!OBJECT_NAME.matcher(spec.baselineRef).matches() || spec.baselineRef.length() > 253)) {
            problems.add(new SpecProblem(
                    "spec.baselineRef",
                    quote(spec.baselineRef) + " is not an object name; name a PerfBaseline in this namespace"));
        }
        int maxRegression = spec.maxRegressionPercent == null ? 5 : spec.maxRegressionPercent;
        if (maxRegression < 0 || maxRegression > 1000) {
            problems.add(new SpecProblem(
                    "spec.maxRegressionPercent", maxRegression + " is out of range; use 0-1000 (default 5)"));
        }
        boolean record = Boolean.TRUE.equals(spec.recordBaseline);
        if (record && spec.baselineRef == null) {
            problems.add(new SpecProblem(
                    "spec.recordBaseline",
                    "true requires spec.baselineRef, the PerfBaseline to record the results in"));
        }
        if (spec.image != null && (spec.image.isBlank() || spec.image.chars().anyMatch(Character::isWhitespace))) {
            problems.add(new SpecProblem(
                    "spec.image",
                    quote(spec.image) + " is not an image reference, e.g. grafana/k6:1.3.0; "
                            + "or leave it unset for the operator's pinned image"));
        } else if (spec.image != null && !allowed(spec.image, allowedImages)) {
            // the k6 pod runs in the tenant's namespace: only images the cluster admin allowed may run there
            problems.add(new SpecProblem(
                    "spec.image",
                    quote(spec.image) + " is not allowed; use one of bench.allowedImages "
                            + String.join(", ", allowedImages)
                            + " (an entry ending in * is a prefix), or leave spec.image unset for the operator's "
                            + "pinned image"));
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }
        return new Result(
                new BenchPlan(
                        url,
                        kind,
                        workload,
                        script,
                        executor,
                        load.rate,
                        load.vus,
                        duration,
                        warmup,
                        thresholds,
                        spec.baselineRef,
                        maxRegression,
                        record,
                        spec.image),
                problems);
    }

    private static BenchPlan.Script script(LoadSpec load, List<SpecProblem> problems) {
        if (load.script == null) {
            problems.add(new SpecProblem(
                    "spec.load.script", "is required: inline (the script itself) or configMapRef {name, key}"));
            return null;
        }
        boolean inline = load.script.inline != null;
        boolean ref = load.script.configMapRef != null;
        if (inline == ref) {
            problems.add(new SpecProblem("spec.load.script", "needs exactly one of inline or configMapRef"));
            return null;
        }
        if (inline) {
            if (load.script.inline.isBlank()) {
                problems.add(new SpecProblem(
                        "spec.load.script.inline", "is empty; write a k6 script exporting a default function"));
                return null;
            }
            return new BenchPlan.Script(load.script.inline, null, null);
        }
        var r = load.script.configMapRef;
        if (r.name == null || !OBJECT_NAME.matcher(r.name).matches()) {
            problems.add(
                    new SpecProblem("spec.load.script.configMapRef.name", quote(r.name) + " is not a ConfigMap name"));
            return null;
        }
        if (r.key == null || !KEY.matcher(r.key).matches()) {
            problems.add(new SpecProblem(
                    "spec.load.script.configMapRef.key", quote(r.key) + " is not a ConfigMap key, e.g. script.js"));
            return null;
        }
        return new BenchPlan.Script(null, r.name, r.key);
    }

    private static PerfPlan.Values thresholds(BenchThresholds t, List<SpecProblem> problems) {
        if (t == null) {
            return PerfPlan.Values.NONE;
        }
        return new PerfPlan.Values(
                SpecFields.latency("spec.thresholds.latencyP95", t.latencyP95, problems),
                SpecFields.ratio("spec.thresholds.errorRatio", t.errorRatio, problems),
                null,
                SpecFields.decimal("spec.thresholds.maxCostPer1kRequests", t.maxCostPer1kRequests, problems));
    }

    private static Duration duration(String field, String text, boolean required, List<SpecProblem> problems) {
        if (text == null) {
            if (required) {
                problems.add(new SpecProblem(field, "is required, as a Prometheus duration such as 30m"));
            }
            return null;
        }
        return SpecFields.duration(field, text, true, problems);
    }
}

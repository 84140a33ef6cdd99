package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.costguard.config.OperatorConfig.Pricing;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cost preview (DESIGN.md section 5): the predicted monthly cost of a workload from its requests × replicas × the
 * price sheet (730 hours a month), as a warning on every admitted change in a budgeted scope; while a covering
 * budget is at or past its Freeze threshold, a change that raises the predicted cost is denied with the figures.
 */
public final class CostPreview {
    public static final double HOURS_PER_MONTH = 730;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final List<String> GPU_RESOURCES = List.of("nvidia.com/gpu", "amd.com/gpu");

    /** Warnings to add; a denial message when a budget at its Freeze threshold would be pushed further. */
    public record Result(List<String> warnings, String denial, String breakGlass) {
        static final Result NONE = new Result(List.of(), null, null);
    }

    private final Workloads workloads;
    private final Pricing pricing;
    private final Duration breakGlassMaxAge;

    public CostPreview(Workloads workloads, Pricing pricing, Duration breakGlassMaxAge) {
        this.workloads = workloads;
        this.pricing = pricing;
        this.breakGlassMaxAge = breakGlassMaxAge;
    }

    public Result check(AdmissionRequest r, BudgetIndex budgets, Instant now) {
        if (!("CREATE".equals(r.operation()) || "UPDATE".equals(r.operation()))
                || !r.subResource().isEmpty()
                || r.object() == null) {
            return Result.NONE;
        }
        Optional<Workloads.Kind> kind = workloads.find(r.group(), r.kind());
        if (kind.isEmpty()
                || Workloads.controlled(r.object())
                || "DaemonSet".equals(r.kind())
                || "CronJob".equals(r.kind())) {
            return Result.NONE;
        }
        Map<String, String> labels = FreezeRule.labels(
                Workloads.template(r.object(), kind.get()).path("metadata").path("labels"));
        List<BudgetIndex.Budget> covering = budgets.covering(r.namespace(), labels);
        if (covering.isEmpty()) {
            return Result.NONE;
        }
        double after = monthly(r.object(), kind.get());
        double before = r.oldObject() == null ? 0 : monthly(r.oldObject(), kind.get());
        String figures = r.describe() + ": predicted " + money(after) + " " + pricing.currency()
                + "/month from requests × replicas"
                + (r.oldObject() == null ? "" : " (was " + money(before) + ", " + signed(after - before) + ")");
        List<String> warnings = new ArrayList<>();
        String denial = null;
        for (BudgetIndex.Budget b : covering) {
            String where = "budget " + b.id()
                    + (b.usedPercent() == null
                            ? " (usage unknown)"
                            : " at " + b.usedPercent() + "% of " + b.amount().toPlainString() + " " + b.currency());
            if (b.atFreeze() && after > before + 1e-9 && denial == null) {
                denial = figures + "; " + where + " is at or past its Freeze threshold of " + b.freezePercent()
                        + "%, so changes that raise cost are denied";
            } else {
                warnings.add("costguard: " + figures + "; " + where);
            }
        }
        if (denial == null) {
            return new Result(warnings, null, null);
        }
        BreakGlass.Status glass = BreakGlass.of(r.object(), now, breakGlassMaxAge);
        if (glass.valid()) {
            warnings.add("break-glass '" + glass.reason() + "' let this through: " + denial);
            return new Result(warnings, null, glass.reason());
        }
        String fix = glass.present()
                ? ". The break-glass was refused: " + glass.problem()
                : ". Fix: keep requests × replicas at or below the current figure, raise the budget, or for an emergency set "
                        + BreakGlass.REASON + ": \"<reason>\" and " + BreakGlass.UNTIL + ": <RFC 3339 time at most "
                        + BreakGlass.humane(breakGlassMaxAge) + " from now>";
        return new Result(warnings, denial + fix, null);
    }

    /** Predicted monthly cost of one object: containers' requests (limits where requests are unset) × replicas. */
    public double monthly(JsonNode object, Workloads.Kind kind) {
        JsonNode template = Workloads.template(object, kind);
        double perHour = 0;
        for (JsonNode c : template.path("spec").path("containers")) {
            JsonNode requests = c.path("resources").path("requests");
            JsonNode limits = c.path("resources").path("limits");
            perHour += amount(requests, limits, "cpu", 1) * pricing.cpuCoreHour();
            perHour += amount(requests, limits, "memory", GIB) * pricing.memoryGiBHour();
            for (String gpu : GPU_RESOURCES) {
                perHour += amount(requests, limits, gpu, 1) * pricing.gpuHour();
            }
        }
        return perHour * replicas(object, kind) * HOURS_PER_MONTH;
    }

    private static double amount(JsonNode requests, JsonNode limits, String resource, double unit) {
        JsonNode v = requests.path(resource);
        if (v.isMissingNode() || v.isNull()) {
            v = limits.path(resource);
        }
        if (v.isMissingNode() || v.isNull()) {
            return 0;
        }
        try {
            BigDecimal n = Quantity.getAmountInBytes(new Quantity(v.asText()));
            return n.doubleValue() / unit;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long replicas(JsonNode object, Workloads.Kind kind) {
        if (kind.templatePath().isEmpty()) {
            return 1;
        }
        JsonNode spec = object.path("spec");
        if ("Job".equals(kind.kind())) {
            return spec.path("parallelism").asLong(1);
        }
        return spec.has("replicas") ? spec.path("replicas").asLong(1) : 1;
    }

    static String money(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String signed(double v) {
        return (v >= 0 ? "+" : "") + money(v);
    }
}

package io.costguard.rightsizing;

import io.costguard.api.ContainerResources;
import io.costguard.api.ResourceChange;
import io.costguard.api.RightsizingRecommendation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rightsizing of a whole workload, pure: runs {@link Rightsizer} per container of the pod template and turns the
 * results into status recommendations, a ready-to-commit strategic merge patch, and the resources an Apply sets
 * (requests, and limits scaled in proportion where both were set).
 */
public record RightsizingPlan(
        List<RightsizingRecommendation> recommendations,
        String patch,
        Map<String, ContainerResources> previous,
        Map<String, ContainerResources> next,
        String lowConfidence,
        boolean mayApply) {

    /** A container of the pod template as it is now: name and resources (maps may be empty). */
    public record Container(String name, Map<String, String> requests, Map<String, String> limits) {}

    public boolean changes() {
        return !next.isEmpty();
    }

    public static RightsizingPlan of(
            Rightsizer rightsizer,
            List<Container> containers,
            Usage usage,
            boolean hpaOnCpu,
            Instant lastApplied,
            Instant now) {
        List<RightsizingRecommendation> recs = new ArrayList<>();
        Map<String, ContainerResources> previous = new LinkedHashMap<>();
        Map<String, ContainerResources> next = new LinkedHashMap<>();
        StringBuilder patch = new StringBuilder();
        List<String> low = new ArrayList<>();
        boolean mayApply = true;
        for (Container c : containers) {
            Usage.Container u = usage.containers().get(c.name());
            RightsizingRecommendation rec = new RightsizingRecommendation();
            rec.container = c.name();
            if (u == null) {
                rec.basis = "LowConfidence: no usage series for this container";
                low.add(c.name() + ": no usage series");
                recs.add(rec);
                continue;
            }
            Double cpuNow = cores(c.requests().get("cpu"));
            Double memNow = bytes(c.requests().get("memory"));
            Rightsizer.Result r = rightsizer.recommend(
                    new Rightsizer.Observed(
                            c.name(),
                            cpuNow,
                            memNow,
                            u.cpu(),
                            u.memoryPeak(),
                            u.history(),
                            u.oomKilled(),
                            u.limitAtKill(),
                            hpaOnCpu,
                            lastApplied),
                    now);
            mayApply &= r.mayApply();
            if (r.lowConfidence() != null) {
                rec.basis = r.lowConfidence();
                low.add(c.name() + ": " + r.lowConfidence().replaceFirst("^LowConfidence: ", ""));
                recs.add(rec);
                continue;
            }
            rec.basis = r.basis();
            if (!hpaOnCpu) {
                rec.cpuRequest =
                        change(c.requests().get("cpu"), cpuQuantity(r.cpu().recommended()));
            } else {
                rec.basis = r.basis() + "; CPU left alone: " + r.cpu().reason();
            }
            rec.memoryRequest =
                    change(c.requests().get("memory"), memoryQuantity(r.memory().recommended()));
            if (r.memory().changed()
                    && r.memory().reason() != null
                    && !r.memory().reason().equals(r.basis())) {
                rec.basis = rec.basis + "; memory " + r.memory().reason();
            }
            recs.add(rec);
            boolean cpuChanged = !hpaOnCpu && r.cpu().changed();
            boolean memChanged = r.memory().changed();
            if (!cpuChanged && !memChanged) {
                continue;
            }
            Map<String, String> requests = new LinkedHashMap<>(c.requests());
            Map<String, String> limits = new LinkedHashMap<>(c.limits());
            if (cpuChanged) {
                requests.put("cpu", rec.cpuRequest.recommended);
                scaleLimit(limits, "cpu", cpuNow, r.cpu().recommended(), true);
            }
            if (memChanged) {
                requests.put("memory", rec.memoryRequest.recommended);
                scaleLimit(limits, "memory", memNow, r.memory().recommended(), false);
            }
            previous.put(c.name(), resources(c.requests(), c.limits()));
            next.put(c.name(), resources(requests, limits));
            patch.append("      - name: ").append(c.name()).append("\n        resources:\n          requests:\n");
            if (cpuChanged) {
                patch.append("            cpu: ")
                        .append(quote(rec.cpuRequest.recommended))
                        .append('\n');
            }
            if (memChanged) {
                patch.append("            memory: ")
                        .append(quote(rec.memoryRequest.recommended))
                        .append('\n');
            }
            if (!limits.equals(c.limits())) {
                patch.append("          limits:\n");
                for (String k : List.of("cpu", "memory")) {
                    if (limits.containsKey(k)
                            && !limits.get(k).equals(c.limits().get(k))) {
                        patch.append("            ")
                                .append(k)
                                .append(": ")
                                .append(quote(limits.get(k)))
                                .append('\n');
                    }
                }
            }
        }
        String text = patch.length() == 0 ? null : "spec:\n  template:\n    spec:\n      containers:\n" + patch;
        return new RightsizingPlan(recs, text, previous, next, low.isEmpty() ? null : String.join("; ", low), mayApply);
    }

    private static void scaleLimit(
            Map<String, String> limits, String resource, Double oldRequest, double newRequest, boolean cpu) {
        String limit = limits.get(resource);
        if (limit == null || oldRequest == null || oldRequest <= 0) {
            return;
        }
        double scaled = (cpu ? cores(limit) : bytes(limit)) * newRequest / oldRequest;
        limits.put(
                resource,
                cpu ? cpuQuantity(Math.ceil(scaled * 1000) / 1000) : memoryQuantity(Rightsizer.roundUpMib(scaled)));
    }

    private static ContainerResources resources(Map<String, String> requests, Map<String, String> limits) {
        ContainerResources r = new ContainerResources();
        r.requests = requests.isEmpty() ? null : new LinkedHashMap<>(requests);
        r.limits = limits.isEmpty() ? null : new LinkedHashMap<>(limits);
        return r;
    }

    private static ResourceChange change(String current, String recommended) {
        ResourceChange c = new ResourceChange();
        c.current = current;
        c.recommended = recommended;
        return c;
    }

    private static String quote(String q) {
        return q.matches("[0-9.]+") ? "\"" + q + "\"" : q;
    }

    /** Cores as a quantity: whole cores plain ("2"), else millicores ("650m"). */
    public static String cpuQuantity(double cores) {
        long milli = Math.round(cores * 1000);
        return milli % 1000 == 0 ? Long.toString(milli / 1000) : milli + "m";
    }

    /** Bytes (whole MiB) as a quantity: Gi when whole, else Mi. */
    public static String memoryQuantity(double bytes) {
        long mib = Math.round(bytes / Rightsizer.MIB);
        return mib % 1024 == 0 ? (mib / 1024) + "Gi" : mib + "Mi";
    }

    public static Double cores(String q) {
        return amount(q);
    }

    public static Double bytes(String q) {
        return amount(q);
    }

    private static Double amount(String q) {
        if (q == null) {
            return null;
        }
        try {
            BigDecimal v = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(q));
            return v.doubleValue();
        } catch (RuntimeException e) {
            return null;
        }
    }
}

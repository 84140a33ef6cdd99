package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.BenchPhase;
import io.costguard.api.BenchRunSpec;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.PerfBaselineSpec;
import io.costguard.api.SpecProblem;
import io.costguard.api.SpecReading;
import io.costguard.baseline.PerfSpecValidator;
import io.costguard.bench.BenchSpecValidator;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.kube.NamespaceTrust;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Validation of costguard's own resources at admission: what the CRD schema cannot express (cross-field rules,
 * trust, quantities compared, durations compared, a finished BenchRun's spec), with the field and the fix.
 */
public final class OwnResourceRule {
    public static final String GROUP = "costguard.io";

    private final ObjectMapper mapper;
    private final BudgetSpecValidator budgets;
    private final String operatorNamespace;
    private final BenchSpecValidator benchRuns;

    /** With the default bench settings (only the default pinned k6 image may be named). */
    public OwnResourceRule(
            ObjectMapper mapper, BudgetSpecValidator budgets, String operatorNamespace, BenchSpecValidator benchRuns) {
        this.mapper = mapper;
        this.budgets = budgets;
        this.operatorNamespace = operatorNamespace;
        this.benchRuns = benchRuns;
    }

    /** Null when there is nothing to object to, else the denial message. */
    public String check(AdmissionRequest r, Function<String, Map<String, String>> namespaceLabels) {
        if (!GROUP.equals(r.group())
                || r.object() == null
                || !("CREATE".equals(r.operation()) || "UPDATE".equals(r.operation()))
                || !r.subResource().isEmpty()) {
            return null;
        }
        JsonNode spec = r.object().path("spec");
        List<SpecProblem> problems = new ArrayList<>();
        switch (r.kind()) {
            case "CostBudget" -> {
                CostBudgetSpec s = read(spec, CostBudgetSpec.class, r.kind(), problems);
                if (problems.isEmpty()) {
                    boolean trusted = operatorNamespace.equals(r.namespace())
                            || "true"
                                    .equals(namespaceLabels
                                            .apply(r.namespace())
                                            .get(NamespaceTrust.BUDGET_ADMIN_LABEL));
                    problems.addAll(budgets.validate(s, r.namespace(), trusted).problems());
                }
            }
            case "PerfBaseline" -> {
                PerfBaselineSpec s = read(spec, PerfBaselineSpec.class, r.kind(), problems);
                if (problems.isEmpty()) {
                    perfBaseline(s, problems);
                }
            }
            case "BenchRun" -> {
                BenchRunSpec s = read(spec, BenchRunSpec.class, r.kind(), problems);
                if (problems.isEmpty()) {
                    benchRun(r, s, problems);
                }
            }
            default -> {
                return null;
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder(r.describe()).append(" is invalid: ");
        for (int i = 0; i < problems.size(); i++) {
            b.append(i == 0 ? "" : "; ").append(problems.get(i));
        }
        return b.toString();
    }

    /** The spec as its type; null (with the problem) when it has the wrong shape, or when there is none. */
    private <T> T read(JsonNode spec, Class<T> type, String kind, List<SpecProblem> problems) {
        if (spec.isMissingNode() || spec.isNull()) {
            return null;
        }
        SpecReading.Outcome<T> read = SpecReading.read(mapper, spec, type, "spec", kind);
        if (read.problem() != null) {
            problems.add(read.problem());
        }
        return read.value();
    }

    private static void perfBaseline(PerfBaselineSpec s, List<SpecProblem> problems) {
        problems.addAll(new PerfSpecValidator().validate(s).problems());
    }

    private void benchRun(AdmissionRequest r, BenchRunSpec s, List<SpecProblem> problems) {
        String phase = r.oldObject() == null
                ? ""
                : r.oldObject().path("status").path("phase").asText("");
        if ("UPDATE".equals(r.operation())
                && (BenchPhase.going(phase) || BenchPhase.finished(phase))
                && !r.oldObject().path("spec").equals(r.object().path("spec"))) {
            problems.add(new SpecProblem(
                    "spec",
                    "cannot change once the run has "
                            + (BenchPhase.going(phase) ? "started" : "finished")
                            + " (phase " + phase + "); create a new BenchRun instead"));
            return;
        }
        problems.addAll(benchRuns.validate(s).problems());
    }
}

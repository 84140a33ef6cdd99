package io.costguard.budget;

import static io.costguard.api.SpecFields.quote;

import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetScope;
import io.costguard.api.BudgetThreshold;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.SpecFields;
import io.costguard.api.SpecProblem;
import io.costguard.cost.AllocationKey;
import io.costguard.cost.Scope;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a CostBudget spec beyond what the CRD schema can, and turns it into a {@link BudgetPlan}. Every
 * problem names the field path and the fix. Pure: the caller says whether the budget's namespace is trusted.
 */
public final class BudgetSpecValidator {
    private static final Pattern AMOUNT = Pattern.compile("^[0-9]+(\\.[0-9]{1,2})?$");
    private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
    static final List<BudgetThreshold> DEFAULT_THRESHOLDS = List.of(
            new BudgetThreshold(70, List.of(BudgetAction.Notify)),
            new BudgetThreshold(85, List.of(BudgetAction.Notify, BudgetAction.Throttle)),
            new BudgetThreshold(100, List.of(BudgetAction.Notify, BudgetAction.Throttle, BudgetAction.Freeze)));

    private final List<String> allocationKeys;
    private final Map<String, Pattern> valuePatterns;
    private final String pricingCurrency;

    /**
     * {@code valuePatterns}: the label rule's pattern per allocation key (webhook.patterns); a key without one takes
     * lower-case DNS labels. A selector value the label rule would refuse can never match a pod.
     */
    public BudgetSpecValidator(
            List<String> allocationKeys, Map<String, Pattern> valuePatterns, String pricingCurrency) {
        this.allocationKeys = List.copyOf(allocationKeys);
        this.valuePatterns = Map.copyOf(valuePatterns);
        this.pricingCurrency = pricingCurrency;
    }

    /** As the operator is configured: its allocation keys, the label rule's patterns, its pricing currency. */
    public static BudgetSpecValidator from(io.costguard.config.OperatorConfig config) {
        Map<String, Pattern> patterns = new java.util.LinkedHashMap<>();
        config.webhook().patterns().forEach((key, pattern) -> patterns.put(key, Pattern.compile(pattern)));
        return new BudgetSpecValidator(
                config.allocationKeys(), patterns, config.pricing().currency());
    }

    /** The plan, or the problems (never both). */
    public record Result(BudgetPlan plan, List<SpecProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public Result validate(CostBudgetSpec spec, String budgetNamespace, boolean trustedNamespace) {
        List<SpecProblem> problems = new ArrayList<>();
        if (spec == null) {
            return new Result(null, List.of(new SpecProblem("spec", "is missing; set at least spec.amount")));
        }
        if (spec.unreadable() != null) {
            return new Result(null, List.of(spec.unreadable()));
        }
        BigDecimal amount = amount(spec.amount, problems);

        String currency = spec.currency == null ? "USD" : spec.currency;
        if (!currency.equals(pricingCurrency)) {
            problems.add(new SpecProblem(
                    "spec.currency",
                    quote(currency) + " differs from the operator's pricing currency " + pricingCurrency
                            + "; set spec.currency: " + pricingCurrency));
        }

        Period period = null;
        String p = spec.period == null ? "Monthly" : spec.period;
        try {
            period = Period.valueOf(p);
        } catch (IllegalArgumentException e) {
            problems.add(new SpecProblem(
                    "spec.period", quote(p) + " is not a period; use Daily, Weekly, Monthly or Quarterly"));
        }

        ZoneId zone = null;
        String tz = spec.timeZone == null ? "UTC" : spec.timeZone;
        try {
            zone = ZoneId.of(tz);
            if ((zone instanceof ZoneOffset && !"UTC".equals(tz)) || tz.matches("^(UTC|GMT|UT)?[+-].*")) {
                problems.add(new SpecProblem(
                        "spec.timeZone",
                        quote(tz) + " is a fixed offset; use an IANA name such as Europe/Berlin or UTC"));
            }
        } catch (DateTimeException e) {
            problems.add(new SpecProblem(
                    "spec.timeZone",
                    quote(tz)
                            + " is not an IANA time zone; use a name such as UTC, Europe/Berlin or America/New_York"));
        }

        List<BudgetPlan.Threshold> thresholds = thresholds(spec.thresholds, problems);
        Scope scope = scope(spec.scope, budgetNamespace, trustedNamespace, problems);

        String enforcement = spec.enforcement == null ? "Enforce" : spec.enforcement;
        if (!enforcement.equals("Enforce") && !enforcement.equals("DryRun")) {
            problems.add(new SpecProblem("spec.enforcement", quote(enforcement) + " is not Enforce or DryRun"));
        }
        int warnAbove =
                spec.forecast == null || spec.forecast.warnAbovePercent == null ? 100 : spec.forecast.warnAbovePercent;
        if (warnAbove < 1 || warnAbove > 1000) {
            problems.add(new SpecProblem(
                    "spec.forecast.warnAbovePercent",
                    warnAbove + " is out of range; use a whole percent from 1 to 1000"));
        }
        String warnOn = spec.forecast == null || spec.forecast.warnOn == null ? "Forecast" : spec.forecast.warnOn;
        if (!warnOn.equals("Forecast") && !warnOn.equals("Upper")) {
            problems.add(
                    new SpecProblem(
                            "spec.forecast.warnOn",
                            quote(warnOn)
                                    + " is not Forecast or Upper; use Forecast (the point forecast) or Upper (the high end of its 80 % interval)"));
        }
        double zScore = spec.anomaly == null || spec.anomaly.zScore == null ? 3.0 : spec.anomaly.zScore;
        if (!(zScore >= 0.5 && zScore <= 10)) {
            problems.add(new SpecProblem(
                    "spec.anomaly.zScore", zScore + " is out of range; use a number from 0.5 to 10 (default 3)"));
        }
        int dayOverDay =
                spec.anomaly == null || spec.anomaly.dayOverDayPercent == null ? 20 : spec.anomaly.dayOverDayPercent;
        if (dayOverDay < 1 || dayOverDay > 1000) {
            problems.add(new SpecProblem(
                    "spec.anomaly.dayOverDayPercent",
                    dayOverDay + " is out of range; use a whole percent from 1 to 1000 (default 20)"));
        }
        String direction = spec.anomaly == null || spec.anomaly.direction == null ? "Both" : spec.anomaly.direction;
        io.costguard.anomaly.AnomalyDetector.Direction anomalyDirection = switch (direction) {
            case "Increase" -> io.costguard.anomaly.AnomalyDetector.Direction.INCREASE;
            case "Decrease" -> io.costguard.anomaly.AnomalyDetector.Direction.DECREASE;
            case "Both" -> io.costguard.anomaly.AnomalyDetector.Direction.BOTH;
            default -> {
                problems.add(new SpecProblem(
                        "spec.anomaly.direction",
                        quote(direction) + " is not Increase, Decrease or Both (default Both)"));
                yield null;
            }
        };
        String costs = spec.costs == null ? "Direct" : spec.costs;
        if (!costs.equals("Direct") && !costs.equals("DirectAndShared")) {
            problems.add(new SpecProblem(
                    "spec.costs",
                    quote(costs)
                            + " is not Direct or DirectAndShared; use Direct (the scope's own cost) or DirectAndShared (plus its share of "
                            + "shared and idle cost)"));
        }
        String volumeQuery =
                spec.anomaly == null || spec.anomaly.volumeQuery == null || spec.anomaly.volumeQuery.isBlank()
                        ? null
                        : spec.anomaly.volumeQuery.strip();
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(
                new BudgetPlan(
                        amount,
                        currency,
                        period,
                        zone,
                        thresholds,
                        scope,
                        enforcement.equals("DryRun"),
                        warnAbove,
                        new io.costguard.anomaly.AnomalyDetector.Limits(zScore, dayOverDay, anomalyDirection),
                        volumeQuery,
                        BudgetPlan.WarnOn.valueOf(warnOn),
                        costs.equals("DirectAndShared")),
                List.of());
    }

    private static BigDecimal amount(String raw, List<SpecProblem> problems) {
        if (raw == null || raw.isBlank()) {
            problems.add(new SpecProblem(
                    "spec.amount", "is required: the budget per period as a quoted decimal, e.g. \"12400.00\""));
            return null;
        }
        if (!AMOUNT.matcher(raw).matches()) {
            problems.add(
                    new SpecProblem(
                            "spec.amount",
                            quote(raw)
                                    + " is not a plain decimal with at most 2 decimals (no exponent, no sign, no separators); write e.g. \"12400.00\""));
            return null;
        }
        BigDecimal a = new BigDecimal(raw);
        if (a.signum() <= 0) {
            problems.add(new SpecProblem("spec.amount", "must be greater than 0"));
        } else if (a.compareTo(MAX_AMOUNT) > 0) {
            problems.add(new SpecProblem("spec.amount", quote(raw) + " is above the maximum of 1000000000000"));
        }
        return a;
    }

    private static List<BudgetPlan.Threshold> thresholds(List<BudgetThreshold> given, List<SpecProblem> problems) {
        List<BudgetThreshold> list = given == null ? DEFAULT_THRESHOLDS : given;
        if (list.isEmpty()) {
            problems.add(new SpecProblem(
                    "spec.thresholds",
                    "is empty; list at least one threshold, or leave it out for the default 70/85/100 %"));
        }
        List<BudgetPlan.Threshold> out = new ArrayList<>();
        Integer previous = null;
        for (int i = 0; i < list.size(); i++) {
            BudgetThreshold t = list.get(i);
            String field = "spec.thresholds[" + i + "]";
            if (t == null || t.percent == null) {
                problems.add(new SpecProblem(field + ".percent", "is required: a whole percent from 1 to 1000"));
                continue;
            }
            if (t.percent < 1 || t.percent > 1000) {
                problems.add(new SpecProblem(
                        field + ".percent", t.percent + " is out of range; use a whole percent from 1 to 1000"));
            } else if (previous != null && t.percent <= previous) {
                problems.add(new SpecProblem(
                        field + ".percent",
                        t.percent + (t.percent.equals(previous) ? " repeats" : " is below")
                                + " the threshold before it (" + previous
                                + "); list thresholds in strictly ascending order"));
            }
            previous = t.percent;
            String approval = t.approval == null ? "Automatic" : t.approval;
            if (!approval.equals("Automatic") && !approval.equals("Manual")) {
                problems.add(new SpecProblem(field + ".approval", quote(approval) + " is not Automatic or Manual"));
            }
            List<String> actions = new ArrayList<>();
            List<BudgetAction> given2 = t.actions == null ? List.of(BudgetAction.Notify) : t.actions;
            if (given2.isEmpty()) {
                problems.add(new SpecProblem(
                        field + ".actions",
                        "is empty, so crossing " + t.percent + " % would do nothing; list at least one "
                                + "of Notify, Throttle, Freeze, or leave actions out for Notify"));
            }
            for (int j = 0; j < given2.size(); j++) {
                if (given2.get(j) == null) {
                    problems.add(new SpecProblem(
                            field + ".actions[" + j + "]", "is not an action; use Notify, Throttle or Freeze"));
                } else if (!actions.contains(given2.get(j).name())) {
                    actions.add(given2.get(j).name());
                }
            }
            out.add(new BudgetPlan.Threshold(t.percent, actions, approval.equals("Manual")));
        }
        return out;
    }

    /** A lower-case DNS label close to {@code value}, as a suggestion. */
    private static String dnsLabel(String value) {
        String s = value.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        s = s.length() > 63 ? s.substring(0, 63).replaceAll("-+$", "") : s;
        return s.isEmpty() ? "team-a" : s;
    }

    private Scope scope(BudgetScope scope, String budgetNamespace, boolean trusted, List<SpecProblem> problems) {
        Set<String> namespaces = new LinkedHashSet<>();
        if (scope == null || scope.namespaces == null || scope.namespaces.isEmpty()) {
            namespaces.add(budgetNamespace);
        } else {
            for (int i = 0; i < scope.namespaces.size(); i++) {
                String ns = scope.namespaces.get(i);
                String field = "spec.scope.namespaces[" + i + "]";
                if (ns == null || !NAMESPACE.matcher(ns).matches()) {
                    problems.add(new SpecProblem(field, quote(ns) + " is not a namespace name"));
                } else if (!ns.equals(budgetNamespace) && !trusted) {
                    problems.add(new SpecProblem(
                            field,
                            quote(ns) + " is another team's namespace; only budgets in the operator's namespace "
                                    + "or in a namespace labelled costguard.io/budget-admin=true may select other namespaces. Move the budget there, or "
                                    + "select only " + budgetNamespace));
                } else {
                    namespaces.add(ns);
                }
            }
        }
        Map<String, String> selector = scope == null || scope.selector == null ? Map.of() : scope.selector;
        for (Map.Entry<String, String> e : selector.entrySet()) {
            String field = "spec.scope.selector." + SpecFields.cut(e.getKey());
            if (!allocationKeys.contains(e.getKey())) {
                problems.add(new SpecProblem(
                        field,
                        quote(e.getKey()) + " is not an allocation key; use one of " + String.join(", ", allocationKeys)
                                + " (extra keys are set in the operator's allocation.extraKeys)"));
            } else if (e.getValue() == null || e.getValue().isEmpty()) {
                problems.add(new SpecProblem(
                        field,
                        "is empty; write the value the pods' " + SpecFields.cut(e.getKey())
                                + " label has, or drop the key"));
            } else if (!AllocationKey.admitted(e.getValue(), valuePatterns.get(e.getKey()))) {
                Pattern p = valuePatterns.get(e.getKey());
                problems.add(new SpecProblem(
                        field,
                        quote(e.getValue()) + " can never match: the label rule admits only "
                                + (p == null
                                        ? "lower-case DNS labels (a-z, 0-9 and '-', at most 63 characters)"
                                        : "values matching " + SpecFields.cut(p.pattern()))
                                + " for " + SpecFields.cut(e.getKey())
                                + ", so no pod carries it; write the value as the pods' label has it"
                                + (p == null ? ", e.g. " + quote(dnsLabel(e.getValue())) : "")));
            }
        }
        if (selector.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            return null;
        }
        return new Scope(namespaces, selector);
    }
}

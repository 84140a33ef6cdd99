package io.costguard.budget;

import io.costguard.api.ActionRecord;
import io.costguard.api.ActionResult;
import io.costguard.api.BudgetAction;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.CrossedThreshold;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The lifecycle of Throttle and Freeze actions, as a pure decision on status: manual actions wait for
 * approval; an action whose threshold spend has fallen below again (the amount was raised) is reverted, and
 * applied again (as the spec now lists it, held for approval when manual) once spend is at its threshold again
 * in the same period; what remains Pending, Done or Failed is what must be in force. A new period starts with
 * no crossed thresholds, so everything is reverted then too.
 */
public final class ActionPlanner {
    public static final String APPROVE_ANNOTATION = "costguard.io/approve";

    /** What must be in force after the decision. */
    public record InForce(boolean throttle, boolean freeze) {}

    /** Updates the action records of {@code status} in place and says what must be in force. */
    public InForce decide(
            CostBudgetStatus status,
            List<BudgetPlan.Threshold> thresholds,
            double usedPercent,
            Set<Integer> approvals,
            Instant now) {
        boolean throttle = false;
        boolean freeze = false;
        if (status.crossedThresholds != null) {
            for (CrossedThreshold c : status.crossedThresholds) {
                for (ActionRecord a : c.actions) {
                    if (!BudgetAction.Throttle.is(a.type) && !BudgetAction.Freeze.is(a.type)) {
                        continue;
                    }
                    if (ActionResult.Reverted.is(a.result) && usedPercent >= c.percent) {
                        reapply(a, c.percent, thresholds, now);
                    }
                    if (ActionResult.PendingApproval.is(a.result) && approvals.contains(c.percent)) {
                        set(a, ActionResult.Pending, "approved with " + APPROVE_ANNOTATION, now);
                    }
                    if (usedPercent < c.percent && inEffectOrOwed(a)) {
                        set(a, ActionResult.Reverted, "spend is below the " + c.percent + "% threshold again", now);
                    }
                    if (inEffectOrOwed(a) && !ActionResult.PendingApproval.is(a.result)) {
                        throttle |= BudgetAction.Throttle.is(a.type);
                        freeze |= BudgetAction.Freeze.is(a.type);
                    }
                }
            }
        }
        return new InForce(throttle, freeze);
    }

    /** A reverted action whose threshold spend has reached again is owed again, if the spec still lists it there. */
    private static void reapply(ActionRecord a, int percent, List<BudgetPlan.Threshold> thresholds, Instant now) {
        for (BudgetPlan.Threshold t : thresholds) {
            if (t.percent() == percent && t.actions().contains(a.type)) {
                if (t.manual()) {
                    set(
                            a,
                            ActionResult.PendingApproval,
                            "spend is at the " + percent + "% threshold again; waiting for the annotation "
                                    + APPROVE_ANNOTATION + ": \"" + percent + "\"",
                            now);
                } else {
                    set(a, ActionResult.Pending, "spend is at the " + percent + "% threshold again", now);
                }
            }
        }
    }

    /** Marks the type's actions that are owed (Pending or Failed) as done, or as failed with a reason. */
    public static void settle(
            CostBudgetStatus status, BudgetAction type, ActionResult result, String reason, Instant now) {
        if (status.crossedThresholds == null) {
            return;
        }
        for (CrossedThreshold c : status.crossedThresholds) {
            for (ActionRecord a : c.actions) {
                if (type.is(a.type)
                        && (ActionResult.Pending.is(a.result) || ActionResult.Failed.is(a.result))
                        && !(result.is(a.result) && java.util.Objects.equals(reason, a.reason))) {
                    set(a, result, reason, now);
                }
            }
        }
    }

    /** Actions waiting for approval, e.g. {@code "85%: Throttle; 100%: Throttle, Freeze"}, or null. */
    public static String awaitingApproval(CostBudgetStatus status) {
        if (status.crossedThresholds == null) {
            return null;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (CrossedThreshold c : status.crossedThresholds) {
            java.util.List<String> types = c.actions.stream()
                    .filter(a -> ActionResult.PendingApproval.is(a.result))
                    .map(a -> a.type)
                    .toList();
            if (!types.isEmpty()) {
                parts.add(c.percent + "%: " + String.join(", ", types));
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** Percents approved by the annotation, e.g. {@code "85"} or {@code "85,100"}; unparsable parts are ignored. */
    public static Set<Integer> approvals(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return Set.of();
        }
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (String part : annotation.split(",")) {
            try {
                out.add(Integer.parseInt(part.strip().replace("%", "")));
            } catch (NumberFormatException ignored) {
                // not a percent
            }
        }
        return out;
    }

    private static boolean inEffectOrOwed(ActionRecord a) {
        return ActionResult.Pending.is(a.result)
                || ActionResult.Done.is(a.result)
                || ActionResult.Failed.is(a.result)
                || ActionResult.PendingApproval.is(a.result);
    }

    private static void set(ActionRecord a, ActionResult result, String reason, Instant now) {
        a.result = result.name();
        a.reason = reason;
        a.at = now.toString();
    }
}

package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ActionRecord;
import io.costguard.api.ActionResult;
import io.costguard.api.BudgetAction;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.CrossedThreshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ActionPlannerTest {
    static final Instant T = Instant.parse("2026-11-23T06:00:00Z");
    final ActionPlanner planner = new ActionPlanner();
    static final List<BudgetPlan.Threshold> DEFAULTS = BudgetTestData.defaultThresholds();

    static CostBudgetStatus status(Object... thresholdAndResults) {
        CostBudgetStatus s = new CostBudgetStatus();
        s.crossedThresholds = new ArrayList<>();
        for (int i = 0; i < thresholdAndResults.length; i += 3) {
            int percent = (Integer) thresholdAndResults[i];
            CrossedThreshold c = s.crossedThresholds.stream()
                    .filter(x -> x.percent == percent)
                    .findFirst()
                    .orElse(null);
            if (c == null) {
                c = new CrossedThreshold(percent, T.toString(), List.of());
                s.crossedThresholds.add(c);
            }
            c.actions.add(new ActionRecord(
                    (String) thresholdAndResults[i + 1], (String) thresholdAndResults[i + 2], T.toString(), null));
        }
        return s;
    }

    static String result(CostBudgetStatus s, int percent, String type) {
        return s.crossedThresholds.stream().filter(c -> c.percent == percent).findFirst().orElseThrow().actions.stream()
                .filter(a -> a.type.equals(type))
                .findFirst()
                .orElseThrow()
                .result;
    }

    static String reason(CostBudgetStatus s, int percent, String type) {
        return s.crossedThresholds.stream().filter(c -> c.percent == percent).findFirst().orElseThrow().actions.stream()
                .filter(a -> a.type.equals(type))
                .findFirst()
                .orElseThrow()
                .reason;
    }

    @Test
    void pendingAndDoneActionsAreInForce() {
        CostBudgetStatus s = status(85, "Throttle", "Pending", 100, "Freeze", "Done");
        assertThat(planner.decide(s, DEFAULTS, 101, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, true));
    }

    @Test
    void aFailedActionStaysOwedSoItIsRetried() {
        assertThat(planner.decide(status(85, "Throttle", "Failed"), DEFAULTS, 90, Set.of(), T)
                        .throttle())
                .isTrue();
    }

    @Test
    void manualActionsWaitForTheirOwnPercent() {
        CostBudgetStatus s = status(85, "Throttle", "PendingApproval", 100, "Freeze", "PendingApproval");
        assertThat(planner.decide(s, DEFAULTS, 101, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(false, false));
        assertThat(planner.decide(s, DEFAULTS, 101, Set.of(100), T)).isEqualTo(new ActionPlanner.InForce(false, true));
        assertThat(result(s, 85, "Throttle")).isEqualTo("PendingApproval");
        assertThat(result(s, 100, "Freeze")).isEqualTo("Pending");
    }

    @Test
    void spendBelowAThresholdAgainRevertsItsActionsOnly() {
        CostBudgetStatus s = status(85, "Throttle", "Done", 100, "Freeze", "Done");
        assertThat(planner.decide(s, DEFAULTS, 90, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, false));
        assertThat(result(s, 100, "Freeze")).isEqualTo("Reverted");
        assertThat(result(s, 85, "Throttle")).isEqualTo("Done");
    }

    @Test
    void revertedAndDryRunActionsAreNotInForceBelowTheirThreshold() {
        assertThat(planner.decide(
                        status(85, "Throttle", "Reverted", 100, "Freeze", "DryRun"), DEFAULTS, 84.9, Set.of(), T))
                .isEqualTo(new ActionPlanner.InForce(false, false));
        assertThat(planner.decide(
                        status(85, "Throttle", "DryRun", 100, "Freeze", "DryRun"), DEFAULTS, 120, Set.of(), T))
                .isEqualTo(new ActionPlanner.InForce(false, false));
    }

    @Test
    void aRevertedActionIsAppliedAgainWhenSpendIsAtItsThresholdAgain() {
        CostBudgetStatus s = status(85, "Throttle", "Reverted", 100, "Throttle", "Reverted", 100, "Freeze", "Reverted");
        assertThat(planner.decide(s, DEFAULTS, 90, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, false));
        assertThat(result(s, 85, "Throttle")).isEqualTo("Pending");
        assertThat(result(s, 100, "Freeze")).isEqualTo("Reverted");
        assertThat(planner.decide(s, DEFAULTS, 100, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, true));
        assertThat(result(s, 100, "Freeze")).isEqualTo("Pending");
        assertThat(reason(s, 100, "Freeze")).contains("100% threshold again");
    }

    @Test
    void raisingThenLoweringTheAmountRevertsThenAppliesAgain() {
        CostBudgetStatus s = status(85, "Throttle", "Done", 100, "Freeze", "Done");
        // the same spend against a raised amount is 45 %, then against the first amount again 102 %
        assertThat(planner.decide(s, DEFAULTS, 45, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(false, false));
        assertThat(result(s, 85, "Throttle")).isEqualTo("Reverted");
        assertThat(result(s, 100, "Freeze")).isEqualTo("Reverted");
        assertThat(planner.decide(s, DEFAULTS, 102, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, true));
        ActionPlanner.settle(s, BudgetAction.Throttle, ActionResult.Done, null, T);
        ActionPlanner.settle(s, BudgetAction.Freeze, ActionResult.Done, null, T);
        // and as often as the amount moves
        assertThat(planner.decide(s, DEFAULTS, 45, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(false, false));
        assertThat(planner.decide(s, DEFAULTS, 102, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, true));
    }

    @Test
    void aManualActionAppliedAgainWaitsForApprovalUnlessTheAnnotationStillApprovesIt() {
        List<BudgetPlan.Threshold> manual = List.of(new BudgetPlan.Threshold(85, List.of("Notify", "Throttle"), true));
        CostBudgetStatus waiting = status(85, "Throttle", "Reverted");
        assertThat(planner.decide(waiting, manual, 90, Set.of(), T).throttle()).isFalse();
        assertThat(result(waiting, 85, "Throttle")).isEqualTo("PendingApproval");
        assertThat(reason(waiting, 85, "Throttle")).contains("costguard.io/approve: \"85\"");

        CostBudgetStatus approved = status(85, "Throttle", "Reverted");
        assertThat(planner.decide(approved, manual, 90, Set.of(85), T).throttle())
                .isTrue();
        assertThat(result(approved, 85, "Throttle")).isEqualTo("Pending");
    }

    @Test
    void anActionTheSpecNoLongerListsAtItsThresholdStaysReverted() {
        CostBudgetStatus s = status(85, "Throttle", "Reverted", 100, "Freeze", "Reverted");
        List<BudgetPlan.Threshold> notifyOnly = List.of(
                new BudgetPlan.Threshold(85, List.of("Notify"), false),
                new BudgetPlan.Threshold(110, List.of("Freeze"), false));
        assertThat(planner.decide(s, notifyOnly, 105, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(false, false));
        assertThat(result(s, 85, "Throttle")).isEqualTo("Reverted");
        assertThat(result(s, 100, "Freeze")).isEqualTo("Reverted");
    }

    @Test
    void settleOnlyTouchesOwedActionsOfTheType() {
        CostBudgetStatus s = status(
                85,
                "Throttle",
                "Pending",
                90,
                "Throttle",
                "Failed",
                100,
                "Freeze",
                "Pending",
                100,
                "Throttle",
                "Reverted");
        ActionPlanner.settle(s, BudgetAction.Throttle, ActionResult.Done, null, T);
        assertThat(result(s, 85, "Throttle")).isEqualTo("Done");
        assertThat(result(s, 90, "Throttle")).isEqualTo("Done");
        assertThat(result(s, 100, "Freeze")).isEqualTo("Pending");
        assertThat(result(s, 100, "Throttle")).isEqualTo("Reverted");
    }

    @Test
    void approvalsParsePercentsAndIgnoreTheRest() {
        assertThat(ActionPlanner.approvals("85, 100%,x")).containsExactlyInAnyOrder(85, 100);
        assertThat(ActionPlanner.approvals(null)).isEmpty();
    }

    @Property(tries = 300)
    void decidingTwiceDecidesTheSame(
            @ForAll @IntRange(min = 0, max = 4) int r1,
            @ForAll @IntRange(min = 0, max = 4) int r2,
            @ForAll @DoubleRange(min = 0, max = 200) double used,
            @ForAll boolean approve) {
        String[] results = {"Pending", "Done", "Failed", "PendingApproval", "Reverted"};
        CostBudgetStatus s = status(85, "Throttle", results[r1], 100, "Freeze", results[r2]);
        Set<Integer> approvals = approve ? Set.of(85, 100) : Set.of();
        ActionPlanner.InForce first = planner.decide(s, DEFAULTS, used, approvals, T);
        String t = result(s, 85, "Throttle");
        String f = result(s, 100, "Freeze");
        assertThat(planner.decide(s, DEFAULTS, used, approvals, T)).isEqualTo(first);
        assertThat(result(s, 85, "Throttle")).isEqualTo(t);
        assertThat(result(s, 100, "Freeze")).isEqualTo(f);
        // nothing is in force below its threshold; at it, whatever was done or undone is owed (only approval holds it)
        if (used < 85) {
            assertThat(first).isEqualTo(new ActionPlanner.InForce(false, false));
        }
        if (used >= 85 && (approve || r1 != 3)) {
            assertThat(first.throttle()).isTrue();
        }
        if (used >= 100 && (approve || r2 != 3)) {
            assertThat(first.freeze()).isTrue();
        }
    }

    /** Spend moving both ways in a period (the amount raised and lowered, late data): what is in force follows it. */
    @Property(tries = 300)
    void whatIsInForceFollowsSpendThroughAnySequenceOfUndoAndRedo(
            @ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = 0, max = 200) Double> useds) {
        CostBudgetStatus s = status(85, "Throttle", "Pending", 100, "Throttle", "Pending", 100, "Freeze", "Pending");
        for (double used : useds) {
            ActionPlanner.InForce inForce = planner.decide(s, DEFAULTS, used, Set.of(), T);
            assertThat(inForce).as("at %s%%", used).isEqualTo(new ActionPlanner.InForce(used >= 85, used >= 100));
            if (inForce.throttle()) {
                ActionPlanner.settle(s, BudgetAction.Throttle, ActionResult.Done, null, T);
            }
            if (inForce.freeze()) {
                ActionPlanner.settle(s, BudgetAction.Freeze, ActionResult.Done, null, T);
            }
        }
    }
}

package io.costguard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ActionRecord;
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
import org.junit.jupiter.api.Test;

class ActionPlannerTest {
  static final Instant T = Instant.parse("2026-11-23T06:00:00Z");
  final ActionPlanner planner = new ActionPlanner();

  static CostBudgetStatus status(Object... thresholdAndResults) {
    CostBudgetStatus s = new CostBudgetStatus();
    s.crossedThresholds = new ArrayList<>();
    for (int i = 0; i < thresholdAndResults.length; i += 3) {
      int percent = (Integer) thresholdAndResults[i];
      CrossedThreshold c = s.crossedThresholds.stream().filter(x -> x.percent == percent).findFirst().orElse(null);
      if (c == null) {
        c = new CrossedThreshold(percent, T.toString(), List.of());
        s.crossedThresholds.add(c);
      }
      c.actions.add(new ActionRecord((String) thresholdAndResults[i + 1], (String) thresholdAndResults[i + 2], T.toString(), null));
    }
    return s;
  }

  static String result(CostBudgetStatus s, int percent, String type) {
    return s.crossedThresholds.stream().filter(c -> c.percent == percent).findFirst().orElseThrow()
        .actions.stream().filter(a -> a.type.equals(type)).findFirst().orElseThrow().result;
  }

  @Test
  void pendingAndDoneActionsAreInForce() {
    CostBudgetStatus s = status(85, "Throttle", "Pending", 100, "Freeze", "Done");
    assertThat(planner.decide(s, 101, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, true));
  }

  @Test
  void aFailedActionStaysOwedSoItIsRetried() {
    assertThat(planner.decide(status(85, "Throttle", "Failed"), 90, Set.of(), T).throttle()).isTrue();
  }

  @Test
  void manualActionsWaitForTheirOwnPercent() {
    CostBudgetStatus s = status(85, "Throttle", "PendingApproval", 100, "Freeze", "PendingApproval");
    assertThat(planner.decide(s, 101, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(false, false));
    assertThat(planner.decide(s, 101, Set.of(100), T)).isEqualTo(new ActionPlanner.InForce(false, true));
    assertThat(result(s, 85, "Throttle")).isEqualTo("PendingApproval");
    assertThat(result(s, 100, "Freeze")).isEqualTo("Pending");
  }

  @Test
  void spendBelowAThresholdAgainRevertsItsActionsOnly() {
    CostBudgetStatus s = status(85, "Throttle", "Done", 100, "Freeze", "Done");
    assertThat(planner.decide(s, 90, Set.of(), T)).isEqualTo(new ActionPlanner.InForce(true, false));
    assertThat(result(s, 100, "Freeze")).isEqualTo("Reverted");
    assertThat(result(s, 85, "Throttle")).isEqualTo("Done");
  }

  @Test
  void revertedAndDryRunActionsAreNotInForce() {
    assertThat(planner.decide(status(85, "Throttle", "Reverted", 100, "Freeze", "DryRun"), 120, Set.of(), T))
        .isEqualTo(new ActionPlanner.InForce(false, false));
  }

  @Test
  void settleOnlyTouchesOwedActionsOfTheType() {
    CostBudgetStatus s = status(85, "Throttle", "Pending", 90, "Throttle", "Failed", 100, "Freeze", "Pending", 100, "Throttle", "Reverted");
    ActionPlanner.settle(s, "Throttle", "Done", null, T);
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
  void decidingTwiceDecidesTheSame(@ForAll @IntRange(min = 0, max = 4) int r1, @ForAll @IntRange(min = 0, max = 4) int r2,
      @ForAll @DoubleRange(min = 0, max = 200) double used, @ForAll boolean approve) {
    String[] results = {"Pending", "Done", "Failed", "PendingApproval", "Reverted"};
    CostBudgetStatus s = status(85, "Throttle", results[r1], 100, "Freeze", results[r2]);
    Set<Integer> approvals = approve ? Set.of(85, 100) : Set.of();
    ActionPlanner.InForce first = planner.decide(s, used, approvals, T);
    String t = result(s, 85, "Throttle");
    String f = result(s, 100, "Freeze");
    assertThat(planner.decide(s, used, approvals, T)).isEqualTo(first);
    assertThat(result(s, 85, "Throttle")).isEqualTo(t);
    assertThat(result(s, 100, "Freeze")).isEqualTo(f);
    // nothing is in force below its threshold
    if (used < 85) {
      assertThat(first).isEqualTo(new ActionPlanner.InForce(false, false));
    }
  }
}

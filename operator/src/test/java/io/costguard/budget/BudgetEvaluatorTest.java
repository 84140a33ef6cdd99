package io.costguard.budget;

import static io.costguard.budget.BudgetTestData.NOVEMBER;
import static io.costguard.budget.BudgetTestData.OCTOBER;
import static io.costguard.budget.BudgetTestData.defaultThresholds;
import static io.costguard.budget.BudgetTestData.fresh;
import static io.costguard.budget.BudgetTestData.notifyAt;
import static io.costguard.budget.BudgetTestData.plan;
import static io.costguard.budget.BudgetTestData.unavailable;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ActionRecord;
import io.costguard.api.BudgetState;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.CrossedThreshold;
import io.costguard.api.SpecProblem;
import io.costguard.budget.BudgetEvaluator.Decision;
import io.costguard.budget.BudgetEvaluator.Notification;
import io.costguard.budget.BudgetEvaluator.Observation;
import io.costguard.cost.DataStatus;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure CostBudget decision (DESIGN.md section 2, behaviour; section 7, invalid specs). */
class BudgetEvaluatorTest {
    private static final long GENERATION = 3;
    private static final Instant DATA_THROUGH = Instant.parse("2026-11-23T06:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-23T06:01:00Z");
    private static final Instant T2 = Instant.parse("2026-11-23T06:02:00Z");
    private static final Instant T3 = Instant.parse("2026-11-23T06:03:00Z");
    private static final Instant T4 = Instant.parse("2026-11-23T06:04:00Z");
    private static final Instant T5 = Instant.parse("2026-11-23T06:05:00Z");

    private final BudgetEvaluator evaluator = new BudgetEvaluator();

    private Decision evaluate(BudgetPlan plan, double spent, CostBudgetStatus previous, Instant now) {
        return evaluator.evaluate(
                plan, new Observation(NOVEMBER, fresh(DATA_THROUGH), spent), previous, GENERATION, now);
    }

    private Decision evaluate(double spent, CostBudgetStatus previous, Instant now) {
        return evaluate(plan("12400.00"), spent, previous, now);
    }

    private Decision evaluateUnavailable(DataStatus data, CostBudgetStatus previous, Instant now) {
        return evaluator.evaluate(plan("12400.00"), new Observation(NOVEMBER, data, 99_999), previous, GENERATION, now);
    }

    private static Condition condition(CostBudgetStatus status, String type) {
        Condition c = Conditions.find(status.conditions, type);
        assertThat(c).as("condition %s in %s", type, status.conditions).isNotNull();
        return c;
    }

    private static List<Integer> percents(List<Notification> notifications) {
        return notifications.stream().map(Notification::percent).toList();
    }

    private static CrossedThreshold crossed(CostBudgetStatus status, int percent) {
        return status.crossedThresholds.stream()
                .filter(c -> c.percent == percent)
                .findFirst()
                .orElseThrow();
    }

    @Nested
    class Figures {
        @Test
        void spentUsedPercentAndPeriodAreReportedLikeThePrinterColumns() {
            Decision d = evaluate(8650.12, null, T1);
            CostBudgetStatus s = d.status();
            assertThat(s.spent).isEqualTo("8650.12");
            assertThat(s.usedPercent).isEqualTo(69);
            assertThat(s.used).isEqualTo("69%");
            assertThat(s.periodStart).isEqualTo("2026-11-01T00:00:00Z");
            assertThat(s.periodEnd).isEqualTo("2026-12-01T00:00:00Z");
            assertThat(s.dataThrough).isEqualTo("2026-11-23T06:00:00Z");
            assertThat(s.observedGeneration).isEqualTo(GENERATION);
            assertThat(s.state).isEqualTo("Ok");
            assertThat(d.state()).isEqualTo(BudgetState.Ok);
            assertThat(s.crossedThresholds).isEmpty();
            assertThat(d.notifications()).isEmpty();
        }

        @ParameterizedTest(name = "spent {0} -> \"{1}\"")
        @CsvSource({
            "0,         0.00",
            "100,       100.00",
            "0.005,     0.01",
            "1234.5678, 1234.57",
            "1234.564,  1234.56",
            "8650.1,    8650.10",
        })
        void spentIsWrittenWithTwoDecimalsRoundedHalfUp(double spent, String expected) {
            assertThat(evaluate(spent, null, T1).status().spent).isEqualTo(expected);
        }

        @ParameterizedTest(name = "spent {0} of 12400.00 -> {1} {2}")
        @CsvSource({
            "0,        0,   Ok",
            "8679.99,  69,  Ok",
            "8680,     70,  Warning",
            "10539.99, 84,  Warning",
            "10540,    85,  Critical",
            "12399.99, 99,  Critical",
            "12400,    100, Exceeded",
            "12980.55, 104, Exceeded",
            "24800,    200, Exceeded",
        })
        void usedPercentIsRoundedDownAndStateFollowsTheThresholds(double spent, int usedPercent, BudgetState state) {
            Decision d = evaluate(spent, null, T1);
            assertThat(d.status().usedPercent).isEqualTo(usedPercent);
            assertThat(d.status().used).isEqualTo(usedPercent + "%");
            assertThat(d.state()).isEqualTo(state);
            assertThat(d.status().state).isEqualTo(state.name());
        }

        @Test
        void readyConditionSaysWhatWasSpentOfWhat() {
            Condition ready = condition(evaluate(8650.12, null, T1).status(), "Ready");
            assertThat(ready.getStatus()).isEqualTo("True");
            assertThat(ready.getReason()).isEqualTo("Evaluated");
            assertThat(ready.getMessage()).isEqualTo("spent 8650.12 USD of 12400.00 (69%) this monthly period");
            assertThat(ready.getObservedGeneration()).isEqualTo(GENERATION);
            Condition data = condition(evaluate(8650.12, null, T1).status(), "DataAvailable");
            assertThat(data.getStatus()).isEqualTo("True");
            assertThat(data.getReason()).isEqualTo("CostDataFresh");
        }

        @Test
        void forecastAndActuationFieldsOfThePreviousStatusAreCarriedOver() {
            CostBudgetStatus previous = evaluate(5000, null, T1).status();
            previous.forecast = "12980.55";
            previous.forecastPercent = 104;
            previous.deploysFrozen = false;
            CostBudgetStatus next = evaluate(5100, previous, T2).status();
            assertThat(next.forecast).isEqualTo("12980.55");
            assertThat(next.forecastPercent).isEqualTo(104);
            assertThat(next.deploysFrozen).isFalse();
        }
    }

    @Nested
    class Thresholds {
        @Test
        void crossingRecordsTheThresholdWithAPendingNotifyAndReturnsOneNotification() {
            Decision d = evaluate(9000, null, T1);

            assertThat(d.state()).isEqualTo(BudgetState.Warning);
            assertThat(d.notifications())
                    .containsExactly(new Notification(70, "9000.00", "12400.00", 72, NOVEMBER.start(), false));
            assertThat(d.status().crossedThresholds).hasSize(1);
            CrossedThreshold c = d.status().crossedThresholds.get(0);
            assertThat(c.percent).isEqualTo(70);
            assertThat(c.crossedAt).isEqualTo(T1.toString());
            assertThat(c.actions).singleElement().satisfies(a -> {
                assertThat(a.type).isEqualTo("Notify");
                assertThat(a.result).isEqualTo("Pending");
                assertThat(a.at).isEqualTo(T1.toString());
                assertThat(a.reason).isNull();
            });
        }

        @Test
        void exactlyAtTheThresholdCounts() {
            assertThat(percents(evaluate(8680, null, T1).notifications())).containsExactly(70);
        }

        @Test
        void aDeliveredNotificationIsNotRepeatedInTheSamePeriod() {
            Decision first = evaluate(9000, null, T1);
            BudgetEvaluator.markNotified(first.status(), 70, T2);

            Decision second = evaluate(9500, first.status(), T3);

            assertThat(second.notifications()).isEmpty();
            CrossedThreshold c = crossed(second.status(), 70);
            assertThat(c.crossedAt).as("first crossing time is kept").isEqualTo(T1.toString());
            assertThat(c.actions).singleElement().satisfies(a -> {
                assertThat(a.result).isEqualTo("Done");
                assertThat(a.at).isEqualTo(T2.toString());
            });
            assertThat(second.status().crossedThresholds).hasSize(1);
        }

        @Test
        void markNotifiedOnlyTouchesTheGivenThreshold() {
            Decision d = evaluate(11_160, null, T1); // 90 %
            BudgetEvaluator.markNotified(d.status(), 85, T2);
            assertThat(crossed(d.status(), 70).actions.get(0).result).isEqualTo("Pending");
            assertThat(crossed(d.status(), 85).actions)
                    .extracting(a -> a.type + "=" + a.result)
                    .containsExactly("Notify=Done", "Throttle=Pending");
            assertThat(percents(evaluate(11_200, d.status(), T3).notifications()))
                    .containsExactly(70);
        }

        @Test
        void anUndeliveredNotificationIsOfferedAgain() {
            Decision first = evaluate(9000, null, T1);
            Decision second = evaluate(9100, first.status(), T2);
            assertThat(percents(second.notifications())).containsExactly(70);
            assertThat(second.status().crossedThresholds).hasSize(1);
            assertThat(crossed(second.status(), 70).crossedAt).isEqualTo(T1.toString());
        }

        @Test
        void evaluatingDoesNotShareThresholdRecordsWithThePreviousStatus() {
            CostBudgetStatus previous = evaluate(9000, null, T1).status();
            Decision next = evaluate(9100, previous, T2);
            BudgetEvaluator.markNotified(next.status(), 70, T3);
            assertThat(crossed(previous, 70).actions.get(0).result).isEqualTo("Pending");
        }

        @Test
        void aNewPeriodResetsCrossedThresholdsAndFiresAgain() {
            Decision october = evaluator.evaluate(
                    plan("12400.00"), new Observation(OCTOBER, fresh(DATA_THROUGH), 9000), null, GENERATION, T1);
            BudgetEvaluator.markNotified(october.status(), 70, T1);
            assertThat(october.status().periodStart).isEqualTo("2026-10-01T00:00:00Z");

            Decision lowNovember = evaluate(100, october.status(), T2);
            assertThat(lowNovember.status().crossedThresholds).isEmpty();
            assertThat(lowNovember.notifications()).isEmpty();

            Decision highNovember = evaluate(9000, october.status(), T2);
            assertThat(percents(highNovember.notifications())).containsExactly(70);
            assertThat(highNovember.status().crossedThresholds)
                    .singleElement()
                    .satisfies(c -> assertThat(c.crossedAt).isEqualTo(T2.toString()));
            assertThat(highNovember.notifications().get(0).periodStart())
                    .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        }

        @Test
        void jumpingFromZeroTo90PercentCrossesTwoThresholdsInAscendingOrder() {
            Decision d = evaluate(11_160, null, T1);
            assertThat(d.state()).isEqualTo(BudgetState.Critical);
            assertThat(d.notifications())
                    .extracting(Notification::percent, Notification::usedPercent)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(70, 90), org.assertj.core.groups.Tuple.tuple(85, 90));
            assertThat(d.status().crossedThresholds).extracting(c -> c.percent).containsExactly(70, 85);
        }

        @Test
        void throttleAndFreezeAreRecordedAsPendingForTheReconcilerToCarryOut() {
            Decision d = evaluate(12_400, null, T1);
            assertThat(percents(d.notifications())).containsExactly(70, 85, 100);
            List<ActionRecord> atHundred = crossed(d.status(), 100).actions;
            assertThat(atHundred).extracting(a -> a.type).containsExactly("Notify", "Throttle", "Freeze");
            assertThat(atHundred.get(0).result).isEqualTo("Pending");
            for (ActionRecord a : atHundred.subList(1, 3)) {
                assertThat(a.result).isEqualTo("Pending");
                assertThat(a.reason).isNull();
                assertThat(a.at).isEqualTo(T1.toString());
            }
        }

        @Test
        void aThresholdWithoutNotifyRecordsItsActionsButProducesNoNotification() {
            BudgetPlan freezeOnly =
                    plan("1000", List.of(new BudgetPlan.Threshold(50, List.of("Freeze"), false)), false);
            Decision d = evaluate(freezeOnly, 600, null, T1);
            assertThat(d.notifications()).isEmpty();
            assertThat(crossed(d.status(), 50).actions)
                    .extracting(a -> a.type + "=" + a.result)
                    .containsExactly("Freeze=Pending");
        }

        @Test
        void thresholdsAbove100FireToo() {
            BudgetPlan p = plan("1000", List.of(notifyAt(100), notifyAt(120)), false);
            Decision d = evaluate(p, 1250, null, T1);
            assertThat(d.state()).isEqualTo(BudgetState.Exceeded);
            assertThat(percents(d.notifications())).containsExactly(100, 120);
        }

        @Test
        void dryRunIsCarriedOnEachNotification() {
            Decision d = evaluate(plan("12400.00", defaultThresholds(), true), 11_160, null, T1);
            assertThat(d.notifications())
                    .hasSize(2)
                    .allSatisfy(n -> assertThat(n.dryRun()).isTrue());
        }

        @Test
        void notificationCarriesTheFiguresOfTheEvent() {
            Notification n =
                    evaluate(plan("1000.50"), 750.255, null, T1).notifications().get(0);
            assertThat(n).isEqualTo(new Notification(70, "750.26", "1000.50", 74, NOVEMBER.start(), false));
        }
    }

    @Nested
    class DataCoverage {
        // November through 2026-11-23T06:00Z: 534 hours
        private final long from = NOVEMBER.start().getEpochSecond() / 3600;
        private final long to = DATA_THROUGH.getEpochSecond() / 3600;

        private Decision evaluateWith(HourlyCostLedger.DataHours hours, CostBudgetStatus previous, Instant now) {
            return evaluator.evaluate(
                    plan("12400.00"),
                    new Observation(NOVEMBER, fresh(DATA_THROUGH), 9000, null, null, hours),
                    previous,
                    GENERATION,
                    now);
        }

        private HourlyCostLedger.DataHours missing(int count, long first, long last) {
            return count == 0
                    ? new HourlyCostLedger.DataHours(from, to, 0, OptionalLong.empty(), OptionalLong.empty())
                    : new HourlyCostLedger.DataHours(from, to, count, OptionalLong.of(first), OptionalLong.of(last));
        }

        @Test
        void everyHourWithDataIsCompleteAt100Percent() {
            CostBudgetStatus s = evaluateWith(missing(0, 0, 0), null, T1).status();

            assertThat(s.dataCoveragePercent).isEqualTo(100);
            assertThat(s.dataCoverage).isEqualTo("100%");
            assertThat(condition(s, "DataComplete").getStatus()).isEqualTo("True");
            assertThat(condition(s, "DataComplete").getReason()).isEqualTo("Complete");
            assertThat(condition(s, "DataComplete").getMessage())
                    .isEqualTo("all 534 hours of this period have cost data");
        }

        @Test
        void oneMissingHourIsNot100Percent() {
            CostBudgetStatus s =
                    evaluateWith(missing(1, from + 3, from + 3), null, T1).status();

            assertThat(s.dataCoveragePercent).isEqualTo(99);
            assertThat(condition(s, "DataComplete").getStatus()).isEqualTo("True");
            assertThat(condition(s, "DataComplete").getReason()).isEqualTo("MostlyComplete");
            assertThat(condition(s, "DataComplete").getMessage())
                    .contains("1 of 534 hours", "between 2026-11-01T03:00:00Z and 2026-11-01T04:00:00Z");
        }

        @Test
        void underNinetyPercentTheConditionIsFalseAndNamesTheHoursButNothingElseChanges() {
            Decision complete = evaluateWith(missing(0, 0, 0), null, T1);
            Decision d = evaluateWith(missing(60, from + 100, from + 159), null, T1);

            CostBudgetStatus s = d.status();
            assertThat(s.dataCoveragePercent).isEqualTo(88);
            assertThat(s.dataCoverage).isEqualTo("88%");
            Condition c = condition(s, "DataComplete");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("MissingHours");
            assertThat(c.getMessage())
                    .contains("60 of 534 hours", "2026-11-05T04:00:00Z", "2026-11-07T16:00:00Z", "under 90%");
            // said only: state, thresholds and notifications follow the spend as with complete data
            assertThat(d.state()).isEqualTo(complete.state());
            assertThat(d.notifications()).isEqualTo(complete.notifications());
            assertThat(s.crossedThresholds).hasSameSizeAs(complete.status().crossedThresholds);
            assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
        }

        @Test
        void unavailableDataKeepsTheLastCoverageOfThePeriod() {
            CostBudgetStatus previous =
                    evaluateWith(missing(60, from + 100, from + 159), null, T1).status();

            CostBudgetStatus s = evaluateUnavailable(unavailable(FailureKind.Timeout, "no answer"), previous, T2)
                    .status();

            assertThat(s.dataCoveragePercent).isEqualTo(88);
            assertThat(s.dataCoverage).isEqualTo("88%");
        }

        @Property(tries = 200)
        void coverageIsTheWholePercentOfHoursWithDataRoundedDown(
                @ForAll @LongRange(min = 1, max = 2200) long hours, @ForAll @LongRange(min = 0, max = 2200) long gone) {
            int missing = (int) Math.min(hours, gone);
            HourlyCostLedger.DataHours d = missing == 0
                    ? new HourlyCostLedger.DataHours(0, hours, 0, OptionalLong.empty(), OptionalLong.empty())
                    : new HourlyCostLedger.DataHours(
                            0, hours, missing, OptionalLong.of(0), OptionalLong.of(missing - 1));
            CostBudgetStatus s = evaluator
                    .evaluate(
                            plan("12400.00"),
                            new Observation(NOVEMBER, fresh(DATA_THROUGH), 10, null, null, d),
                            null,
                            GENERATION,
                            T1)
                    .status();

            assertThat(s.dataCoveragePercent).isBetween(0, 100);
            assertThat(s.dataCoveragePercent == 100).isEqualTo(missing == 0);
            assertThat(s.dataCoveragePercent / 100.0).isLessThanOrEqualTo((double) (hours - missing) / hours);
            assertThat(condition(s, "DataComplete").getStatus())
                    .isEqualTo(s.dataCoveragePercent >= 90 ? "True" : "False");
        }
    }

    @Nested
    class DataUnavailable {
        @Test
        void unknownStateKeepsThePeriodsFiguresAndNotifiesNothing() {
            CostBudgetStatus previous = evaluate(5000, null, T1).status();

            Decision d = evaluateUnavailable(unavailable(FailureKind.Timeout, "no answer within 30s"), previous, T2);

            CostBudgetStatus s = d.status();
            assertThat(d.state()).isEqualTo(BudgetState.Unknown);
            assertThat(s.state).isEqualTo("Unknown");
            assertThat(d.notifications()).isEmpty();
            assertThat(s.spent).isEqualTo("5000.00");
            assertThat(s.usedPercent).isEqualTo(40);
            assertThat(s.used).isEqualTo("40%");
            assertThat(s.dataThrough).isEqualTo(DATA_THROUGH.toString());
            assertThat(s.periodStart).isEqualTo("2026-11-01T00:00:00Z");
            Condition data = condition(s, "DataAvailable");
            assertThat(data.getStatus()).isEqualTo("False");
            assertThat(data.getReason()).isEqualTo("Timeout");
            assertThat(data.getMessage()).isEqualTo("no answer within 30s");
            Condition ready = condition(s, "Ready");
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("DataUnavailable");
            assertThat(ready.getMessage()).contains("no answer within 30s");
        }

        @Test
        void everyFailureKindIsTheReason() {
            for (FailureKind kind : FailureKind.values()) {
                CostBudgetStatus s =
                        evaluateUnavailable(unavailable(kind, "why"), null, T1).status();
                assertThat(condition(s, "DataAvailable").getReason()).isEqualTo(kind.name());
            }
        }

        @Test
        void notYetCollectedHasItsOwnReason() {
            CostBudgetStatus s =
                    evaluateUnavailable(DataStatus.notYetCollected(), null, T1).status();
            assertThat(condition(s, "DataAvailable").getReason()).isEqualTo("NotCollected");
            assertThat(s.state).isEqualTo("Unknown");
        }

        @Test
        void aPendingNotifyIsNotDeliveredWithoutFreshData() {
            CostBudgetStatus previous = evaluate(9000, null, T1).status(); // 70 % Notify pending
            Decision d = evaluateUnavailable(unavailable(FailureKind.StaleData, "stale"), previous, T2);
            assertThat(d.notifications()).isEmpty();
            assertThat(crossed(d.status(), 70).actions.get(0).result).isEqualTo("Pending");
        }

        @Test
        void figuresOfAnotherPeriodAreNotCarriedIntoTheNewOne() {
            Decision october = evaluator.evaluate(
                    plan("12400.00"), new Observation(OCTOBER, fresh(DATA_THROUGH), 9000), null, GENERATION, T1);
            CostBudgetStatus s = evaluateUnavailable(
                            unavailable(FailureKind.Unreachable, "refused"), october.status(), T2)
                    .status();
            assertThat(s.spent).isNull();
            assertThat(s.usedPercent).isNull();
            assertThat(s.used).isNull();
            assertThat(s.dataThrough).isNull();
            assertThat(s.crossedThresholds).isEmpty();
            assertThat(s.periodStart).isEqualTo("2026-11-01T00:00:00Z");
        }
    }

    @Nested
    class ConditionTransitions {
        @Test
        void lastTransitionTimeMovesOnlyWhenStatusChanges() {
            CostBudgetStatus s1 = evaluate(5000, null, T1).status();
            assertThat(condition(s1, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
            assertThat(condition(s1, "DataAvailable").getLastTransitionTime()).isEqualTo(T1.toString());

            CostBudgetStatus s2 = evaluate(6000, s1, T2).status();
            assertThat(condition(s2, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
            assertThat(condition(s2, "Ready").getMessage()).contains("6000.00");
            assertThat(condition(s2, "DataAvailable").getLastTransitionTime()).isEqualTo(T1.toString());

            CostBudgetStatus s3 = evaluateUnavailable(unavailable(FailureKind.Timeout, "slow"), s2, T3)
                    .status();
            assertThat(condition(s3, "Ready").getLastTransitionTime()).isEqualTo(T3.toString());
            assertThat(condition(s3, "DataAvailable").getLastTransitionTime()).isEqualTo(T3.toString());

            CostBudgetStatus s4 = evaluateUnavailable(unavailable(FailureKind.Unreachable, "refused"), s3, T4)
                    .status();
            assertThat(condition(s4, "Ready").getLastTransitionTime()).isEqualTo(T3.toString());
            assertThat(condition(s4, "DataAvailable").getLastTransitionTime()).isEqualTo(T3.toString());
            assertThat(condition(s4, "DataAvailable").getReason()).isEqualTo("Unreachable");

            CostBudgetStatus s5 = evaluate(6100, s4, T5).status();
            assertThat(condition(s5, "Ready").getLastTransitionTime()).isEqualTo(T5.toString());
            assertThat(condition(s5, "DataAvailable").getLastTransitionTime()).isEqualTo(T5.toString());
        }

        @Test
        void eachConditionTypeAppearsOnce() {
            CostBudgetStatus s = evaluate(5000, null, T1).status();
            for (Instant t : List.of(T2, T3, T4)) {
                s = evaluate(5000, s, t).status();
            }
            s = evaluateUnavailable(unavailable(FailureKind.Timeout, "x"), s, T5)
                    .status();
            assertThat(s.conditions).extracting(Condition::getType).containsExactlyInAnyOrder("DataAvailable", "Ready");
        }
    }

    @Nested
    class InvalidSpec {
        private final List<SpecProblem> problems = List.of(new SpecProblem(
                "spec.thresholds[1].percent",
                "70 is below the threshold before it (85); list thresholds in strictly ascending order"));

        @Test
        void invalidSetsStateAndReadyFalseNamingTheField() {
            CostBudgetStatus s = evaluator.invalid(problems, null, GENERATION, T1);
            assertThat(s.state).isEqualTo("Invalid");
            assertThat(s.observedGeneration).isEqualTo(GENERATION);
            Condition ready = condition(s, "Ready");
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("InvalidSpec");
            assertThat(ready.getMessage())
                    .contains("spec.thresholds[1].percent")
                    .contains("strictly ascending");
            assertThat(ready.getLastTransitionTime()).isEqualTo(T1.toString());
        }

        @Test
        void invalidKeepsThePeriodsFiguresAndRecords() {
            CostBudgetStatus previous = evaluate(9000, null, T1).status();
            CostBudgetStatus s = evaluator.invalid(problems, previous, 4, T2);
            assertThat(s.state).isEqualTo("Invalid");
            assertThat(s.observedGeneration).isEqualTo(4);
            assertThat(s.spent).isEqualTo("9000.00");
            assertThat(s.usedPercent).isEqualTo(72);
            assertThat(s.periodStart).isEqualTo(previous.periodStart);
            assertThat(s.crossedThresholds).extracting(c -> c.percent).containsExactly(70);
            assertThat(condition(s, "DataAvailable").getStatus()).isEqualTo("True");
            assertThat(condition(s, "Ready").getLastTransitionTime()).isEqualTo(T2.toString());
            // the previous status is left alone
            assertThat(previous.state).isEqualTo("Warning");
            assertThat(condition(previous, "Ready").getStatus()).isEqualTo("True");
        }

        @Test
        void everyProblemIsInTheMessage() {
            List<SpecProblem> two = List.of(
                    new SpecProblem("spec.amount", "must be greater than 0"),
                    new SpecProblem("spec.scope.selector.owner", "'owner' is not an allocation key"));
            Condition ready = condition(evaluator.invalid(two, null, GENERATION, T1), "Ready");
            assertThat(ready.getMessage())
                    .isEqualTo(
                            "spec.amount: must be greater than 0; spec.scope.selector.owner: 'owner' is not an allocation key");
        }

        @Test
        void stayingInvalidKeepsTheTransitionTime() {
            CostBudgetStatus first = evaluator.invalid(problems, null, GENERATION, T1);
            CostBudgetStatus second = evaluator.invalid(problems, first, GENERATION, T2);
            assertThat(condition(second, "Ready").getLastTransitionTime()).isEqualTo(T1.toString());
        }
    }

    // ---- properties ----------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Integer>> thresholdPercents() {
        return Arbitraries.integers()
                .between(1, 300)
                .set()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(s -> s.stream().sorted().toList());
    }

    /**
     * Spends in cents of an amount of 1000.00, so that every percent is exact; some cycles have no data. However
     * the spend climbs, each threshold notifies exactly once in the period when every notification is delivered.
     */
    @Property(tries = 300)
    void eachThresholdNotifiesExactlyOncePerPeriod(
            @ForAll("thresholdPercents") List<Integer> thresholds,
            @ForAll @Size(max = 25) List<@LongRange(min = 0, max = 350_000) Long> spendsInCents,
            @ForAll @Size(max = 25) List<Boolean> dataMissing) {
        BudgetPlan p = plan(
                "1000.00", thresholds.stream().map(BudgetTestData::notifyAt).toList(), false);
        List<Long> climbing = new ArrayList<>(spendsInCents);
        climbing.sort(null);
        Map<Integer, Integer> fired = new HashMap<>();
        CostBudgetStatus status = null;
        long highestSeen = -1;
        Instant now = T1;
        for (int i = 0; i < climbing.size(); i++) {
            now = now.plusSeconds(60);
            boolean missing = i < dataMissing.size() && dataMissing.get(i);
            DataStatus data = missing ? unavailable(FailureKind.Timeout, "slow") : fresh(DATA_THROUGH);
            Decision d = evaluator.evaluate(
                    p, new Observation(NOVEMBER, data, climbing.get(i) / 100.0), status, GENERATION, now);
            List<Integer> order = percents(d.notifications());
            assertThat(order).isSorted().doesNotHaveDuplicates();
            for (Notification n : d.notifications()) {
                fired.merge(n.percent(), 1, Integer::sum);
                BudgetEvaluator.markNotified(d.status(), n.percent(), now);
            }
            if (!missing) {
                highestSeen = Math.max(highestSeen, climbing.get(i));
            }
            status = d.status();
        }
        for (int t : thresholds) {
            int expected = highestSeen >= t * 1000L ? 1 : 0;
            assertThat(fired.getOrDefault(t, 0))
                    .as("threshold %d after spends %s (missing %s)", t, climbing, dataMissing)
                    .isEqualTo(expected);
        }
        assertThat(fired.keySet()).isSubsetOf(Set.copyOf(thresholds));
    }

    @Property(tries = 300)
    void usedPercentIsTheFloorOfTheExactShare(@ForAll @LongRange(min = 0, max = 100_000_000) long cents) {
        Decision d = evaluate(plan("1000.00"), cents / 100.0, null, T1);
        assertThat(d.status().usedPercent).isEqualTo((int) (cents / 1000));
        assertThat(d.status().spent)
                .isEqualTo(java.math.BigDecimal.valueOf(cents, 2).toPlainString());
    }

    private static io.costguard.api.CostAnomaly anomaly(String day, String direction, Boolean partial) {
        io.costguard.api.CostAnomaly a = new io.costguard.api.CostAnomaly();
        a.day = day;
        a.direction = direction;
        a.spend = "1.00";
        a.expected = "2.00";
        a.changePercent = "Decrease".equals(direction) ? -50 : 100;
        a.partial = partial;
        a.hours = partial == null ? null : "00:00-06:00";
        return a;
    }

    private Decision withAnomalies(CostBudgetStatus previous, io.costguard.api.CostAnomaly... found) {
        return evaluator.evaluate(
                plan("12400.00"),
                new Observation(
                        NOVEMBER,
                        fresh(DATA_THROUGH),
                        10,
                        null,
                        new BudgetEvaluator.AnomalyFindings(List.of(found), null, null)),
                previous,
                GENERATION,
                T1);
    }

    @Test
    void theRunningDaysJudgementIsReplacedByTheDailyRecordOrDroppedWhenItNoLongerHolds() {
        Decision running =
                withAnomalies(null, anomaly("2026-11-22", "Decrease", null), anomaly("2026-11-23", "Increase", true));
        assertThat(running.status().anomalies)
                .extracting(a -> a.day, a -> a.partial)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2026-11-22", null),
                        org.assertj.core.groups.Tuple.tuple("2026-11-23", true));
        assertThat(Conditions.find(running.status().conditions, "AnomalyDetected")
                        .getMessage())
                .contains("2026-11-23 00:00-06:00 (day running)", "up");
        // an hour later the running day is back in line: its partial judgement goes, the record of yesterday stays
        Decision calm = withAnomalies(running.status(), anomaly("2026-11-22", "Decrease", null));
        assertThat(calm.status().anomalies).extracting(a -> a.day).containsExactly("2026-11-22");
        assertThat(Conditions.find(calm.status().conditions, "AnomalyDetected").getMessage())
                .contains("down");
        // the next day, the complete day's record replaces what the running day said
        Decision confirmed = withAnomalies(running.status(), anomaly("2026-11-23", "Increase", null));
        assertThat(confirmed.status().anomalies)
                .extracting(a -> a.day, a -> a.partial)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2026-11-22", null),
                        org.assertj.core.groups.Tuple.tuple("2026-11-23", null));
    }
}

package io.costguard.budget;

import static io.costguard.budget.BudgetTestData.KEYS;
import static io.costguard.budget.BudgetTestData.NS;
import static io.costguard.budget.BudgetTestData.scope;
import static io.costguard.budget.BudgetTestData.spec;
import static io.costguard.budget.BudgetTestData.threshold;
import static io.costguard.budget.BudgetTestData.validator;
import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.anomaly.AnomalyDetector;
import io.costguard.api.BudgetAction;
import io.costguard.api.BudgetThreshold;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.SpecProblem;
import io.costguard.cost.Scope;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec checks beyond the CRD schema (DESIGN.md sections 2 and 7, "Custom resources"). */
class BudgetSpecValidatorTest {

    private static BudgetSpecValidator.Result validate(CostBudgetSpec spec) {
        return validator().validate(spec, NS, false);
    }

    /** The single problem of an invalid spec. */
    private static SpecProblem onlyProblem(CostBudgetSpec spec) {
        BudgetSpecValidator.Result r = validate(spec);
        assertThat(r.valid()).isFalse();
        assertThat(r.plan()).as("an invalid spec has no plan").isNull();
        assertThat(r.problems()).hasSize(1);
        return r.problems().get(0);
    }

    private static CostBudgetSpec withThresholds(BudgetThreshold... thresholds) {
        CostBudgetSpec s = spec("100.00");
        s.thresholds = new ArrayList<>(Arrays.asList(thresholds));
        return s;
    }

    @Nested
    class Amount {
        @Test
        void missingAmountSaysItIsRequiredAndShowsAnExample() {
            SpecProblem p = onlyProblem(spec(null));
            assertThat(p.field()).isEqualTo("spec.amount");
            assertThat(p.message()).contains("required").contains("\"12400.00\"");
        }

        @Test
        void blankAmountIsMissing() {
            assertThat(onlyProblem(spec("  ")).field()).isEqualTo("spec.amount");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0.00", "0.0", "000"})
        void zeroMustBeGreaterThanZero(String amount) {
            SpecProblem p = onlyProblem(spec(amount));
            assertThat(p.field()).isEqualTo("spec.amount");
            assertThat(p.message()).contains("greater than 0");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {"1e5", "12.345", "-5", "1,000", "+5", "12.", ".5", "12 400", "USD 10", "0x10", "1_000", "١٢"
                })
        void notAPlainDecimalWithAtMostTwoDecimals(String amount) {
            SpecProblem p = onlyProblem(spec(amount));
            assertThat(p.field()).isEqualTo("spec.amount");
            assertThat(p.message())
                    .contains("'" + amount + "'")
                    .contains("at most 2 decimals")
                    .contains("\"12400.00\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1000000000000.01", "1000000000001", "99999999999999"})
        void aboveOneTrillionNamesTheMaximum(String amount) {
            SpecProblem p = onlyProblem(spec(amount));
            assertThat(p.field()).isEqualTo("spec.amount");
            assertThat(p.message()).contains(amount).contains("1000000000000");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.01", "1", "12400", "12400.5", "12400.00", "1000000000000", "1000000000000.00"})
        void validAmountsAreKeptExactly(String amount) {
            BudgetSpecValidator.Result r = validate(spec(amount));
            assertThat(r.problems()).isEmpty();
            assertThat(r.plan().amount()).isEqualTo(new BigDecimal(amount));
        }
    }

    @Nested
    class CurrencyPeriodAndTimeZone {
        @Test
        void currencyMustMatchThePricingCurrency() {
            CostBudgetSpec s = spec("10");
            s.currency = "EUR";
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.currency");
            assertThat(p.message()).contains("'EUR'").contains("set spec.currency: USD");
        }

        @Test
        void lowerCaseCurrencyIsNotThePricingCurrency() {
            CostBudgetSpec s = spec("10");
            s.currency = "usd";
            assertThat(onlyProblem(s).field()).isEqualTo("spec.currency");
        }

        @Test
        void aValidatorForEuroPricingAcceptsEuroAndRejectsTheUsdDefault() {
            BudgetSpecValidator eur = new BudgetSpecValidator(KEYS, java.util.Map.of(), "EUR");
            CostBudgetSpec s = spec("10");
            s.currency = "EUR";
            assertThat(eur.validate(s, NS, false).plan().currency()).isEqualTo("EUR");
            BudgetSpecValidator.Result defaulted = eur.validate(spec("10"), NS, false);
            assertThat(defaulted.problems()).extracting(SpecProblem::field).containsExactly("spec.currency");
            assertThat(defaulted.problems().get(0).message()).contains("set spec.currency: EUR");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Yearly", "monthly", "MONTHLY", "", "Hourly"})
        void unknownPeriodListsTheValidOnes(String period) {
            CostBudgetSpec s = spec("10");
            s.period = period;
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.period");
            assertThat(p.message()).contains("'" + period + "'").contains("Daily, Weekly, Monthly or Quarterly");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Mars/Olympus_Mons", "Europe/Berln", "CET+1", "", "utc/foo"})
        void unknownTimeZoneSuggestsIanaNames(String tz) {
            CostBudgetSpec s = spec("10");
            s.timeZone = tz;
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.timeZone");
            assertThat(p.message()).contains("'" + tz + "'").contains("IANA").contains("Europe/Berlin");
        }

        @ParameterizedTest
        @ValueSource(strings = {"+05:30", "-08:00", "+01"})
        void fixedOffsetTimeZoneIsRejected(String tz) {
            CostBudgetSpec s = spec("10");
            s.timeZone = tz;
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.timeZone");
            assertThat(p.message()).contains("fixed offset").contains("IANA name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"})
        void ianaNamesAreAccepted(String tz) {
            CostBudgetSpec s = spec("10");
            s.timeZone = tz;
            assertThat(validate(s).plan().zone()).isEqualTo(ZoneId.of(tz));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Daily", "Weekly", "Monthly", "Quarterly"})
        void everyPeriodIsAccepted(String period) {
            CostBudgetSpec s = spec("10");
            s.period = period;
            assertThat(validate(s).plan().period()).isEqualTo(Period.valueOf(period));
        }

        @Test
        void unknownEnforcementIsNamed() {
            CostBudgetSpec s = spec("10");
            s.enforcement = "Audit";
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.enforcement");
            assertThat(p.message()).contains("Enforce or DryRun");
        }

        @Test
        void anUnknownAnomalyDirectionIsNamedAndTheKnownOnesReachThePlan() {
            CostBudgetSpec s = spec("10");
            s.anomaly = new io.costguard.api.AnomalySpec();
            s.anomaly.direction = "Up";
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.anomaly.direction");
            assertThat(p.message()).contains("'Up'", "Increase, Decrease or Both");
            s.anomaly.direction = "Decrease";
            assertThat(validate(s).plan().anomalyLimits().direction())
                    .isEqualTo(io.costguard.anomaly.AnomalyDetector.Direction.DECREASE);
            s.anomaly = null;
            assertThat(validate(s).plan().anomalyLimits().direction())
                    .isEqualTo(io.costguard.anomaly.AnomalyDetector.Direction.BOTH);
        }

        @Test
        void dryRunIsCarriedIntoThePlan() {
            CostBudgetSpec s = spec("10");
            s.enforcement = "DryRun";
            assertThat(validate(s).plan().dryRun()).isTrue();
            s.enforcement = "Enforce";
            assertThat(validate(s).plan().dryRun()).isFalse();
        }
    }

    @Nested
    class Thresholds {
        @Test
        void aThresholdWithNoActionsWouldDoNothing() {
            BudgetThreshold silent = new BudgetThreshold(80, List.of());
            SpecProblem p = onlyProblem(withThresholds(threshold(70), silent));
            assertThat(p.field()).isEqualTo("spec.thresholds[1].actions");
            assertThat(p.message())
                    .contains("is empty", "80 % would do nothing", "Notify, Throttle, Freeze", "leave actions out");
        }

        @Test
        void descendingThresholdNamesTheIndexAndTheFix() {
            SpecProblem p = onlyProblem(withThresholds(threshold(85), threshold(70)));
            assertThat(p.field()).isEqualTo("spec.thresholds[1].percent");
            assertThat(p.message()).contains("70").contains("85").contains("strictly ascending");
        }

        @Test
        void duplicateThresholdSaysItRepeats() {
            SpecProblem p = onlyProblem(withThresholds(threshold(70), threshold(85), threshold(85)));
            assertThat(p.field()).isEqualTo("spec.thresholds[2].percent");
            assertThat(p.message()).contains("repeats").contains("strictly ascending");
        }

        @Test
        void thresholdsAreNotSortedForYou() {
            BudgetSpecValidator.Result r = validate(withThresholds(threshold(100), threshold(70), threshold(85)));
            assertThat(r.problems()).extracting(SpecProblem::field).containsExactly("spec.thresholds[1].percent");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -5, 1001, 5000})
        void percentOutsideOneToThousandIsOutOfRange(int percent) {
            SpecProblem p = onlyProblem(withThresholds(threshold(percent)));
            assertThat(p.field()).isEqualTo("spec.thresholds[0].percent");
            assertThat(p.message()).contains(Integer.toString(percent)).contains("from 1 to 1000");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 1000})
        void oneAndThousandAreTheBounds(int percent) {
            assertThat(validate(withThresholds(threshold(percent))).problems()).isEmpty();
        }

        @Test
        void outOfRangeInTheMiddleIsReportedAtItsIndex() {
            BudgetSpecValidator.Result r = validate(withThresholds(threshold(50), threshold(2000), threshold(3000)));
            assertThat(r.problems())
                    .extracting(SpecProblem::field)
                    .contains("spec.thresholds[1].percent", "spec.thresholds[2].percent");
        }

        @Test
        void emptyListAsksForAThresholdOrTheDefault() {
            SpecProblem p = onlyProblem(withThresholds());
            assertThat(p.field()).isEqualTo("spec.thresholds");
            assertThat(p.message()).contains("empty").contains("70/85/100");
        }

        @Test
        void missingPercentIsRequired() {
            SpecProblem p = onlyProblem(withThresholds(threshold(70), threshold(null)));
            assertThat(p.field()).isEqualTo("spec.thresholds[1].percent");
            assertThat(p.message()).contains("required");
        }

        @Test
        void nullActionIsNamedByIndex() {
            BudgetThreshold t = threshold(70);
            t.actions = new ArrayList<>(Arrays.asList(BudgetAction.Notify, null));
            SpecProblem p = onlyProblem(withThresholds(t));
            assertThat(p.field()).isEqualTo("spec.thresholds[0].actions[1]");
            assertThat(p.message()).contains("Notify, Throttle or Freeze");
        }

        @Test
        void unknownApprovalIsNamed() {
            BudgetThreshold t = threshold(70);
            t.approval = "Later";
            SpecProblem p = onlyProblem(withThresholds(t));
            assertThat(p.field()).isEqualTo("spec.thresholds[0].approval");
            assertThat(p.message()).contains("Automatic or Manual");
        }

        @Test
        void actionsDefaultToNotifyAreDeduplicatedAndApprovalIsCarried() {
            BudgetThreshold manual = threshold(90, BudgetAction.Notify, BudgetAction.Throttle, BudgetAction.Notify);
            manual.approval = "Manual";
            BudgetSpecValidator.Result r = validate(withThresholds(threshold(50), manual));
            assertThat(r.plan().thresholds())
                    .containsExactly(
                            new BudgetPlan.Threshold(50, List.of("Notify"), false),
                            new BudgetPlan.Threshold(90, List.of("Notify", "Throttle"), true));
        }
    }

    @Nested
    class ScopeChecks {
        @Test
        void selectorKeyThatIsNotAnAllocationKeyListsTheKeys() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("cost-center", "a1"));
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.scope.selector.cost-center");
            assertThat(p.message())
                    .contains("not an allocation key")
                    .contains("tenant, feature, team, environment")
                    .contains("allocation.extraKeys");
        }

        @Test
        void configuredExtraKeysMaySelect() {
            BudgetSpecValidator withCluster = new BudgetSpecValidator(
                    List.of("tenant", "feature", "team", "environment", "cluster"), java.util.Map.of(), "USD");
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("cluster", "eu-1", "tenant", "alpha"));
            BudgetSpecValidator.Result r = withCluster.validate(s, NS, false);
            assertThat(r.problems()).isEmpty();
            assertThat(r.plan().scope().selector())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("cluster", "eu-1", "tenant", "alpha"));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "alpha beta",
                    "-alpha",
                    "alpha-",
                    "alpha/beta",
                    "ä",
                    "Alpha",
                    "Alpha_Corp",
                    "prod_1.eu-west",
                    "a123456789012345678901234567890123456789012345678901234567890123"
                })
        void selectorValueTheLabelRuleRefusesCanNeverMatch(String value) {
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("tenant", value));
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.scope.selector.tenant");
            assertThat(p.message())
                    .contains(
                            "can never match",
                            "lower-case DNS labels",
                            "at most 63 characters",
                            "write the value as the pods' label has it");
        }

        @Test
        void alphaCorpIsToldTheLabelItCouldBe() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("tenant", "Alpha_Corp"));
            assertThat(onlyProblem(s).message())
                    .startsWith("'Alpha_Corp' can never match")
                    .endsWith("e.g. 'alpha-corp'");
        }

        @Test
        void anEmptySelectorValueIsNamed() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("tenant", ""));
            assertThat(onlyProblem(s))
                    .hasToString(
                            "spec.scope.selector.tenant: is empty; write the value the pods' tenant label has, or drop the key");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {"alpha", "a", "prod-1", "a12345678901234567890123456789012345678901234567890123456789012"})
        void labelValuesAreAccepted(String value) {
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("tenant", value));
            assertThat(validate(s).problems()).isEmpty();
        }

        @Test
        void aKeysConfiguredPatternDecidesWhatCanMatch() {
            BudgetSpecValidator patterned =
                    new BudgetSpecValidator(KEYS, Map.of("team", java.util.regex.Pattern.compile("^T-[0-9]+$")), "USD");
            CostBudgetSpec ok = spec("10");
            ok.scope = scope(null, Map.of("team", "T-12"));
            assertThat(patterned.validate(ok, NS, false).problems()).isEmpty();
            CostBudgetSpec lower = spec("10");
            lower.scope = scope(null, Map.of("team", "t-12"));
            assertThat(patterned.validate(lower, NS, false).problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.message())
                            .contains("'t-12' can never match", "values matching ^T-[0-9]+$ for team"));
        }

        @Test
        void aTenThousandCharacterValueIsQuotedCut() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(null, Map.of("tenant", "x".repeat(10_000)));
            String message = onlyProblem(s).message();
            assertThat(message)
                    .contains("'" + "x".repeat(120) + "…(10000 characters)'")
                    .hasSizeLessThan(500);
        }

        @Test
        void untrustedNamespaceMayNotSelectAnotherNamespace() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(List.of(NS, "team-beta"), null);
            SpecProblem p = onlyProblem(s);
            assertThat(p.field()).isEqualTo("spec.scope.namespaces[1]");
            assertThat(p.message())
                    .contains("'team-beta'")
                    .contains("costguard.io/budget-admin=true")
                    .contains("select only " + NS);
        }

        @Test
        void everyForeignNamespaceIsNamedByIndex() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(List.of("team-beta", NS, "team-gamma"), null);
            assertThat(validate(s).problems())
                    .extracting(SpecProblem::field)
                    .containsExactly("spec.scope.namespaces[0]", "spec.scope.namespaces[2]");
        }

        @Test
        void trustedNamespaceMaySelectOtherNamespaces() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(List.of("team-beta", "team-gamma"), Map.of("environment", "prod"));
            BudgetSpecValidator.Result r = validator().validate(s, "costguard-system", true);
            assertThat(r.problems()).isEmpty();
            assertThat(r.plan().scope())
                    .isEqualTo(new Scope(Set.of("team-beta", "team-gamma"), Map.of("environment", "prod")));
        }

        @Test
        void untrustedNamespaceMayNameItself() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(List.of(NS), null);
            assertThat(validate(s).plan().scope().namespaces()).containsExactly(NS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Team-Beta", "team_beta", "-team", ""})
        void malformedNamespaceNameIsRejectedEvenWhenTrusted(String ns) {
            CostBudgetSpec s = spec("10");
            s.scope = scope(List.of(ns), null);
            BudgetSpecValidator.Result r = validator().validate(s, "costguard-system", true);
            assertThat(r.problems()).extracting(SpecProblem::field).containsExactly("spec.scope.namespaces[0]");
            assertThat(r.problems().get(0).message()).contains("not a namespace name");
        }

        @Test
        void emptyNamespaceListMeansTheBudgetsOwnNamespace() {
            CostBudgetSpec s = spec("10");
            s.scope = scope(List.of(), Map.of("tenant", "alpha"));
            assertThat(validate(s).plan().scope()).isEqualTo(new Scope(Set.of(NS), Map.of("tenant", "alpha")));
        }
    }

    @Nested
    class Defaults {
        @Test
        void onlyAnAmountGivesTheDocumentedDefaults() {
            BudgetSpecValidator.Result r = validate(spec("12400.00"));
            assertThat(r.valid()).isTrue();
            BudgetPlan plan = r.plan();
            assertThat(plan.amount()).isEqualByComparingTo("12400");
            assertThat(plan.currency()).isEqualTo("USD");
            assertThat(plan.period()).isEqualTo(Period.Monthly);
            assertThat(plan.zone()).isEqualTo(ZoneId.of("UTC"));
            assertThat(plan.scope()).isEqualTo(new Scope(Set.of(NS), Map.of()));
            assertThat(plan.dryRun()).isFalse();
            assertThat(plan.thresholds())
                    .containsExactly(
                            new BudgetPlan.Threshold(70, List.of("Notify"), false),
                            new BudgetPlan.Threshold(85, List.of("Notify", "Throttle"), false),
                            new BudgetPlan.Threshold(100, List.of("Notify", "Throttle", "Freeze"), false));
        }

        @Test
        void missingSpecAsksForTheAmount() {
            BudgetSpecValidator.Result r = validator().validate(null, NS, false);
            assertThat(r.problems()).containsExactly(new SpecProblem("spec", "is missing; set at least spec.amount"));
        }
    }

    @Nested
    class WholeSpecs {
        @Test
        void aFullValidSpecBecomesThePlan() {
            CostBudgetSpec s = spec("12400.00");
            s.currency = "USD";
            s.period = "Weekly";
            s.timeZone = "Europe/Berlin";
            s.thresholds = new ArrayList<>(List.of(
                    threshold(50, BudgetAction.Notify),
                    threshold(90, BudgetAction.Notify, BudgetAction.Throttle),
                    threshold(120, BudgetAction.Freeze)));
            s.scope = scope(List.of(NS), Map.of("tenant", "alpha", "environment", "prod"));
            s.enforcement = "DryRun";

            BudgetPlan plan = validate(s).plan();

            assertThat(plan)
                    .isEqualTo(new BudgetPlan(
                            new BigDecimal("12400.00"),
                            "USD",
                            Period.Weekly,
                            ZoneId.of("Europe/Berlin"),
                            List.of(
                                    new BudgetPlan.Threshold(50, List.of("Notify"), false),
                                    new BudgetPlan.Threshold(90, List.of("Notify", "Throttle"), false),
                                    new BudgetPlan.Threshold(120, List.of("Freeze"), false)),
                            new Scope(Set.of(NS), Map.of("tenant", "alpha", "environment", "prod")),
                            true,
                            // what the fields the spec leaves out default to
                            100,
                            AnomalyDetector.Limits.DEFAULT,
                            null,
                            BudgetPlan.WarnOn.Forecast,
                            false));
        }

        @Test
        void everyProblemIsReportedAtOnce() {
            CostBudgetSpec s = spec("1e5");
            s.currency = "EUR";
            s.period = "Yearly";
            s.timeZone = "Nowhere/City";
            s.thresholds = new ArrayList<>(List.of(threshold(80), threshold(80)));
            s.scope = scope(List.of("team-beta"), Map.of("owner", "bob"));
            s.enforcement = "Maybe";
            BudgetSpecValidator.Result r = validate(s);
            assertThat(r.plan()).isNull();
            assertThat(r.problems())
                    .extracting(SpecProblem::field)
                    .containsExactlyInAnyOrder(
                            "spec.amount",
                            "spec.currency",
                            "spec.period",
                            "spec.timeZone",
                            "spec.thresholds[1].percent",
                            "spec.scope.namespaces[0]",
                            "spec.scope.selector.owner",
                            "spec.enforcement");
        }

        @Test
        void problemToStringIsFieldThenMessage() {
            assertThat(new SpecProblem("spec.amount", "must be greater than 0"))
                    .hasToString("spec.amount: must be greater than 0");
        }
    }

    // ---- properties ----------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Integer>> percentLists() {
        return Arbitraries.integers().between(-10, 1100).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 500)
    void thresholdsAreValidExactlyWhenStrictlyAscendingWithinOneToThousand(
            @ForAll("percentLists") List<Integer> percents) {
        CostBudgetSpec s = spec("100");
        s.thresholds = new ArrayList<>(percents.stream().map(p -> threshold(p)).toList());
        boolean expectValid = true;
        for (int i = 0; i < percents.size(); i++) {
            int p = percents.get(i);
            if (p < 1 || p > 1000 || (i > 0 && p <= percents.get(i - 1))) {
                expectValid = false;
            }
        }
        BudgetSpecValidator.Result r = validate(s);
        assertThat(r.valid()).as("%s -> %s", percents, r.problems()).isEqualTo(expectValid);
        if (expectValid) {
            assertThat(r.plan().thresholds())
                    .extracting(BudgetPlan.Threshold::percent)
                    .containsExactlyElementsOf(percents);
        } else {
            assertThat(r.problems())
                    .allSatisfy(p -> assertThat(p.field()).matches("spec\\.thresholds\\[\\d+]\\.percent"));
        }
    }

    @Property(tries = 500)
    void amountsInCentsUpToOneTrillionAreValid(@ForAll("cents") long cents) {
        String amount = (cents / 100) + "." + String.format("%02d", cents % 100);
        BudgetSpecValidator.Result r = validate(spec(amount));
        assertThat(r.problems()).as(amount).isEmpty();
        assertThat(r.plan().amount()).isEqualByComparingTo(BigDecimal.valueOf(cents, 2));
    }

    @Provide
    Arbitrary<Long> cents() {
        return Arbitraries.longs().between(1, 100_000_000_000_000L);
    }
}

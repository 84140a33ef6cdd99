package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.config.OperatorConfig;
import io.costguard.freeze.FreezeRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FreezeRuleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    final FreezeRule rule = new FreezeRule(
            new Workloads(Workloads.DEFAULT), OperatorConfig.DEFAULT_ALLOCATION_KEYS, Duration.ofHours(1));
    final FreezeRegistry frozen = new FreezeRegistry();
    /** The webhook's cache of scaled workloads, by "namespace/name". */
    final Map<String, ScaleTarget> cached = new java.util.HashMap<>();

    final ScaleTarget.Lookup targets =
            (kind, ns, name) -> cached.getOrDefault(ns + "/" + name, new ScaleTarget.Unknown("not cached"));

    FreezeRuleTest() {
        frozen.freeze(
                "team-a/alpha",
                new FreezeRegistry.FrozenScope(
                        Set.of("team-a"),
                        Map.of("tenant", "alpha"),
                        "CostBudget team-a/alpha",
                        io.costguard.budget.BudgetFreeze.RELEASE));
    }

    static ObjectNode deployment(int replicas, String image, String tenant) {
        ObjectNode d = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
        d.putObject("metadata").put("name", "api");
        ObjectNode spec = d.putObject("spec").put("replicas", replicas);
        ObjectNode t = spec.putObject("template");
        t.putObject("metadata").putObject("labels").put("tenant", tenant).put("app", "api");
        t.putObject("spec")
                .putArray("containers")
                .addObject()
                .put("name", "app")
                .put("image", image);
        return d;
    }

    static AdmissionRequest update(ObjectNode after, ObjectNode before) {
        return new AdmissionRequest(
                "u",
                "UPDATE",
                "apps",
                "v1",
                "Deployment",
                "deployments",
                "",
                "team-a",
                "api",
                "alice",
                List.of(),
                after,
                before,
                false,
                null);
    }

    @Property
    void replicasMayFallButNotRiseWhileFrozen(
            @ForAll @IntRange(min = 0, max = 50) int before, @ForAll @IntRange(min = 0, max = 50) int after) {
        FreezeRule.Result r = rule.check(
                update(deployment(after, "api:1", "alpha"), deployment(before, "api:1", "alpha")),
                frozen,
                targets,
                NOW);
        assertThat(r.allowed()).isEqualTo(after <= before);
        assertThat(r.frozen()).isTrue();
    }

    @Property
    void outsideTheFrozenScopeEverythingPasses(
            @ForAll @IntRange(min = 0, max = 50) int before, @ForAll @IntRange(min = 0, max = 50) int after) {
        assertThat(rule.check(
                                update(deployment(after, "api:2", "beta"), deployment(before, "api:1", "beta")),
                                frozen,
                                targets,
                                NOW)
                        .allowed())
                .isTrue();
    }

    @Test
    void movingAWorkloadOutOfTheFrozenScopeWhileChangingItIsStillFrozen() {
        FreezeRule.Result r = rule.check(
                update(deployment(2, "api:2", "beta"), deployment(2, "api:1", "alpha")), frozen, targets, NOW);
        assertThat(r.allowed()).isFalse();
    }

    @Test
    void aLabelOnlyEscapeIsALabelFixAndPasses() {
        assertThat(rule.check(
                                update(deployment(2, "api:1", "beta"), deployment(2, "api:1", "alpha")),
                                frozen,
                                targets,
                                NOW)
                        .allowed())
                .isTrue();
    }

    @Test
    void unfrozenRegistryPassesEverything() {
        assertThat(rule.check(
                                update(deployment(9, "api:2", "alpha"), deployment(1, "api:1", "alpha")),
                                new FreezeRegistry(),
                                targets,
                                NOW)
                        .frozen())
                .isFalse();
    }

    @Test
    void selectorStringsOfScaleObjects() {
        assertThat(FreezeRule.selectorLabels("app=api,tenant==alpha,env!=prod,tier in (a,b)"))
                .containsEntry("app", "api")
                .containsEntry("tenant", "alpha")
                .doesNotContainKey("env");
    }

    static AdmissionRequest scale(String user, int before, int after) {
        return new AdmissionRequest(
                "u",
                "UPDATE",
                "autoscaling",
                "v1",
                "Scale",
                "deployments",
                "scale",
                "team-a",
                "checkout-api",
                user,
                List.of(),
                scaleObject(after),
                scaleObject(before),
                false,
                null);
    }

    static ObjectNode scaleObject(int replicas) {
        ObjectNode s =
                JSON.createObjectNode().put("apiVersion", "autoscaling/v1").put("kind", "Scale");
        s.putObject("metadata").put("name", "checkout-api").put("namespace", "team-a");
        s.putObject("spec").put("replicas", replicas);
        // the real selector: the Deployment's matchLabels, which carry no allocation labels
        s.putObject("status").put("replicas", 2).put("selector", "app=checkout-api");
        return s;
    }

    void cache(String tenant, String breakGlass, String until) {
        cached.put(
                "team-a/checkout-api",
                new ScaleTarget.Known(Map.of("app", "checkout-api", "tenant", tenant), false, breakGlass, until));
    }

    @Property
    void kubectlScaleIsJudgedByTheWorkloadsPodTemplate(
            @ForAll @IntRange(min = 0, max = 50) int before, @ForAll @IntRange(min = 0, max = 50) int after) {
        cache("alpha", "", "");
        FreezeRule.Result r = rule.check(scale("alice", before, after), frozen, targets, NOW);
        assertThat(r.allowed()).isEqualTo(after <= before);
        if (after > before) {
            assertThat(r.message())
                    .startsWith("Deployment team-a/checkout-api: rollouts are frozen by CostBudget team-a/alpha")
                    .contains("replicas rise from " + before + " to " + after + " through /scale")
                    .contains("kubectl annotate -n team-a deployment/checkout-api costguard.io/break-glass=");
        }
    }

    @Property
    void theAutoscalerScalesUpWhateverTheCacheKnows(@ForAll boolean known, @ForAll("autoscalers") String user) {
        if (known) {
            cache("alpha", "", "");
        }
        FreezeRule.Result r = rule.check(scale(user, 2, 9), frozen, targets, NOW);
        assertThat(r.allowed()).isTrue();
        assertThat(r.breakGlass()).isNull();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> autoscalers() {
        return net.jqwik.api.Arbitraries.of(FreezeRule.AUTOSCALERS);
    }

    @Test
    void aWorkloadOutsideTheFrozenScopeScalesFreely() {
        cache("beta", "", "");
        assertThat(rule.check(scale("alice", 2, 9), frozen, targets, NOW).allowed())
                .isTrue();
    }

    @Test
    void aWorkloadTheCacheDoesNotKnowIsDeniedInAFrozenNamespaceOnly() {
        FreezeRule.Result r = rule.check(scale("alice", 2, 4), frozen, targets, NOW);
        assertThat(r.allowed()).isFalse();
        assertThat(r.message())
                .startsWith(
                        "Deployment team-a/checkout-api: a freeze covers namespace team-a and costguard cannot tell")
                .contains("(not cached)")
                .contains("Fix: retry in a few seconds");
        assertThat(rule.check(scale("alice", 4, 2), frozen, targets, NOW).allowed())
                .isTrue();
        assertThat(rule.check(scale("alice", 2, 4), new FreezeRegistry(), targets, NOW)
                        .allowed())
                .isTrue();
    }

    @Test
    void withoutTheWorkloadASelectorInTheScopeStillDenies() {
        ObjectNode after = scaleObject(4);
        after.with("status").put("selector", "app=checkout-api,tenant=alpha");
        AdmissionRequest r = new AdmissionRequest(
                "u",
                "UPDATE",
                "autoscaling",
                "v1",
                "Scale",
                "deployments",
                "scale",
                "team-a",
                "checkout-api",
                "alice",
                List.of(),
                after,
                scaleObject(2),
                false,
                null);
        assertThat(rule.check(r, frozen, targets, NOW).message())
                .contains("rollouts are frozen by CostBudget team-a/alpha");
    }

    @Test
    void aControlledReplicaSetIsLeftToItsOwner() {
        cached.put("team-a/checkout-api", new ScaleTarget.Known(Map.of(), true, "", ""));
        AdmissionRequest r = new AdmissionRequest(
                "u",
                "UPDATE",
                "autoscaling",
                "v1",
                "Scale",
                "replicasets",
                "scale",
                "team-a",
                "checkout-api",
                "alice",
                List.of(),
                scaleObject(4),
                scaleObject(2),
                false,
                null);
        assertThat(rule.check(r, frozen, targets, NOW).allowed()).isTrue();
    }

    @Test
    void aBreakGlassOnTheWorkloadLetsTheScaleThrough() {
        cache("alpha", "INC-4711", "2026-11-23T10:30:00Z");
        FreezeRule.Result r = rule.check(scale("alice", 2, 4), frozen, targets, NOW);
        assertThat(r.allowed()).isTrue();
        assertThat(r.breakGlass()).isEqualTo("INC-4711");
        assertThat(r.warning()).contains("break-glass 'INC-4711' let this through: Deployment team-a/checkout-api");

        cache("alpha", "INC-4711", "2026-11-23T09:30:00Z");
        FreezeRule.Result expired = rule.check(scale("alice", 2, 4), frozen, targets, NOW);
        assertThat(expired.allowed()).isFalse();
        assertThat(expired.message()).contains("The break-glass was refused: the break-glass expired");
    }

    @Test
    void scaleOfAKindThatIsNotCheckedPasses() {
        FreezeRule onlyPods = new FreezeRule(
                new Workloads(List.of(new Workloads.Kind("", "Pod", ""))),
                OperatorConfig.DEFAULT_ALLOCATION_KEYS,
                Duration.ofHours(1));
        assertThat(onlyPods.check(scale("alice", 2, 4), frozen, targets, NOW).allowed())
                .isTrue();
    }

    static final java.util.Optional<String> LOADING = java.util.Optional.of("it is still reading the CostBudgets");

    static AdmissionRequest create(ObjectNode object) {
        return create(object, "team-b");
    }

    static AdmissionRequest create(ObjectNode object, String namespace) {
        return new AdmissionRequest(
                "c",
                "CREATE",
                "apps",
                "v1",
                "Deployment",
                "deployments",
                "",
                namespace,
                "api",
                "alice",
                List.of(),
                object,
                null,
                false,
                null);
    }

    /** Before the feed has listed what freezes scopes, no scope is known to be free: never allow a rollout silently. */
    @Property
    void whileTheFeedLoadsWhatAFreezeForbidsWaitsAndWhatItAllowsPasses(
            @ForAll @IntRange(min = 0, max = 20) int before,
            @ForAll @IntRange(min = 0, max = 20) int after,
            @ForAll boolean newImage) {
        FreezeRegistry none = new FreezeRegistry();
        FreezeRule.Result r = rule.check(
                update(deployment(after, newImage ? "api:2" : "api:1", "beta"), deployment(before, "api:1", "beta")),
                none,
                targets,
                LOADING,
                NOW);
        boolean forbidden = newImage || after > before;
        assertThat(r.allowed()).isEqualTo(!forbidden);
        if (forbidden) {
            assertThat(r.message())
                    .contains("cannot tell yet whether a freeze covers it (it is still reading the CostBudgets)")
                    .contains("Fix: retry in a few seconds");
        }
        // once loaded, the same change in a scope nobody froze passes
        assertThat(rule.check(
                                update(
                                        deployment(after, newImage ? "api:2" : "api:1", "beta"),
                                        deployment(before, "api:1", "beta")),
                                none,
                                targets,
                                java.util.Optional.empty(),
                                NOW)
                        .allowed())
                .isTrue();
    }

    @Test
    void whileTheFeedLoadsACreateWaitsUnlessABreakGlassLetsItThrough() {
        FreezeRegistry none = new FreezeRegistry();
        assertThat(rule.check(create(deployment(2, "api:1", "beta")), none, targets, LOADING, NOW)
                        .message())
                .startsWith("Deployment team-b/api: costguard cannot tell yet whether a freeze covers it")
                .contains("creating Deployment is denied");
        ObjectNode glass = deployment(2, "api:1", "beta");
        glass.with("metadata")
                .putObject("annotations")
                .put(BreakGlass.REASON, "INC-1")
                .put(BreakGlass.UNTIL, "2026-11-23T10:30:00Z");
        FreezeRule.Result through = rule.check(create(glass), none, targets, LOADING, NOW);
        assertThat(through.allowed()).isTrue();
        assertThat(through.breakGlass()).isEqualTo("INC-1");
        // a pod its controller creates was judged through its owner
        ObjectNode owned = deployment(2, "api:1", "beta");
        owned.with("metadata")
                .putArray("ownerReferences")
                .addObject()
                .put("kind", "Rollout")
                .put("name", "api")
                .put("controller", true);
        assertThat(rule.check(create(owned), none, targets, LOADING, NOW).allowed())
                .isTrue();
    }

    @Test
    void whileTheFeedLoadsScaleUpsWaitExceptTheAutoscalersAndScaleDownsPass() {
        FreezeRegistry none = new FreezeRegistry();
        cache("beta", "", "");
        assertThat(rule.check(scale("alice", 2, 4), none, targets, LOADING, NOW).message())
                .contains("cannot tell yet whether a freeze covers it")
                .contains("replicas rise from 2 to 4 through /scale");
        assertThat(rule.check(scale(FreezeRule.AUTOSCALERS.get(0), 2, 4), none, targets, LOADING, NOW)
                        .allowed())
                .isTrue();
        assertThat(rule.check(scale("alice", 4, 2), none, targets, LOADING, NOW).allowed())
                .isTrue();
        assertThat(rule.check(scale("alice", 2, 4), none, targets, java.util.Optional.empty(), NOW)
                        .allowed())
                .isTrue();
    }
}

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
  final FreezeRule rule = new FreezeRule(new Workloads(Workloads.DEFAULT), OperatorConfig.DEFAULT_ALLOCATION_KEYS, Duration.ofHours(1));
  final FreezeRegistry frozen = new FreezeRegistry();

  FreezeRuleTest() {
    frozen.freeze("team-a/alpha", new FreezeRegistry.FrozenScope(Set.of("team-a"), Map.of("tenant", "alpha"), "CostBudget team-a/alpha", io.costguard.budget.CostBudgetReconciler.FREEZE_RELEASE));
  }

  static ObjectNode deployment(int replicas, String image, String tenant) {
    ObjectNode d = JSON.createObjectNode().put("apiVersion", "apps/v1").put("kind", "Deployment");
    d.putObject("metadata").put("name", "api");
    ObjectNode spec = d.putObject("spec").put("replicas", replicas);
    ObjectNode t = spec.putObject("template");
    t.putObject("metadata").putObject("labels").put("tenant", tenant).put("app", "api");
    t.putObject("spec").putArray("containers").addObject().put("name", "app").put("image", image);
    return d;
  }

  static AdmissionRequest update(ObjectNode after, ObjectNode before) {
    return new AdmissionRequest("u", "UPDATE", "apps", "v1", "Deployment", "deployments", "", "team-a", "api", "alice", List.of(),
        after, before, false, null);
  }

  @Property
  void replicasMayFallButNotRiseWhileFrozen(@ForAll @IntRange(min = 0, max = 50) int before, @ForAll @IntRange(min = 0, max = 50) int after) {
    FreezeRule.Result r = rule.check(update(deployment(after, "api:1", "alpha"), deployment(before, "api:1", "alpha")), frozen, NOW);
    assertThat(r.allowed()).isEqualTo(after <= before);
    assertThat(r.frozen()).isTrue();
  }

  @Property
  void outsideTheFrozenScopeEverythingPasses(@ForAll @IntRange(min = 0, max = 50) int before, @ForAll @IntRange(min = 0, max = 50) int after) {
    assertThat(rule.check(update(deployment(after, "api:2", "beta"), deployment(before, "api:1", "beta")), frozen, NOW).allowed()).isTrue();
  }

  @Test
  void movingAWorkloadOutOfTheFrozenScopeWhileChangingItIsStillFrozen() {
    FreezeRule.Result r = rule.check(update(deployment(2, "api:2", "beta"), deployment(2, "api:1", "alpha")), frozen, NOW);
    assertThat(r.allowed()).isFalse();
  }

  @Test
  void aLabelOnlyEscapeIsALabelFixAndPasses() {
    assertThat(rule.check(update(deployment(2, "api:1", "beta"), deployment(2, "api:1", "alpha")), frozen, NOW).allowed()).isTrue();
  }

  @Test
  void unfrozenRegistryPassesEverything() {
    assertThat(rule.check(update(deployment(9, "api:2", "alpha"), deployment(1, "api:1", "alpha")), new FreezeRegistry(), NOW).frozen()).isFalse();
  }

  @Test
  void selectorStringsOfScaleObjects() {
    assertThat(FreezeRule.selectorLabels("app=api,tenant==alpha,env!=prod,tier in (a,b)")).containsEntry("app", "api")
        .containsEntry("tenant", "alpha").doesNotContainKey("env");
  }
}

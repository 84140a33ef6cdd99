package io.costguard.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.ActionResult;
import io.costguard.api.BudgetAction;
import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetStatus;
import io.costguard.api.FeatureFlagRef;
import io.costguard.api.ThrottledFlag;
import io.costguard.flags.FlagException;
import io.costguard.flags.FlagSwitch;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.ObjectKeys;
import io.costguard.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out Throttle and Freeze as the action records say ({@link ActionPlanner} decides): flips and
 * restores feature flags, recording what to restore before changing anything, and publishes or lifts the
 * freeze. Also undoes everything when a budget is deleted.
 */
final class BudgetActuator {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetActuator.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlagSwitch flags;
    private final FreezeRegistry freezes;
    private final Duration interval;
    private final ActionPlanner planner = new ActionPlanner();

    BudgetActuator(FlagSwitch flags, FreezeRegistry freezes, Duration interval) {
        this.flags = flags;
        this.freezes = freezes;
        this.interval = interval;
    }

    /**
     * Brings flags and the freeze in line with the action records; returns true when it recorded something
     * it will act on in the next reconcile (a flag's previous variant is written to status before the flip).
     */
    boolean apply(CostBudget budget, BudgetPlan plan, CostBudgetStatus next, Instant now) {
        String ns = budget.getMetadata().getNamespace();
        String id = ObjectKeys.of(ns, budget.getMetadata().getName());
        double used = next.spent == null
                ? 0
                : Double.parseDouble(next.spent) * 100 / plan.amount().doubleValue();
        String approve = budget.getMetadata().getAnnotations() == null
                ? null
                : budget.getMetadata().getAnnotations().get(ActionPlanner.APPROVE_ANNOTATION);
        ActionPlanner.InForce inForce =
                planner.decide(next, plan.thresholds(), used, ActionPlanner.approvals(approve), now);
        List<FeatureFlagRef> refs = budget.getSpec().throttle == null || budget.getSpec().throttle.featureFlags == null
                ? List.of()
                : budget.getSpec().throttle.featureFlags;
        List<ThrottledFlag> owned = next.throttledFlags == null
                ? new java.util.ArrayList<>()
                : new java.util.ArrayList<>(next.throttledFlags);
        boolean recorded = false;
        List<String> failures = new java.util.ArrayList<>();
        // restore what is no longer wanted (not throttling, or the flag left the spec)
        for (java.util.Iterator<ThrottledFlag> it = owned.iterator(); it.hasNext(); ) {
            ThrottledFlag t = it.next();
            if (inForce.throttle() && refs.stream().anyMatch(r -> same(r, t))) {
                continue;
            }
            try {
                restore(ns, t);
                it.remove();
                LOG.info("budget {} restored {} {} flag {} to {}", id, t.kind, t.name, t.flagKey, t.previousVariant);
            } catch (FlagException | com.fasterxml.jackson.core.JsonProcessingException e) {
                failures.add(e.getMessage());
            }
        }
        if (inForce.throttle()) {
            for (FeatureFlagRef r : refs) {
                ThrottledFlag t =
                        owned.stream().filter(o -> same(r, o)).findFirst().orElse(null);
                try {
                    if (t == null) {
                        // record what to restore before changing anything
                        FlagSwitch.FlagState was = flags.read(ns, r);
                        t = new ThrottledFlag();
                        t.kind = r.kind;
                        t.name = r.name;
                        t.key = r.key;
                        t.flagKey = r.flagKey;
                        t.variant = r.variant;
                        t.previousVariant = was.defaultVariant();
                        t.previousTargeting =
                                was.targeting() == null ? null : was.targeting().toString();
                        owned.add(t);
                        recorded = true;
                    } else {
                        flags.set(ns, r, r.variant, null);
                    }
                } catch (FlagException e) {
                    failures.add(e.getMessage());
                }
            }
        }
        next.throttledFlags = owned.isEmpty() ? null : owned;
        if (inForce.throttle() && !recorded) {
            if (failures.isEmpty()) {
                ActionPlanner.settle(
                        next,
                        BudgetAction.Throttle,
                        ActionResult.Done,
                        refs.isEmpty() ? "NothingToThrottle: spec.throttle lists no flags" : null,
                        now);
            } else {
                ActionPlanner.settle(
                        next, BudgetAction.Throttle, ActionResult.Failed, String.join("; ", failures), now);
            }
        }
        boolean throttled = inForce.throttle() && !recorded && failures.isEmpty() && !refs.isEmpty();
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.Throttled,
                throttled,
                !failures.isEmpty()
                        ? ConditionReason.FlagUpdateFailed
                        : throttled ? ConditionReason.FlagsThrottled : ConditionReason.NotThrottled,
                !failures.isEmpty()
                        ? String.join("; ", failures) + "; retried with backoff"
                        : throttled
                                ? refs.size() + " flag(s) set to their throttle variant"
                                : "no flag is throttled by this budget",
                next.observedGeneration,
                now);

        if (inForce.freeze()) {
            publishFreeze(id, plan, next);
            if (!Boolean.TRUE.equals(next.deploysFrozen)) {
                LOG.info(
                        "budget {} freezes rollouts in {} {}",
                        id,
                        plan.scope().namespaces(),
                        plan.scope().selector());
            }
            next.deploysFrozen = true;
            ActionPlanner.settle(next, BudgetAction.Freeze, ActionResult.Done, null, now);
        } else {
            freezes.thaw(id);
            if (Boolean.TRUE.equals(next.deploysFrozen)) {
                LOG.info("budget {} lifts its rollout freeze", id);
            }
            next.deploysFrozen = false;
        }
        next.conditions = Conditions.with(
                next.conditions,
                ConditionType.DeploysFrozen,
                inForce.freeze(),
                inForce.freeze() ? ConditionReason.BudgetFreeze : ConditionReason.NotFrozen,
                inForce.freeze()
                        ? "new rollouts in the budget's scope are denied by the admission webhook"
                        : "rollouts are not frozen by this budget",
                next.observedGeneration,
                now);
        return recorded;
    }

    /**
     * Without fresh data nothing changes: the freeze that status records for the current period stays published
     * (also after a restart, when the registry starts empty), and flags stay as they are.
     */
    void hold(CostBudget budget, BudgetPlan plan, Period.Window window, CostBudgetStatus previous) {
        // a new period's status starts without crossings, so a freeze of the last period is not held over
        boolean recorded = previous != null
                && Boolean.TRUE.equals(previous.deploysFrozen)
                && window.start().toString().equals(previous.periodStart)
                && previous.crossedThresholds != null
                && previous.crossedThresholds.stream()
                        .flatMap(c -> c.actions.stream())
                        .anyMatch(a -> BudgetAction.Freeze.is(a.type)
                                && (ActionResult.Done.is(a.result)
                                        || ActionResult.Pending.is(a.result)
                                        || ActionResult.Failed.is(a.result)));
        if (recorded) {
            publishFreeze(
                    budget.getMetadata().getNamespace() + "/"
                            + budget.getMetadata().getName(),
                    plan,
                    previous);
        }
    }

    private void publishFreeze(String id, BudgetPlan plan, CostBudgetStatus next) {
        freezes.freeze(id, BudgetFreeze.scope(id, plan, next.used));
    }

    private static boolean same(FeatureFlagRef r, ThrottledFlag t) {
        return Objects.equals(r.kind, t.kind)
                && Objects.equals(r.name, t.name)
                && Objects.equals(r.key, t.key)
                && Objects.equals(r.flagKey, t.flagKey);
    }

    /** Sets the flag {@code t} throttled back to the variant and targeting it had before. */
    private void restore(String ns, ThrottledFlag t)
            throws FlagException, com.fasterxml.jackson.core.JsonProcessingException {
        flags.set(
                ns, ref(t), t.previousVariant, t.previousTargeting == null ? null : JSON.readTree(t.previousTargeting));
    }

    private static FeatureFlagRef ref(ThrottledFlag t) {
        FeatureFlagRef r = new FeatureFlagRef();
        r.kind = t.kind;
        r.name = t.name;
        r.key = t.key;
        r.flagKey = t.flagKey;
        r.variant = t.previousVariant;
        return r;
    }

    /**
     * Whether the budget has crossed a threshold or keeps a throttle or freeze in place: its actions are kept (and
     * repaired when someone undoes them) by an evaluation every cycle.
     */
    static boolean holdsActions(CostBudgetStatus s) {
        return (s.crossedThresholds != null && !s.crossedThresholds.isEmpty())
                || (s.throttledFlags != null && !s.throttledFlags.isEmpty())
                || Boolean.TRUE.equals(s.deploysFrozen);
    }

    static boolean failedActions(CostBudgetStatus s) {
        return s.crossedThresholds != null
                && s.crossedThresholds.stream()
                        .anyMatch(c -> c.actions.stream().anyMatch(a -> ActionResult.Failed.is(a.result)));
    }

    /** 10 s doubling per consecutive failing reconcile, at most the evaluation interval. */
    Duration backoff(CostBudget budget) {
        int failures = backoffs.merge(
                budget.getMetadata().getUid() == null
                        ? ""
                        : budget.getMetadata().getUid(),
                1,
                Integer::sum);
        Duration d = Duration.ofSeconds(10L << Math.min(6, failures - 1));
        return d.compareTo(interval) > 0 ? interval : d;
    }

    private final Map<String, Integer> backoffs = new ConcurrentHashMap<>();

    /** Lifts the budget's freeze (a deleted budget's status says nothing any more). */
    void thaw(CostBudget budget) {
        freezes.thaw(
                budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName());
    }

    /** Restores every flag the budget throttled and lifts its freeze; false when a flag could not be restored yet. */
    boolean undoAll(CostBudget budget) {
        String ns = budget.getMetadata().getNamespace();
        String name = budget.getMetadata().getName();
        freezes.thaw(ns + "/" + name);
        if (budget.getStatus() != null && budget.getStatus().throttledFlags != null) {
            for (ThrottledFlag t : budget.getStatus().throttledFlags) {
                try {
                    restore(ns, t);
                    LOG.info(
                            "budget {}/{} deleted: restored {} {} flag {} to {}",
                            ns,
                            name,
                            t.kind,
                            t.name,
                            t.flagKey,
                            t.previousVariant);
                } catch (FlagException | com.fasterxml.jackson.core.JsonProcessingException e) {
                    LOG.warn(
                            "budget {}/{} deleted, but restoring a flag failed, retrying: {}",
                            ns,
                            name,
                            e.getMessage());
                    return false;
                }
            }
        }
        return true;
    }
}

package io.costguard.admission;

import io.costguard.api.BudgetAction;
import io.costguard.api.CostBudget;
import io.costguard.api.PerfBaseline;
import io.costguard.budget.BudgetFreeze;
import io.costguard.budget.BudgetPlan;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.CompactItemStore;
import io.costguard.kube.LeanObjects;
import io.costguard.kube.NamespaceTrust;
import io.costguard.kube.ObjectKeys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the webhook's picture of the cluster on every replica, not only the leader: namespace labels (through
 * {@link NamespaceTrust}'s informer), the workloads {@code /scale} requests scale ({@link WorkloadCache}) and, from
 * CostBudgets' status, the frozen scopes and where each budget stands.
 * Status is what the leader wrote after acting, so every replica enforces the same freeze. The informers are started,
 * not awaited: until they have listed everything, {@link #loading()} says so and the freeze denies with a retry.
 */
public final class ClusterFeed implements ClusterState, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFeed.class);

    private final NamespaceTrust namespaces;
    private final FreezeRegistry freezes;
    private final BudgetIndex budgets = new BudgetIndex();
    private final BudgetSpecValidator validator;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final WorkloadCache workloads;

    public ClusterFeed(
            KubernetesClient client,
            NamespaceTrust namespaces,
            FreezeRegistry freezes,
            BudgetSpecValidator validator,
            Set<String> watchNamespaces,
            Workloads checked) {
        this.namespaces = namespaces;
        this.freezes = freezes;
        this.validator = validator;
        this.workloads = new WorkloadCache(client, checked, watchNamespaces);
        ResourceEventHandler<CostBudget> budgetEvents = events(this::observe, b -> forget(id(b)));
        ResourceEventHandler<PerfBaseline> baselineEvents = events(this::observe, b -> freezes.thaw(perfKey(b)));
        // started, not waited for: the webhook serves from the first second and says what it has not read yet
        if (watchNamespaces.isEmpty()) {
            start(
                    client.resources(CostBudget.class).inAnyNamespace().runnableInformer(0),
                    budgetEvents,
                    CostBudget::new);
            start(
                    client.resources(PerfBaseline.class).inAnyNamespace().runnableInformer(0),
                    baselineEvents,
                    PerfBaseline::new);
        } else {
            for (String ns : watchNamespaces) {
                start(
                        client.resources(CostBudget.class).inNamespace(ns).runnableInformer(0),
                        budgetEvents,
                        CostBudget::new);
                start(
                        client.resources(PerfBaseline.class).inNamespace(ns).runnableInformer(0),
                        baselineEvents,
                        PerfBaseline::new);
            }
        }
    }

    /** An added or updated object is observed as it now is; a deleted one is forgotten. */
    private static <T> ResourceEventHandler<T> events(Consumer<T> observe, Consumer<T> forget) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T o) {
                observe.accept(o);
            }

            @Override
            public void onUpdate(T before, T after) {
                observe.accept(after);
            }

            @Override
            public void onDelete(T o, boolean unknownFinalState) {
                forget.accept(o);
            }
        };
    }

    /**
     * The feed reads the events, never the informer's cache: the cache keeps identities only (the controllers' caches
     * hold the same objects in full), and what a deletion or a relist hands back is an object with that identity.
     */
    private <T extends HasMetadata> void start(
            SharedIndexInformer<T> informer, ResourceEventHandler<T> handler, Supplier<T> fresh) {
        informer.itemStore(new CompactItemStore<>(LeanObjects.Identity::of, id -> id.rebuild(fresh)));
        informer.addEventHandler(handler);
        informers.add(informer);
        informer.start().whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn(
                        "cannot list {}: changes a freeze could forbid are denied with a retry until it can ({})",
                        informer.getApiTypeClass().getSimpleName(),
                        e.getMessage());
            }
        });
    }

    /** Until every CostBudget and PerfBaseline has been listed once, a scope not known to be frozen may be. */
    @Override
    public Optional<String> loading() {
        long waiting = informers.stream().filter(i -> !i.hasSynced()).count();
        return waiting == 0
                ? Optional.empty()
                : Optional.of("it is still reading the CostBudgets and PerfBaselines that freeze scopes");
    }

    private static String perfKey(PerfBaseline b) {
        return "PerfBaseline " + b.getMetadata().getNamespace() + "/"
                + b.getMetadata().getName();
    }

    /** A PerfBaseline freezes its workload (by its selector) or its namespace while its status says deploysFrozen. */
    void observe(PerfBaseline b) {
        String key = perfKey(b);
        var status = b.getStatus();
        if (status == null
                || !Boolean.TRUE.equals(status.deploysFrozen)
                || status.freezeSelector == null
                || "Invalid".equals(status.state)) {
            freezes.thaw(key);
            return;
        }
        String what = status.regressions == null || status.regressions.isEmpty()
                ? "a regression"
                : status.regressions.stream()
                        .map(r -> r.metric + " " + r.current + " vs baseline " + r.baseline)
                        .collect(java.util.stream.Collectors.joining(", "));
        freezes.freeze(
                key,
                new FreezeRegistry.FrozenScope(
                        Set.of(b.getMetadata().getNamespace()),
                        Map.copyOf(status.freezeSelector),
                        key + " (" + what + ")",
                        "the regression clears for spec.regression.consecutiveEvaluations evaluations, "
                                + "or Freeze is removed from the PerfBaseline's spec.onRegression"));
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaces.labels(namespace);
    }

    @Override
    public FreezeRegistry freezes() {
        return freezes;
    }

    @Override
    public BudgetIndex budgets() {
        return budgets;
    }

    @Override
    public ScaleTarget scaleTarget(Workloads.Kind kind, String namespace, String name) {
        return workloads.find(kind, namespace, name);
    }

    private static String id(CostBudget b) {
        return ObjectKeys.of(b.getMetadata().getNamespace(), b.getMetadata().getName());
    }

    void observe(CostBudget b) {
        String id = id(b);
        if (b.getSpec() == null) {
            forget(id);
            return;
        }
        BudgetSpecValidator.Result result =
                validator.validate(b.getSpec(), b.getMetadata().getNamespace(), true);
        if (!result.valid()) {
            forget(id);
            return;
        }
        BudgetPlan plan = result.plan();
        var status = b.getStatus();
        boolean known = status != null
                && status.state != null
                && !"Unknown".equals(status.state)
                && !"Invalid".equals(status.state);
        Integer freezeAt = null;
        if (!"DryRun".equals(b.getSpec().enforcement)) {
            for (BudgetPlan.Threshold t : plan.thresholds()) {
                if (t.actions().contains(BudgetAction.Freeze.name()) && (freezeAt == null || t.percent() < freezeAt)) {
                    freezeAt = t.percent();
                }
            }
        }
        budgets.put(new BudgetIndex.Budget(
                id,
                plan.scope().namespaces(),
                plan.scope().selector(),
                plan.amount(),
                plan.currency(),
                known ? status.usedPercent : null,
                freezeAt));
        if (status != null && Boolean.TRUE.equals(status.deploysFrozen)) {
            freezes.freeze(id, BudgetFreeze.scope(id, plan, status.used));
        } else {
            freezes.thaw(id);
        }
    }

    private void forget(String id) {
        budgets.remove(id);
        freezes.thaw(id);
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        workloads.close();
    }
}

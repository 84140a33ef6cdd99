package io.costguard.admission;

import io.costguard.api.BudgetAction;
import io.costguard.api.CostBudget;
import io.costguard.budget.BudgetPlan;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.NamespaceTrust;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the webhook's picture of the cluster on every replica, not only the leader: namespace labels (through
 * {@link NamespaceTrust}'s informer) and, from CostBudgets' status, the frozen scopes and where each budget stands.
 * Status is what the leader wrote after acting, so every replica enforces the same freeze.
 */
public final class ClusterFeed implements ClusterState, AutoCloseable {
  private final NamespaceTrust namespaces;
  private final FreezeRegistry freezes;
  private final BudgetIndex budgets = new BudgetIndex();
  private final BudgetSpecValidator validator;
  private final List<SharedIndexInformer<CostBudget>> informers = new ArrayList<>();

  public ClusterFeed(KubernetesClient client, NamespaceTrust namespaces, FreezeRegistry freezes, BudgetSpecValidator validator,
      Set<String> watchNamespaces) {
    this.namespaces = namespaces;
    this.freezes = freezes;
    this.validator = validator;
    ResourceEventHandler<CostBudget> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(CostBudget b) {
        observe(b);
      }

      @Override
      public void onUpdate(CostBudget before, CostBudget after) {
        observe(after);
      }

      @Override
      public void onDelete(CostBudget b, boolean unknownFinalState) {
        forget(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName());
      }
    };
    if (watchNamespaces.isEmpty()) {
      informers.add(client.resources(CostBudget.class).inAnyNamespace().inform(handler));
    } else {
      for (String ns : watchNamespaces) {
        informers.add(client.resources(CostBudget.class).inNamespace(ns).inform(handler));
      }
    }
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

  void observe(CostBudget b) {
    String id = b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
    if (b.getSpec() == null) {
      forget(id);
      return;
    }
    BudgetSpecValidator.Result result = validator.validate(b.getSpec(), b.getMetadata().getNamespace(), true);
    if (!result.valid()) {
      forget(id);
      return;
    }
    BudgetPlan plan = result.plan();
    var status = b.getStatus();
    boolean known = status != null && status.state != null && !"Unknown".equals(status.state) && !"Invalid".equals(status.state);
    Integer freezeAt = null;
    if (!"DryRun".equals(b.getSpec().enforcement)) {
      for (BudgetPlan.Threshold t : plan.thresholds()) {
        if (t.actions().contains(BudgetAction.Freeze.name()) && (freezeAt == null || t.percent() < freezeAt)) {
          freezeAt = t.percent();
        }
      }
    }
    budgets.put(new BudgetIndex.Budget(id, plan.scope().namespaces(), plan.scope().selector(), plan.amount(), plan.currency(),
        known ? status.usedPercent : null, freezeAt));
    if (status != null && Boolean.TRUE.equals(status.deploysFrozen)) {
      freezes.freeze(id, new FreezeRegistry.FrozenScope(plan.scope().namespaces(), plan.scope().selector(),
          "CostBudget " + id + " at " + (status.used == null ? "its Freeze threshold" : status.used)));
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
  }
}

package io.costguard.admission;

import io.costguard.freeze.FreezeRegistry;
import java.util.Map;

/** What the webhook knows of the cluster, all in memory: namespace labels, frozen scopes, budgets. */
public interface ClusterState {
  Map<String, String> namespaceLabels(String namespace);

  FreezeRegistry freezes();

  BudgetIndex budgets();
}

package io.costguard.budget;

import io.costguard.api.CostBudget;
import io.costguard.config.OperatorConfig;
import io.costguard.cost.CostCollector;
import io.costguard.flags.FlagSwitch;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.NamespaceTrust;
import io.costguard.kube.PackedItemStore;
import io.costguard.kube.ReconcileErrors;
import io.costguard.kube.UnreadableObjects;
import io.costguard.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;

/** The CostBudget controller's parts, built once by the composition root and handed to the reconciler. */
public final class BudgetWiring {
    private BudgetWiring() {}

    public static CostBudgetReconciler reconciler(
            OperatorConfig config,
            CostCollector collector,
            NamespaceTrust trust,
            EventRecorder events,
            OperatorMetrics metrics,
            Clock clock,
            FlagSwitch flags,
            FreezeRegistry freezes,
            KubernetesSerialization serialization) {
        BudgetInsights insights = new BudgetInsights(collector, events, metrics);
        return new CostBudgetReconciler(
                collector,
                trust,
                BudgetSpecValidator.from(config),
                new BudgetObserver(collector, insights),
                new BudgetEvaluator(),
                new BudgetNotices(events, metrics),
                new BudgetActuator(flags, freezes, config.evaluationInterval()),
                new BudgetReport(metrics),
                insights,
                metrics,
                new ReconcileErrors(events, clock),
                new UnreadableObjects(events, metrics, clock),
                new SettledBudgets(collector, trust, clock),
                new PackedItemStore<>(serialization, CostBudget.class, CostBudget::new),
                clock,
                config.evaluationInterval(),
                config.pricing().currency());
    }
}

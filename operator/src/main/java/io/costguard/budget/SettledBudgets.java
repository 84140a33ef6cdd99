package io.costguard.budget;

import io.costguard.api.CostBudget;
import io.costguard.cost.CostCollector;
import io.costguard.kube.NamespaceTrust;
import io.costguard.kube.ObjectKeys;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budgets a cost cycle need not evaluate again: their last evaluation ended with nothing in flight (no action being
 * applied or held, no throttle or freeze to keep in place, no failed action, history loaded) and saw the inputs a new
 * evaluation would see: the same object version (spec, annotations and status), the same cost data version, the same
 * quarter hour (period bounds and complete hours move no finer) and the same namespace trust. Within an hour the cost
 * read usually answers the same, so most cycles evaluate only what changed; every budget is evaluated again at each
 * quarter hour.
 */
final class SettledBudgets {
    private static final long QUARTER_HOUR = 900;

    /** What an evaluation depended on besides the ledger's content, which {@code dataVersion} stands for. */
    record Inputs(String resourceVersion, long dataVersion, long quarterHour, boolean trusted) {}

    private final CostCollector collector;
    private final NamespaceTrust trust;
    private final Clock clock;
    private final Map<String, Inputs> settled = new ConcurrentHashMap<>();

    SettledBudgets(CostCollector collector, NamespaceTrust trust, Clock clock) {
        this.collector = collector;
        this.trust = trust;
        this.clock = clock;
    }

    /** The inputs an evaluation of the budget would see now. */
    Inputs now(CostBudget budget) {
        return new Inputs(
                budget.getMetadata().getResourceVersion(),
                collector.dataVersion(),
                clock.instant().getEpochSecond() / QUARTER_HOUR,
                trust.trusted(budget.getMetadata().getNamespace()));
    }

    /** Whether the next cycle should evaluate the budget: it is not settled, or something it read has changed. */
    boolean due(CostBudget budget) {
        Inputs last = settled.get(id(budget));
        return last == null || budget.getMetadata().getResourceVersion() == null || !last.equals(now(budget));
    }

    /** The evaluation that began with {@code seen} ended with nothing in flight. */
    void settle(CostBudget budget, Inputs seen) {
        settled.put(id(budget), seen);
    }

    /** The evaluation left something to do or to watch: evaluate it every cycle until it settles. */
    void unsettle(CostBudget budget) {
        settled.remove(id(budget));
    }

    private static String id(CostBudget budget) {
        return ObjectKeys.of(
                budget.getMetadata().getNamespace(), budget.getMetadata().getName());
    }
}

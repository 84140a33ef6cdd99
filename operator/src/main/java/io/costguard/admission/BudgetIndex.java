package io.costguard.admission;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budgets the webhook knows, as their status says: scope, amount, how much is used and where the Freeze
 * threshold sits. Fed by an informer on every replica, so any replica can price a change without Prometheus.
 */
public final class BudgetIndex {
    /**
     * One budget. {@code usedPercent} is null while its data is missing or stale; {@code freezePercent} is the
     * lowest threshold with a Freeze action, or null.
     */
    public record Budget(
            String id,
            Set<String> namespaces,
            Map<String, String> selector,
            BigDecimal amount,
            String currency,
            Integer usedPercent,
            Integer freezePercent) {
        public Budget {
            namespaces = Set.copyOf(namespaces);
            selector = Map.copyOf(selector);
        }

        boolean covers(String namespace, Map<String, String> labels) {
            return namespaces.contains(namespace)
                    && selector.entrySet().stream().allMatch(s -> s.getValue().equals(labels.get(s.getKey())));
        }

        public boolean atFreeze() {
            return usedPercent != null && freezePercent != null && usedPercent >= freezePercent;
        }
    }

    private final Map<String, Budget> budgets = new ConcurrentHashMap<>();

    public void put(Budget b) {
        budgets.put(b.id(), b);
    }

    public void remove(String id) {
        budgets.remove(id);
    }

    public List<Budget> covering(String namespace, Map<String, String> labels) {
        if (budgets.isEmpty()) {
            return List.of();
        }
        return budgets.values().stream()
                .filter(b -> b.covers(namespace, labels))
                .sorted(java.util.Comparator.comparing(Budget::id))
                .toList();
    }
}

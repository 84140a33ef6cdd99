package io.costguard.cost;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which cost a budget counts: namespaces, and allocation-key values that must all match. */
public record Scope(Set<String> namespaces, Map<String, String> selector) {
    public Scope {
        namespaces = Set.copyOf(namespaces);
        selector = Map.copyOf(selector);
    }

    boolean matches(AllocationKey key, List<String> keyNames) {
        if (!namespaces.contains(key.namespace())) {
            return false;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            int i = keyNames.indexOf(e.getKey());
            if (i < 0 || !key.values().get(i).equals(e.getValue())) {
                return false;
            }
        }
        return true;
    }
}

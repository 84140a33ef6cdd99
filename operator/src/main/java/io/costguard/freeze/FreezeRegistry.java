package io.costguard.freeze;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scopes in which rollouts are frozen right now, by whoever froze them (a budget or a baseline).
 * Kept in memory for the admission webhook, which reads it on every review and never asks Prometheus.
 */
public final class FreezeRegistry {
    /**
     * A frozen scope: namespaces and the labels a pod template must carry to be in it (empty: every workload), who
     * froze it and why, and how the freeze lifts (for the denial's fix).
     */
    public record FrozenScope(Set<String> namespaces, Map<String, String> selector, String reason, String release) {}

    private final Map<String, FrozenScope> frozen = new ConcurrentHashMap<>();

    public void freeze(String owner, FrozenScope scope) {
        frozen.put(owner, scope);
    }

    public void thaw(String owner) {
        frozen.remove(owner);
    }

    public Map<String, FrozenScope> snapshot() {
        return Map.copyOf(frozen);
    }

    /** Whether any frozen scope includes this namespace, whatever its selector. */
    public boolean covers(String namespace) {
        return frozen.values().stream().anyMatch(s -> s.namespaces().contains(namespace));
    }

    /** Who freezes a pod template with these labels in this namespace, if anyone. */
    public java.util.Optional<Map.Entry<String, FrozenScope>> frozenBy(
            String namespace, Map<String, String> podLabels) {
        return frozen.entrySet().stream()
                .filter(e -> e.getValue().namespaces().contains(namespace)
                        && e.getValue().selector().entrySet().stream()
                                .allMatch(s -> s.getValue().equals(podLabels.get(s.getKey()))))
                .findFirst();
    }
}

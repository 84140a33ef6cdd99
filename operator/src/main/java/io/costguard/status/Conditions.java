package io.costguard.status;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Sets conditions the Kubernetes way: lastTransitionTime moves only when status changes. */
public final class Conditions {
    private Conditions() {}

    /** Returns a copy of {@code conditions} with {@code type} set to True or False; other types are kept in place. */
    public static List<Condition> with(
            List<Condition> conditions,
            ConditionType type,
            boolean status,
            ConditionReason reason,
            String message,
            Long generation,
            Instant now) {
        return with(conditions, type.name(), status ? "True" : "False", reason.name(), message, generation, now);
    }

    /** As {@link #with(List, ConditionType, boolean, ConditionReason, String, Long, Instant)} with status Unknown. */
    public static List<Condition> unknown(
            List<Condition> conditions,
            ConditionType type,
            ConditionReason reason,
            String message,
            Long generation,
            Instant now) {
        return with(conditions, type.name(), "Unknown", reason.name(), message, generation, now);
    }

    /**
     * Ready False with reason DataUnavailable: the resource acts on nothing until its data is back, and budgets and
     * baselines say so alike; {@code message} says which data and what waits for it.
     */
    public static List<Condition> notReadyWithoutData(
            List<Condition> conditions, String message, Long generation, Instant now) {
        return with(conditions, ConditionType.Ready, false, ConditionReason.DataUnavailable, message, generation, now);
    }

    private static List<Condition> with(
            List<Condition> conditions,
            String type,
            String status,
            String reason,
            String message,
            Long generation,
            Instant now) {
        List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
        Condition existing =
                out.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = existing != null && Objects.equals(existing.getStatus(), status)
                ? existing.getLastTransitionTime()
                : now.toString();
        Condition next = new Condition(since, message, generation, reason, status, type);
        if (existing == null) {
            out.add(next);
        } else {
            out.set(out.indexOf(existing), next);
        }
        return out;
    }

    public static Condition find(List<Condition> conditions, ConditionType type) {
        return find(conditions, type.name());
    }

    public static Condition find(List<Condition> conditions, String type) {
        return conditions == null
                ? null
                : conditions.stream()
                        .filter(c -> type.equals(c.getType()))
                        .findFirst()
                        .orElse(null);
    }
}

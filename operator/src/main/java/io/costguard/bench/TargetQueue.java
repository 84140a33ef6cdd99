package io.costguard.bench;

import io.costguard.api.BenchPhase;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run per target at a time, first come first served. Holders are kept in memory (so two reconciles cannot start
 * two runs at once) and rebuilt from the runs' phases after a restart: whatever other run is Running or Collecting
 * against the target holds it, and earlier Pending runs go first.
 */
public final class TargetQueue {
    /** Another run of the same target, as the cache shows it; {@code id} is namespace/name, as for the claiming run. */
    public record Other(String id, String phase, String created, boolean waitingForTarget) {}

    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private final List<Runnable> onRelease = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Called after a target is released, so waiting runs are looked at at once rather than on their next retry. */
    public void onRelease(Runnable listener) {
        onRelease.add(listener);
    }

    /**
     * Takes the target for {@code run} and returns empty, or returns the run it must wait for.
     *
     * @param run the claiming run's namespace/name
     * @param created the run's creation timestamp, for the order among waiting runs (then the id)
     */
    public synchronized Optional<String> claim(String target, String run, String created, List<Other> others) {
        String holder = holders.get(target);
        if (holder != null && !holder.equals(run)) {
            return Optional.of(holder);
        }
        Optional<Other> active = others.stream()
                .filter(o -> BenchPhase.Running.is(o.phase()) || BenchPhase.Collecting.is(o.phase()))
                .findFirst();
        if (active.isPresent()) {
            return Optional.of(active.get().id());
        }
        Comparator<Other> order = Comparator.comparing(Other::created).thenComparing(Other::id);
        Other self = new Other(run, null, created, true);
        Optional<Other> earlier = others.stream()
                .filter(o -> o.waitingForTarget() && order.compare(o, self) < 0)
                .min(order);
        if (earlier.isPresent()) {
            return Optional.of(earlier.get().id());
        }
        holders.put(target, run);
        return Optional.empty();
    }

    /** Marks a run that is already going (after a restart) as the holder. */
    public synchronized void hold(String target, String run) {
        holders.putIfAbsent(target, run);
    }

    public void release(String target, String run) {
        if (holders.remove(target, run)) {
            onRelease.forEach(Runnable::run);
        }
    }

    /** Releases whatever target the run holds (on deletion, when its spec may no longer say which). */
    public void releaseAll(String run) {
        if (holders.values().removeIf(run::equals)) {
            onRelease.forEach(Runnable::run);
        }
    }
}

package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class TargetQueueTest {
    static final String T = "ns/Deployment/api";

    @Test
    void theFirstClaimHoldsUntilReleased() {
        TargetQueue q = new TargetQueue();
        AtomicInteger released = new AtomicInteger();
        q.onRelease(released::incrementAndGet);
        assertThat(q.claim(T, "ns/a", "2026-11-20T10:00:00Z", List.of())).isEmpty();
        assertThat(q.claim(T, "ns/a", "2026-11-20T10:00:00Z", List.of()))
                .as("the holder again")
                .isEmpty();
        assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", List.of())).contains("ns/a");
        assertThat(q.claim("ns/Deployment/other", "ns/b", "2026-11-20T09:00:00Z", List.of()))
                .as("another target")
                .isEmpty();
        q.release(T, "ns/b");
        assertThat(released).as("not the holder: nothing released").hasValue(0);
        q.release(T, "ns/a");
        assertThat(released).hasValue(1);
        assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", List.of())).isEmpty();
    }

    @Test
    void afterARestartRunsInFlightAndEarlierWaitersGoFirst() {
        TargetQueue q = new TargetQueue();
        List<TargetQueue.Other> running =
                List.of(new TargetQueue.Other("ns/a", "Collecting", "2026-11-20T08:00:00Z", false));
        assertThat(q.claim(T, "ns/c", "2026-11-20T10:00:00Z", running)).contains("ns/a");
        List<TargetQueue.Other> waiting = List.of(
                new TargetQueue.Other("ns/b", "Pending", "2026-11-20T09:00:00Z", true),
                new TargetQueue.Other("ns/z", "Pending", "2026-11-20T09:00:00Z", false),
                new TargetQueue.Other("ns/d", "Pending", "2026-11-20T11:00:00Z", true));
        assertThat(q.claim(T, "ns/c", "2026-11-20T10:00:00Z", waiting))
                .as("b waits for the target and came first")
                .contains("ns/b");
        assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", List.of(waiting.get(2))))
                .isEmpty();
    }

    @Test
    void sameCreationTimeIsOrderedByNameSeenFromEitherSide() {
        String t = "2026-11-20T09:00:00Z";
        assertThat(new TargetQueue().claim(T, "ns/b", t, List.of(new TargetQueue.Other("ns/a", null, t, true))))
                .contains("ns/a");
        assertThat(new TargetQueue().claim(T, "ns/a", t, List.of(new TargetQueue.Other("ns/b", null, t, true))))
                .isEmpty();
    }

    /** Runs that all wait for a free target: each asks with the others as it sees them, and exactly one, the first, may go. */
    @Property
    void amongWaitingRunsExactlyTheFirstMayStart(
            @ForAll @Size(min = 1, max = 6) @UniqueElements
                    List<@StringLength(min = 1, max = 4) @AlphaChars String> names,
            @ForAll @Size(min = 6, max = 6) List<@IntRange(min = 0, max = 2) Integer> seconds) {
        List<TargetQueue.Other> runs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            runs.add(new TargetQueue.Other(
                    "team-a/" + names.get(i),
                    i % 2 == 0 ? null : "Pending",
                    "2026-11-20T09:00:0" + seconds.get(i) + "Z",
                    true));
        }
        List<String> mayStart = new ArrayList<>();
        for (TargetQueue.Other self : runs) {
            List<TargetQueue.Other> others =
                    runs.stream().filter(o -> o != self).toList();
            if (new TargetQueue().claim(T, self.id(), self.created(), others).isEmpty()) {
                mayStart.add(self.id());
            }
        }
        TargetQueue.Other first = runs.stream()
                .min(Comparator.comparing(TargetQueue.Other::created).thenComparing(TargetQueue.Other::id))
                .orElseThrow();
        assertThat(mayStart).containsExactly(first.id());
    }

    @Test
    void releaseAllFreesWhateverTheRunHeld() {
        TargetQueue q = new TargetQueue();
        AtomicInteger released = new AtomicInteger();
        q.onRelease(released::incrementAndGet);
        q.hold(T, "ns/a");
        q.releaseAll("ns/a");
        assertThat(released).hasValue(1);
        assertThat(q.claim(T, "ns/b", "x", List.of())).isEmpty();
    }
}

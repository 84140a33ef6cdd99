package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TargetQueueTest {
  static final String T = "ns/Deployment/api";

  @Test
  void theFirstClaimHoldsUntilReleased() {
    TargetQueue q = new TargetQueue();
    AtomicInteger released = new AtomicInteger();
    q.onRelease(released::incrementAndGet);
    assertThat(q.claim(T, "ns/a", "2026-11-20T10:00:00Z", List.of())).isEmpty();
    assertThat(q.claim(T, "ns/a", "2026-11-20T10:00:00Z", List.of())).as("the holder again").isEmpty();
    assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", List.of())).contains("ns/a");
    assertThat(q.claim("ns/Deployment/other", "ns/b", "2026-11-20T09:00:00Z", List.of())).as("another target").isEmpty();
    q.release(T, "ns/b");
    assertThat(released).as("not the holder: nothing released").hasValue(0);
    q.release(T, "ns/a");
    assertThat(released).hasValue(1);
    assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", List.of())).isEmpty();
  }

  @Test
  void afterARestartRunsInFlightAndEarlierWaitersGoFirst() {
    TargetQueue q = new TargetQueue();
    List<TargetQueue.Other> running = List.of(new TargetQueue.Other("a", "Collecting", "2026-11-20T08:00:00Z", false));
    assertThat(q.claim(T, "ns/c", "2026-11-20T10:00:00Z", running)).contains("a");
    List<TargetQueue.Other> waiting = List.of(
        new TargetQueue.Other("b", "Pending", "2026-11-20T09:00:00Z", true),
        new TargetQueue.Other("z", "Pending", "2026-11-20T09:00:00Z", false),
        new TargetQueue.Other("d", "Pending", "2026-11-20T11:00:00Z", true));
    assertThat(q.claim(T, "ns/c", "2026-11-20T10:00:00Z", waiting)).as("b waits for the target and came first").contains("b");
    assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", List.of(waiting.get(2)))).isEmpty();
  }

  @Test
  void sameCreationTimeIsOrderedByName() {
    TargetQueue q = new TargetQueue();
    List<TargetQueue.Other> others = List.of(new TargetQueue.Other("a", null, "2026-11-20T09:00:00Z", true));
    assertThat(q.claim(T, "ns/b", "2026-11-20T09:00:00Z", others)).contains("a");
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

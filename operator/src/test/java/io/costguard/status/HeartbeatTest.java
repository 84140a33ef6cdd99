package io.costguard.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HeartbeatTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    @Property
    void aStampIsRefreshedBetweenHalfThePeriodAndThePeriodTheSameForTheSameObject(
            @ForAll String uid, @ForAll @LongRange(min = 2, max = 86_400) long seconds) {
        Heartbeat h = new Heartbeat(Duration.ofSeconds(seconds));
        Duration p = h.periodFor(uid);
        assertThat(p).isBetween(Duration.ofSeconds(seconds).dividedBy(2), Duration.ofSeconds(seconds));
        assertThat(new Heartbeat(Duration.ofSeconds(seconds)).periodFor(uid)).isEqualTo(p);
        assertThat(h.due(T0, T0.plus(p).minusMillis(1), uid)).isFalse();
        assertThat(h.due(T0, T0.plus(p), uid)).isTrue();
        assertThat(h.due(T0, T0.plus(Duration.ofSeconds(seconds)), uid)).isTrue();
        assertThat(h.due(null, T0, uid)).isTrue();
    }

    @Test
    void objectsCreatedTogetherRefreshAtDifferentAges() {
        Heartbeat h = Heartbeat.forInterval(Duration.ofMinutes(1));
        Set<Long> minutes = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            minutes.add(
                    h.periodFor(UUID.nameUUIDFromBytes(("pb-" + i).getBytes()).toString())
                            .toMinutes());
        }
        // 1,000 objects spread over the 31 minute marks from 30 to 60, not all in one cycle
        assertThat(minutes).hasSizeGreaterThan(25).allSatisfy(m -> assertThat(m).isBetween(30L, 60L));
    }

    @Test
    void anEvaluationIntervalLongerThanTheDefaultIsTheHeartbeat() {
        assertThat(Heartbeat.forInterval(Duration.ofSeconds(60)).every()).isEqualTo(Heartbeat.DEFAULT);
        assertThat(Heartbeat.forInterval(Duration.ofHours(3)).every()).isEqualTo(Duration.ofHours(3));
        assertThatThrownBy(() -> new Heartbeat(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}

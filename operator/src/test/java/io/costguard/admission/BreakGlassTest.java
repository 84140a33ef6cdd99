package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BreakGlassTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static final Duration MAX = Duration.ofHours(1);

    static JsonNode object(String reason, String until) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode a = o.putObject("metadata").putObject("annotations");
        if (reason != null) {
            a.put(BreakGlass.REASON, reason);
        }
        if (until != null) {
            a.put(BreakGlass.UNTIL, until);
        }
        return o;
    }

    @Property
    void validExactlyWhenUntilIsInTheFutureAndWithinTheMaximum(
            @ForAll @LongRange(min = -7200, max = 7200) long offsetSeconds) {
        BreakGlass.Status s =
                BreakGlass.of(object("INC-1", NOW.plusSeconds(offsetSeconds).toString()), NOW, MAX);
        assertThat(s.present()).isTrue();
        assertThat(s.valid()).isEqualTo(offsetSeconds > 0 && offsetSeconds <= 3600);
        if (!s.valid()) {
            assertThat(s.problem()).contains(offsetSeconds <= 0 ? "expired" : "more than 1h away");
        }
    }

    @Test
    void boundaries() {
        assertThat(BreakGlass.of(object("x", NOW.toString()), NOW, MAX).valid()).isFalse();
        assertThat(BreakGlass.of(object("x", NOW.plus(MAX).toString()), NOW, MAX)
                        .valid())
                .isTrue();
        assertThat(BreakGlass.of(object("x", "2026-11-23T11:30:00+01:00"), NOW, MAX)
                        .valid())
                .isTrue();
        assertThat(BreakGlass.of(object("x", "tomorrow"), NOW, MAX).problem()).contains("is not an RFC 3339 time");
        assertThat(BreakGlass.of(object("  ", NOW.plusSeconds(60).toString()), NOW, MAX)
                        .problem())
                .contains("needs a reason");
        assertThat(BreakGlass.of(object("x", null), NOW, MAX).problem()).contains("break-glass-until is missing");
        assertThat(BreakGlass.of(object(null, null), NOW, MAX).present()).isFalse();
        assertThat(BreakGlass.of(null, NOW, MAX).present()).isFalse();
    }
}

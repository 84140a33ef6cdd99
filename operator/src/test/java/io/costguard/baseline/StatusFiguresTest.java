package io.costguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.PerfMeasurement;
import io.costguard.baseline.StatusFigures.Figure;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/** Which moves of a measured figure are written to status and which wait for the heartbeat. */
class StatusFiguresTest {

    @Test
    void smallMovesKeepWhatStatusHoldsBigOnesAndUnreadableOnesAreWritten() {
        PerfMeasurement written = measurement("231ms", "0.0011", "96.4", "0.064");
        PerfMeasurement drifted = measurement("240ms", "0.0014", "99.9", "0.0661");

        PerfMeasurement carried = StatusFigures.carried(written, drifted);

        assertThat(carried.latencyP95).as("3.9 %% of 240ms").isEqualTo("231ms");
        assertThat(carried.errorRatio).as("under the 0.0005 floor").isEqualTo("0.0011");
        assertThat(carried.throughput).as("3.5 %%").isEqualTo("96.4");
        assertThat(carried.costPer1kRequests).as("3.2 %%").isEqualTo("0.064");

        PerfMeasurement moved = measurement("1s12ms", "0.0021", "80", "bad");
        PerfMeasurement fresh = StatusFigures.carried(written, moved);
        assertThat(fresh.latencyP95).isEqualTo("1s12ms");
        assertThat(fresh.errorRatio).as("0.1 percentage point").isEqualTo("0.0021");
        assertThat(fresh.throughput).isEqualTo("80");
        assertThat(fresh.costPer1kRequests).as("what cannot be read is written").isEqualTo("bad");
        assertThat(moved.latencyP95).as("next is left as it is").isEqualTo("1s12ms");
    }

    @Test
    void aFigureThatAppearsOrGoesIsWritten() {
        PerfMeasurement withCost = measurement("200ms", "0", "10", "0.5");
        PerfMeasurement noTraffic = measurement("200ms", "0", "10", null);

        assertThat(StatusFigures.carried(withCost, noTraffic).costPer1kRequests).isNull();
        assertThat(StatusFigures.carried(noTraffic, withCost).costPer1kRequests).isEqualTo("0.5");
        assertThat(StatusFigures.carried(null, withCost)).isSameAs(withCost);
        assertThat(StatusFigures.carried(withCost, null)).isNull();
    }

    @Property
    void closeIsSymmetricAndReflexiveAndAMoveBeyondTheBandAndFloorIsNeverClose(
            @ForAll @DoubleRange(min = 0, max = 1e6) double a,
            @ForAll @DoubleRange(min = 0, max = 1e6) double b,
            @ForAll Figure figure) {
        String x = text(a, figure);
        String y = text(b, figure);
        assertThat(StatusFigures.close(x, y, figure)).isEqualTo(StatusFigures.close(y, x, figure));
        assertThat(StatusFigures.close(x, x, figure)).isTrue();
        double ra = figure.read(x);
        double rb = figure.read(y);
        if (Math.abs(ra - rb) > Math.max(StatusFigures.RELATIVE * Math.max(ra, rb), figure.floor)) {
            assertThat(StatusFigures.close(x, y, figure)).isFalse();
        } else {
            assertThat(StatusFigures.close(x, y, figure)).isTrue();
        }
    }

    @Property
    void carryingNeverLetsAWrittenFigureDriftMoreThanTheBandFromTheTruth(
            @ForAll @DoubleRange(min = 1, max = 1000) double start,
            @ForAll @DoubleRange(min = 0.9, max = 1.1) double step) {
        // a throughput moving by the same factor every cycle: what status shows stays within the band of the truth
        PerfMeasurement status = measurement(null, null, PerfFormat.number(start), null);
        double truth = start;
        for (int cycle = 0; cycle < 50; cycle++) {
            truth *= step;
            status = StatusFigures.carried(status, measurement(null, null, PerfFormat.number(truth), null));
            double shown = Double.parseDouble(status.throughput);
            assertThat(Math.abs(shown - truth))
                    .isLessThanOrEqualTo(
                            Math.max(StatusFigures.RELATIVE * Math.max(shown, truth), 0.05) + 1e-3 * truth);
        }
    }

    private static String text(double v, Figure figure) {
        return figure == Figure.LATENCY_P95 ? PerfFormat.latency(v / 1000) : PerfFormat.number(v);
    }

    private static PerfMeasurement measurement(String latency, String errors, String throughput, String cost) {
        PerfMeasurement m = new PerfMeasurement();
        m.latencyP95 = latency;
        m.errorRatio = errors;
        m.throughput = throughput;
        m.costPer1kRequests = cost;
        return m;
    }
}

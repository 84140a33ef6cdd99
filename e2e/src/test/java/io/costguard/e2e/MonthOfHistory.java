package io.costguard.e2e;

import io.costguard.demo.OpenMetricsHistory;
import io.costguard.demo.PrometheusProcess;
import io.costguard.demo.SyntheticCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * A real Prometheus holding a month's synthetic history until the operator's {@code now}, and what tenant alpha spent of
 * it. In the first 12 hours of a month there is too little spend to set budgets from (the next hour alone could carry
 * a budget past 100 % during the test), so the history and the operator's clock move to the same time of day on the
 * last day of the month before: {@code clockOffset} (negative then, else zero) goes into the operator's
 * COSTGUARD_TEST_CLOCK_OFFSET, and {@link #now()} is the operator's time for anything it compares with its clock.
 * {@code -Dcostguard.e2e.earlyInMonth=true} takes that path on any day, to check it.
 */
record MonthOfHistory(PrometheusProcess prometheus, double alphaSpent, Duration clockOffset) {

    /** Started; the caller closes the Prometheus. {@code alphaSpent} covers whole hours up to now, at the default prices. */
    static MonthOfHistory start(Path work, Instant now) throws Exception {
        // only a caller on the real clock is moved: one that set its own time (e.g. the end of a month) keeps it
        boolean realClock = Duration.between(now, Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0;
        Duration offset = realClock ? outOfMonthStart(now) : Duration.ZERO;
        now = now.plus(offset);
        Instant monthStart = ZonedDateTime.ofInstant(now, ZoneOffset.UTC)
                .withDayOfMonth(1)
                .toLocalDate()
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        Instant hour = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600);
        SyntheticCluster cluster =
                SyntheticCluster.small(monthStart.minus(Duration.ofDays(2)), hour.plus(Duration.ofHours(3)), 11);
        PrometheusProcess prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
        prometheus.backfill(new OpenMetricsHistory(cluster, Duration.ofMinutes(5))
                .writeDaily(Files.createDirectories(work.resolve("history"))));
        prometheus.start();
        return new MonthOfHistory(prometheus, cluster.spentBy("alpha", monthStart, hour, 0.031611, 0.004237), offset);
    }

    /**
     * The clock offset that moves {@code now} out of the first 12 hours of its month (to the same time of day on the last
     * day of the month before), zero at any other time unless {@code -Dcostguard.e2e.earlyInMonth=true}.
     */
    static Duration outOfMonthStart(Instant now) {
        ZonedDateTime at = ZonedDateTime.ofInstant(now, ZoneOffset.UTC);
        boolean early = !now.isAfter(at.toLocalDate()
                .withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .plus(Duration.ofHours(13)));
        return early || Boolean.getBoolean("costguard.e2e.earlyInMonth")
                ? Duration.ofDays(-at.getDayOfMonth())
                : Duration.ZERO;
    }

    /** The operator's time now. */
    Instant now() {
        return Instant.now().plus(clockOffset);
    }

    /** The operator's environment entry for the offset, none when there is none. */
    java.util.Map<String, String> clockEnv() {
        return clockEnv(clockOffset);
    }

    /** The operator's environment entry for a clock offset back in time, none when there is none. */
    static java.util.Map<String, String> clockEnv(Duration offset) {
        return offset.isZero()
                ? java.util.Map.of()
                : java.util.Map.of(
                        "COSTGUARD_TEST_CLOCK_OFFSET", "-" + offset.abs().toMillis() + "ms");
    }

    static CustomResourceDefinition costBudgetCrd() throws IOException {
        return Serialization.unmarshal(
                Files.readString(Path.of(System.getProperty("costguard.repo", ".."))
                        .resolve("crds/costbudgets.costguard.io-v1.yml")),
                CustomResourceDefinition.class);
    }
}

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

/** A real Prometheus holding this month's synthetic history until {@code now}, and what tenant alpha spent of it. */
record MonthOfHistory(PrometheusProcess prometheus, double alphaSpent) {

  /** Started; the caller closes the Prometheus. {@code alphaSpent} covers whole hours up to now, at the default prices. */
  static MonthOfHistory start(Path work, Instant now) throws Exception {
    Instant monthStart = ZonedDateTime.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant hour = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), 3600) * 3600);
    // budgets are set at a share of the spend so far: with only a few hours of it, the next hour alone could carry
    // a budget past 100 % during the test
    org.junit.jupiter.api.Assumptions.assumeTrue(!hour.isBefore(monthStart.plus(Duration.ofHours(12))),
        "the month's first 12 hours have too little spend to set budgets from");
    SyntheticCluster cluster = SyntheticCluster.small(monthStart.minus(Duration.ofDays(2)), hour.plus(Duration.ofHours(3)), 11);
    PrometheusProcess prometheus = new PrometheusProcess(work, Duration.ofMinutes(10));
    prometheus.backfill(new OpenMetricsHistory(cluster, Duration.ofMinutes(5)).writeDaily(Files.createDirectories(work.resolve("history"))));
    prometheus.start();
    return new MonthOfHistory(prometheus, cluster.spentBy("alpha", monthStart, hour, 0.031611, 0.004237));
  }

  static CustomResourceDefinition costBudgetCrd() throws IOException {
    return Serialization.unmarshal(Files.readString(
        Path.of(System.getProperty("costguard.repo", "..")).resolve("crds/costbudgets.costguard.io-v1.yml")), CustomResourceDefinition.class);
  }
}

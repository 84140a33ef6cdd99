package io.costguard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.OpaClient;
import io.costguard.baseline.PerfMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What /metrics shows on a standby, on the leader, and for features that are not configured. */
class LeadershipTest {
    final PrometheusRegistry served = new PrometheusRegistry();
    final PrometheusRegistry leaderOnly = new PrometheusRegistry();
    final Leadership leadership = new Leadership(served, leaderOnly);
    final OperatorMetrics metrics = new OperatorMetrics(leaderOnly);
    final PerfMetrics perf = new PerfMetrics(leaderOnly);

    static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString();
    }

    @Test
    void aStandbyExportsItIsNotTheLeaderAndNoneOfTheLeadersSignals() throws IOException {
        metrics.cycle(Duration.ofMillis(40), false, 3, 100, 0);
        metrics.budget("team-a", "monthly", "USD", 12.0, 100, "Ok", 20.0);
        perf.cycle(2, Duration.ofMillis(5), 1);

        String standby = scrape(served);
        assertThat(standby)
                .contains("costguard_leader 0.0")
                .doesNotContain("costguard_cost_data_available")
                .doesNotContain("costguard_cost_cycle")
                .doesNotContain("costguard_budget_")
                .doesNotContain("costguard_perf_cycle")
                .doesNotContain("costguard_prometheus_query");

        leadership.leading(true);
        metrics.cycle(Duration.ofMillis(40), true, 3, 100, 0);
        String leader = scrape(served);
        assertThat(leader)
                .contains("costguard_leader 1.0")
                .contains("costguard_cost_data_available 1.0")
                .contains("costguard_budget_spent{currency=\"USD\",name=\"monthly\",namespace=\"team-a\"} 12.0")
                .contains("costguard_perf_cycle_targets 1.0");
        assertThat(leader.lines().filter(l -> l.startsWith("# TYPE costguard_cost_data_available")))
                .hasSize(1);

        leadership.leading(false);
        assertThat(scrape(served)).contains("costguard_leader 0.0").doesNotContain("costguard_cost_data_available");
    }

    @Test
    void nothingIsExportedForAWebhookOrOpaThatIsNotConfiguredOrNotYetUsed() throws IOException {
        AdmissionMetrics admission = new AdmissionMetrics(served);
        assertThat(scrape(served))
                .doesNotContain("costguard_opa")
                .doesNotContain("costguard_webhook_certificate_expiry")
                .doesNotContain("costguard_admission_duration")
                .doesNotContain("costguard_admission_malformed");

        admission.certificateExpiry(Instant.ofEpochSecond(1_800_000_000L));
        admission.opa(Duration.ofMillis(3), new OpaClient.Unavailable("timeout", "slow"));
        admission.duration(1_000_000);
        admission.malformed();
        assertThat(scrape(served))
                .contains("costguard_webhook_certificate_expiry_timestamp_seconds 1.8E9")
                .contains("costguard_opa_up 0.0")
                .contains("costguard_opa_errors_total{reason=\"timeout\"} 1")
                .contains("costguard_admission_duration_seconds_count 1")
                .contains("costguard_admission_malformed_total 1");
        admission.opa(Duration.ofMillis(3), new OpaClient.NoObjection());
        assertThat(scrape(served)).contains("costguard_opa_up 1.0");
    }
}

package io.costguard.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecommendationGaugesTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RecommendationGauges gauges = new RecommendationGauges();

    RecommendationGaugesTest() {
        registry.register(gauges);
    }

    private String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachEvaluationReplacesThePerfBaselinesSeriesWhole() throws IOException {
        gauges.set(
                "team-a",
                "api",
                List.of(
                        new RecommendationGauges.Recommended("app", 0.65, 5.0e8),
                        new RecommendationGauges.Recommended("sidecar", Double.NaN, 1.0e8)));
        gauges.set("team-b", "web", List.of(new RecommendationGauges.Recommended("app", 2, 1.0e9)));
        assertThat(scrape())
                .contains("costguard_rightsizing_recommended{container=\"app\",name=\"api\",namespace=\"team-a\","
                        + "resource=\"cpu\"} 0.65")
                .contains("costguard_rightsizing_recommended{container=\"sidecar\",name=\"api\",namespace=\"team-a\","
                        + "resource=\"memory\"} 1.0E8")
                .as("no CPU recommendation for the sidecar (e.g. an HPA scales on CPU): no series")
                .doesNotContain("container=\"sidecar\",name=\"api\",namespace=\"team-a\",resource=\"cpu\"");

        // the sidecar left the workload
        gauges.set("team-a", "api", List.of(new RecommendationGauges.Recommended("app", 0.7, 5.0e8)));
        assertThat(scrape())
                .doesNotContain("sidecar")
                .contains("container=\"app\",name=\"api\",namespace=\"team-a\",resource=\"cpu\"} 0.7")
                .contains("name=\"web\",namespace=\"team-b\"");

        gauges.set("team-a", "api", List.of());
        gauges.remove("team-b", "web");
        assertThat(scrape()).doesNotContain("costguard_rightsizing_recommended{");
    }
}

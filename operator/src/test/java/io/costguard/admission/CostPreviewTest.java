package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.config.OperatorConfig.Pricing;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CostPreviewTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final Workloads workloads = new Workloads(Workloads.DEFAULT);
    final CostPreview preview = new CostPreview(workloads, new Pricing("USD", 0.04, 0.005, 2.0), Duration.ofHours(1));

    static ObjectNode deployment(int replicas, String cpu, String memory, boolean limitsOnly) {
        ObjectNode d = JSON.createObjectNode();
        d.putObject("spec").put("replicas", replicas);
        ObjectNode c = ((ObjectNode) d.get("spec"))
                .putObject("template")
                .putObject("spec")
                .putArray("containers")
                .addObject();
        ObjectNode res = c.putObject("resources").putObject(limitsOnly ? "limits" : "requests");
        res.put("cpu", cpu).put("memory", memory);
        return d;
    }

    @Property
    void requestsTimesReplicasTimesPricesTimes730(
            @ForAll @IntRange(min = 0, max = 100) int replicas,
            @ForAll @IntRange(min = 1, max = 8000) int milliCores,
            @ForAll @IntRange(min = 1, max = 65536) int mebibytes) {
        double expected = replicas * (milliCores / 1000.0 * 0.04 + mebibytes / 1024.0 * 0.005) * 730;
        double got = preview.monthly(
                deployment(replicas, milliCores + "m", mebibytes + "Mi", false),
                workloads.find("apps", "Deployment").orElseThrow());
        assertThat(got).isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
    }

    @Test
    void limitsStandInForMissingRequestsAndGpusCount() throws Exception {
        var kind = workloads.find("apps", "Deployment").orElseThrow();
        assertThat(preview.monthly(deployment(2, "1", "1Gi", true), kind))
                .isCloseTo(2 * (0.04 + 0.005) * 730, within(1e-9));
        var pod = JSON.readTree(
                "{\"spec\":{\"containers\":[{\"resources\":{\"limits\":{\"nvidia.com/gpu\":\"1\"}}},{\"resources\":{\"requests\":{\"cpu\":\"250m\"}}}]}}");
        assertThat(preview.monthly(pod, workloads.find("", "Pod").orElseThrow()))
                .isCloseTo((2.0 + 0.25 * 0.04) * 730, within(1e-9));
        var job = JSON.readTree(
                "{\"spec\":{\"parallelism\":3,\"template\":{\"spec\":{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}}}}");
        assertThat(preview.monthly(job, workloads.find("batch", "Job").orElseThrow()))
                .isCloseTo(3 * 0.04 * 730, within(1e-9));
        var garbage = JSON.readTree(
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"resources\":{\"requests\":{\"cpu\":\"lots\"}}}]}}}}");
        assertThat(preview.monthly(garbage, kind)).isZero();
    }
}

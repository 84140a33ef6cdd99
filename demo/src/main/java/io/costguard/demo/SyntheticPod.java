package io.costguard.demo;

import java.time.Instant;
import java.util.Map;

/**
 * One pod of the generated cluster, with one container. Usage is a pure function of the hour, so a test
 * can integrate the true cost independently of Prometheus and of the operator.
 *
 * @param usageFactor usage as a multiple of the request, per hour; below 1 the request is billed, above 1 the usage
 */
public record SyntheticPod(
        String namespace,
        String name,
        Map<String, String> labels,
        double cpuRequestCores,
        double memoryRequestBytes,
        Instant start,
        Instant end,
        UsageProfile usageFactor) {

    public SyntheticPod {
        labels = Map.copyOf(labels);
    }

    /** Usage as a multiple of the request for the UTC hour starting at {@code hourStart} (epoch seconds). */
    @FunctionalInterface
    public interface UsageProfile {
        double factor(long hourStart);
    }

    public boolean aliveAt(long epochSecond) {
        return epochSecond >= start.getEpochSecond() && epochSecond < end.getEpochSecond();
    }

    public double cpuUsageCores(long epochSecond) {
        return cpuRequestCores * usageFactor.factor(Math.floorDiv(epochSecond, 3600) * 3600);
    }

    public double memoryUsageBytes(long epochSecond) {
        return memoryRequestBytes * usageFactor.factor(Math.floorDiv(epochSecond, 3600) * 3600);
    }
}

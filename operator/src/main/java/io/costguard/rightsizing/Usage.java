package io.costguard.rightsizing;

import java.time.Instant;
import java.util.Map;

/** Resource usage of one workload's containers over its lookback, read for rightsizing; or why it is missing. */
public record Usage(Instant at, Map<String, Container> containers, String unavailable) {

    /**
     * CPU usage in cores (all pods) as percentiles, history covered, peak working set in bytes, OOMKilled in the
     * lookback, and the highest memory limit a killed pod had in bytes (null when not killed or kube-state-metrics has
     * no limit for it).
     */
    public record Container(
            CpuPercentiles cpu, java.time.Duration history, double memoryPeak, boolean oomKilled, Double limitAtKill) {
        /** From the CPU samples themselves, which are not kept. */
        public Container(
                double[] cpuSamples,
                java.time.Duration history,
                double memoryPeak,
                boolean oomKilled,
                Double limitAtKill) {
            this(CpuPercentiles.of(cpuSamples), history, memoryPeak, oomKilled, limitAtKill);
        }
    }
}

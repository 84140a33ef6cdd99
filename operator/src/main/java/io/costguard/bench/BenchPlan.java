package io.costguard.bench;

import io.costguard.baseline.PerfPlan;
import java.time.Duration;

/**
 * A BenchRun spec after validation: what to load, how, and what to judge the results by.
 *
 * @param workloadKind Deployment or StatefulSet, null when the spec names no workload (no cost then)
 * @param thresholds absolute limits (throughput unused)
 */
public record BenchPlan(
        String url,
        String workloadKind,
        String workloadName,
        Script script,
        Executor executor,
        Integer rate,
        Integer vus,
        Duration duration,
        Duration warmup,
        PerfPlan.Values thresholds,
        String baselineRef,
        int maxRegressionPercent,
        boolean recordBaseline,
        String image) {

    public enum Executor {
        CONSTANT_ARRIVAL_RATE("constant-arrival-rate"),
        RAMPING_ARRIVAL_RATE("ramping-arrival-rate"),
        CONSTANT_VUS("constant-vus");

        private final String k6Name;

        Executor(String k6Name) {
            this.k6Name = k6Name;
        }

        public String k6Name() {
            return k6Name;
        }

        static Executor of(String k6Name) {
            for (Executor e : values()) {
                if (e.k6Name.equals(k6Name)) {
                    return e;
                }
            }
            return null;
        }
    }

    /** The user's k6 script: inline text, or a key of a ConfigMap in the run's namespace. */
    public record Script(String inline, String configMap, String key) {}

    public boolean hasWorkload() {
        return workloadName != null;
    }

    /** What two runs must not load at the same time: the workload when named, else the URL. */
    public String targetKey(String namespace) {
        return namespace + "/" + (hasWorkload() ? workloadKind + "/" + workloadName : url);
    }

    /** How the target reads in messages and the TARGET column. */
    public String targetDescription() {
        return hasWorkload() ? workloadKind + " " + workloadName : url;
    }

    /** The measured part of the run. */
    public Duration measured() {
        return duration.minus(warmup);
    }
}

package io.costguard.baseline;

import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfMeasurement;
import io.costguard.kube.ObjectKeys;
import io.costguard.rightsizing.Usage;
import io.costguard.status.Heartbeat;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PerfBaselines a performance cycle need not reconcile: their last reconcile judged them Healthy with nothing in
 * flight (no regression pending or confirmed, no freeze, no notice, rightsizing at rest) and wrote nothing, and the
 * cycle's new signals would not change that: the same object version, usable signals that meet every objective and
 * breach no regression rule, figures within the band {@link StatusFigures} keeps, the heartbeat not due and, with
 * rightsizing on, the same usage read. On a live cluster signals move every cycle, so "nothing they read changed"
 * (as for budgets) would settle nothing; this asks whether what a reconcile decides could change instead. A left-alone
 * PerfBaseline's metrics still carry the cycle's values.
 */
final class SettledBaselines {
    /** What a settled reconcile decided with: the plan and baseline it judged by, and what status holds. */
    record Memo(
            String resourceVersion,
            String uid,
            PerfPlan plan,
            PerfPlan.Values baseline,
            PerfMeasurement held,
            Instant stamp,
            Usage usage) {}

    private final PerfCollector collector;
    private final PerfMetrics perfMetrics;
    private final Heartbeat heartbeat;
    private final Map<String, Memo> settled = new ConcurrentHashMap<>();

    SettledBaselines(PerfCollector collector, PerfMetrics perfMetrics, Heartbeat heartbeat) {
        this.collector = collector;
        this.perfMetrics = perfMetrics;
        this.heartbeat = heartbeat;
    }

    /** Whether the cycle should reconcile it: not settled, changed, or its new signals could change the decision. */
    boolean due(PerfBaseline pb) {
        String id = id(pb);
        Memo m = settled.get(id);
        return m == null
                || !Objects.equals(m.resourceVersion(), pb.getMetadata().getResourceVersion())
                || m.resourceVersion() == null
                || !stillSettled(m, collector.signals(id), collector.usage(id), heartbeat);
    }

    /** The cycle left it alone: its metrics still show what the cycle measured. */
    void leftAlone(PerfBaseline pb) {
        Signals s = collector.signals(id(pb));
        if (s != null && s.usable()) {
            perfMetrics.measured(
                    pb.getMetadata().getNamespace(), pb.getMetadata().getName(), s.values());
        }
    }

    void settle(PerfBaseline pb, Memo memo) {
        settled.put(id(pb), memo);
    }

    void unsettle(PerfBaseline pb) {
        settled.remove(id(pb));
    }

    /**
     * Pure: whether a reconcile on {@code s} would decide what the settled one did (Healthy, nothing pending) and
     * write nothing. Any doubt answers false, and the reconcile decides.
     */
    static boolean stillSettled(Memo m, Signals s, Usage usage, Heartbeat heartbeat) {
        if (s == null || !s.usable() || s.invalidField() != null) {
            return false;
        }
        if (m.plan().rightsizing().mode() != PerfPlan.Mode.Off && usage != m.usage()) {
            return false;
        }
        PerfPlan.Values v = s.values();
        if (v.throughput() == null
                || v.throughput() <= 0
                || !PerfEvaluator.missedObjectives(m.plan().slo(), v).isEmpty()
                || PerfEvaluator.anyBreach(m.plan().regression(), m.baseline(), v)) {
            return false;
        }
        if (s.at().isAfter(m.stamp()) && heartbeat.due(m.stamp(), s.at(), m.uid())) {
            return false;
        }
        PerfMeasurement fresh = PerfEvaluator.measurement(s);
        PerfMeasurement kept = StatusFigures.carried(m.held(), fresh);
        return m.held() != null
                && kept != null
                && Objects.equals(kept.latencyP95, m.held().latencyP95)
                && Objects.equals(kept.errorRatio, m.held().errorRatio)
                && Objects.equals(kept.throughput, m.held().throughput)
                && Objects.equals(kept.costPer1kRequests, m.held().costPer1kRequests);
    }

    private static String id(PerfBaseline pb) {
        return ObjectKeys.of(pb.getMetadata().getNamespace(), pb.getMetadata().getName());
    }
}

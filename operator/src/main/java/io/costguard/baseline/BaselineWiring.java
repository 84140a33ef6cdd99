package io.costguard.baseline;

import io.costguard.api.PerfBaseline;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.PackedItemStore;
import io.costguard.kube.ReconcileErrors;
import io.costguard.kube.UnreadableObjects;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.status.Heartbeat;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/** The PerfBaseline controller's parts, built once by the composition root and handed to the reconciler. */
public final class BaselineWiring {
    private BaselineWiring() {}

    public static PerfBaselineReconciler reconciler(
            PerfCollector collector,
            WorkloadAccess workloads,
            KubernetesClient client,
            EventRecorder events,
            PerfMetrics perfMetrics,
            OperatorMetrics metrics,
            Clock clock,
            Duration interval) {
        return new PerfBaselineReconciler(
                collector,
                new PerfSpecValidator(),
                new PerfEvaluator(),
                workloads,
                new RightsizingActuator(client, workloads, events, perfMetrics),
                events,
                perfMetrics,
                metrics,
                new ReconcileErrors(events, clock),
                new UnreadableObjects(events, metrics, clock),
                clock,
                interval,
                new PackedItemStore<>(client.getKubernetesSerialization(), PerfBaseline.class, PerfBaseline::new),
                new SettledBaselines(collector, perfMetrics, Heartbeat.forInterval(interval)));
    }
}

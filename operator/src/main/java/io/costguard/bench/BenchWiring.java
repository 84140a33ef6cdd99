package io.costguard.bench;

import io.costguard.baseline.WorkloadAccess;
import io.costguard.config.OperatorConfig;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.ReconcileErrors;
import io.costguard.kube.UnreadableObjects;
import io.costguard.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** The BenchRun controller's parts, built once by the composition root and handed to the reconciler. */
public final class BenchWiring {
    private BenchWiring() {}

    public static BenchRunReconciler reconciler(
            KubernetesClient client,
            RunCost cost,
            K6Job jobs,
            WorkloadAccess workloads,
            EventRecorder events,
            BenchMetrics benchMetrics,
            OperatorMetrics metrics,
            Clock clock,
            OperatorConfig.Bench settings) {
        BenchSpecValidator validator = new BenchSpecValidator(settings.allowedImages());
        RunObject<ConfigMap> script = new RunObject<>(ConfigMap.class, "benchrun-k6-scripts", jobs::scripts, validator);
        RunObject<Job> job = new RunObject<>(Job.class, "benchrun-jobs", jobs::job, validator);
        ScriptConfigMaps scripts = new ScriptConfigMaps();
        TargetQueue queue = new TargetQueue();
        RunTransitions transitions = new RunTransitions(job, queue, events, benchMetrics, clock);
        return new BenchRunReconciler(
                validator,
                script,
                job,
                scripts,
                workloads,
                queue,
                new RunStart(new RunLauncher(validator, script, job, workloads, scripts, queue), transitions, events),
                new RunWatch(job, new RunObserver(settings.startTimeout()), transitions),
                new RunCollection(cost, new BaselineStore(client), transitions, queue, events, benchMetrics, settings),
                transitions,
                benchMetrics,
                metrics,
                new ReconcileErrors(events, clock),
                new UnreadableObjects(events, metrics, clock),
                clock);
    }
}

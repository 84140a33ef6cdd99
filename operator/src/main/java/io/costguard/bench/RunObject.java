package io.costguard.bench;

import io.costguard.api.BenchRun;
import io.costguard.kube.ListPages;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One object a run consists of (its script ConfigMap or its k6 Job) as a JOSDK dependent resource: created once when
 * the run starts, never updated (a started run's spec cannot change), owned by the run so that Kubernetes deletes it
 * with the run. Its informer sees only objects with {@link K6Job#COMPONENT_LABEL}.
 */
final class RunObject<R extends HasMetadata> extends KubernetesDependentResource<R, BenchRun>
        implements Creator<R, BenchRun>, GarbageCollected<BenchRun> {
    private final BiFunction<BenchRun, BenchPlan, R> desired;
    private final BenchSpecValidator validator;

    RunObject(Class<R> type, String name, BiFunction<BenchRun, BenchPlan, R> desired, BenchSpecValidator validator) {
        super(type, name);
        this.desired = desired;
        this.validator = validator;
        configureWith(new KubernetesDependentResourceConfigBuilder<R>()
                .withKubernetesDependentInformerConfig(InformerConfiguration.builder(type)
                        .withLabelSelector(K6Job.COMPONENT_LABEL + "=" + K6Job.COMPONENT_VALUE)
                        .withInformerListLimit(ListPages.BIG_OBJECTS)
                        .build())
                .build());
    }

    @Override
    protected R desired(BenchRun run, Context<BenchRun> context) {
        return desired.apply(run, validator.validate(run.getSpec()).plan());
    }

    /** Found by name, without computing the desired object. */
    @Override
    protected ResourceID targetSecondaryResourceID(BenchRun run, Context<BenchRun> context) {
        return new ResourceID(
                K6Job.name(run.getMetadata().getName()), run.getMetadata().getNamespace());
    }

    /** The object of this name in the cache when it is not this run's: left by a deleted run of the same name. */
    Optional<R> leftover(BenchRun run, Context<BenchRun> context) {
        String uid = run.getMetadata().getUid();
        return getSecondaryResource(run, context)
                .filter(o -> o.getMetadata().getOwnerReferences() == null
                        || o.getMetadata().getOwnerReferences().stream()
                                .noneMatch(r -> Objects.equals(r.getUid(), uid)));
    }

    /** Deletes the object now, its pods in the background (k6 must stop loading the target). */
    void stop(String namespace, String name, Context<BenchRun> context) {
        context.getClient()
                .resources(resourceType())
                .inNamespace(namespace)
                .withName(name)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();
    }

    boolean loaded() {
        return eventSource().map(s -> s.isRunning()).orElse(false);
    }
}

package io.costguard.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first decision of a reconciler that holds nothing outside the operator's memory and so needs no finalizer
 * (registered with {@code triggerReconcilerOnAllEvents}: delete events reach {@code reconcile} too). Earlier versions
 * were JOSDK {@code Cleaner}s, whose finalizer is released here wherever it is still found.
 */
public final class WithoutFinalizer {
    private static final Logger LOG = LoggerFactory.getLogger(WithoutFinalizer.class);

    private WithoutFinalizer() {}

    /**
     * The object to reconcile, or null when there is none: it is gone, or being deleted (behind another controller's
     * finalizer), and what is held for it should be dropped. {@code formerFinalizer} is removed first when present, and
     * the object as the API server returned it then is the one to reconcile (its metadata-only update brings no new
     * event, since the generation is unchanged).
     */
    public static <P extends HasMetadata> P live(P resource, Context<P> context, String formerFinalizer) {
        if (context.isPrimaryResourceDeleted() || context.isPrimaryResourceFinalStateUnknown()) {
            return null;
        }
        P current = resource;
        if (resource.hasFinalizer(formerFinalizer)) {
            current = context.resourceOperations().removeFinalizer(formerFinalizer);
            LOG.info(
                    "{} {}/{}: removed the finalizer of an earlier version",
                    resource.getKind(),
                    resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName());
        }
        return current == null || current.isMarkedForDeletion() ? null : current;
    }
}

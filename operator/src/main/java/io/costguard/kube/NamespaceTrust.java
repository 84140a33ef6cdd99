package io.costguard.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * Which namespaces may hold budgets that select other namespaces: the operator's own, and those labelled
 * {@code costguard.io/budget-admin: "true"}. Reads namespaces through one informer, never per reconcile.
 */
public final class NamespaceTrust implements AutoCloseable {
    public static final String BUDGET_ADMIN_LABEL = "costguard.io/budget-admin";

    private final String operatorNamespace;
    private final SharedIndexInformer<Namespace> informer;

    public NamespaceTrust(KubernetesClient client, String operatorNamespace) {
        this.operatorNamespace = operatorNamespace;
        this.informer = client.namespaces().withLimit(ListPages.SIZE).inform();
    }

    public boolean trusted(String namespace) {
        if (operatorNamespace.equals(namespace)) {
            return true;
        }
        Namespace ns = informer.getStore().getByKey(namespace);
        Map<String, String> labels = ns == null ? null : ns.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(BUDGET_ADMIN_LABEL));
    }

    /** The namespace's labels as last seen, empty when it is unknown. */
    public Map<String, String> labels(String namespace) {
        Namespace ns = informer.getStore().getByKey(namespace);
        Map<String, String> labels = ns == null ? null : ns.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    @Override
    public void close() {
        informer.close();
    }
}

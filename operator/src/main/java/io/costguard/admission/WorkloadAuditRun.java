package io.costguard.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.kube.NamespaceTrust;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pass of the label rule over the running workloads, page by page; the counts per namespace go to metrics. */
public final class WorkloadAuditRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadAuditRun.class);

    private final KubernetesClient client;
    private final Supplier<AdmissionRules> rules;
    private final Set<String> watchNamespaces;
    private final NamespaceTrust trust;
    private final AdmissionMetrics metrics;

    /** {@code rules} is asked on every run: the webhook's rules once it serves, the configured ones before. */
    public WorkloadAuditRun(
            KubernetesClient client,
            Supplier<AdmissionRules> rules,
            Set<String> watchNamespaces,
            NamespaceTrust trust,
            AdmissionMetrics metrics) {
        this.client = client;
        this.rules = rules;
        this.watchNamespaces = Set.copyOf(watchNamespaces);
        this.trust = trust;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            AdmissionRules r = rules.get();
            WorkloadAudit audit = new WorkloadAudit(r.labels());
            Map<String, Integer> counts = new TreeMap<>();
            new WorkloadLister(client, new ObjectMapper())
                    .list(
                            r.workloads().kinds(),
                            watchNamespaces,
                            page -> WorkloadAudit.countByNamespace(audit.audit(page, trust::labels))
                                    .forEach((ns, n) -> counts.merge(ns, n, Integer::sum)));
            metrics.audit(counts);
            LOG.debug(
                    "audit: {} workloads break the label rules",
                    counts.values().stream().mapToInt(Integer::intValue).sum());
        } catch (RuntimeException e) {
            LOG.warn("workload audit failed: {}", e.getMessage());
        }
    }
}

package io.costguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.admission.WorkloadAudit;
import io.costguard.admission.WorkloadLister;
import io.costguard.admission.Workloads;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lists the running workloads that break the label rules, so switching the webhook to Enforce is not a leap in the dark. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description =
                "List running workloads that break the admission label rules (what Enforce would deny if they were created today).")
public final class AuditCommand implements Callable<Integer> {

    /** Unlike kubectl's default, all namespaces unless -n is given: what Enforce would deny is a question about the cluster. */
    @Mixin
    ClusterAccess.Listing cluster = new ClusterAccess.Listing();

    @Mixin
    Output output = new Output();

    @Mixin
    LabelRuleOptions rules = new LabelRuleOptions();

    @Option(names = "--fail", description = "Exit 1 when any workload breaks the rules (for a pipeline gate).")
    boolean fail;

    @Override
    public Integer call() {
        // an unreadable kubeconfig has had its line on stderr
        return cluster.config().map(this::audit).orElse(2);
    }

    private int audit(Config config) {
        WorkloadAudit audit = new WorkloadAudit(rules.rule());
        List<WorkloadAudit.Finding> findings = new ArrayList<>();
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            Map<String, Map<String, String>> labels = new HashMap<>();
            client.namespaces()
                    .list()
                    .getItems()
                    .forEach(n -> labels.put(
                            n.getMetadata().getName(),
                            n.getMetadata().getLabels() == null
                                    ? Map.of()
                                    : n.getMetadata().getLabels()));
            new WorkloadLister(client, new ObjectMapper())
                    .list(
                            Workloads.DEFAULT,
                            new LinkedHashSet<>(cluster.namespaces(config, true)),
                            page -> findings.addAll(audit.audit(page, ns -> labels.getOrDefault(ns, Map.of()))));
        } catch (KubernetesClientException e) {
            return output.fail("cannot list workloads from " + config.getMasterUrl() + ": " + ClusterAccess.failure(e));
        }
        findings.sort(java.util.Comparator.comparing(WorkloadAudit.Finding::namespace)
                .thenComparing(WorkloadAudit.Finding::kind)
                .thenComparing(WorkloadAudit.Finding::name));
        if (!output.table()) {
            output.write(findings);
            return fail && !findings.isEmpty() ? 1 : 0;
        }
        PrintWriter out = output.out();
        if (findings.isEmpty()) {
            out.println("every audited workload carries valid " + String.join(", ", rules.keys) + " labels");
            return 0;
        }
        int nsWidth = Math.max(
                9, findings.stream().mapToInt(f -> f.namespace().length()).max().orElse(0));
        int kindWidth = Math.max(
                4, findings.stream().mapToInt(f -> f.kind().length()).max().orElse(0));
        int nameWidth = Math.max(
                4, findings.stream().mapToInt(f -> f.name().length()).max().orElse(0));
        String format = "%-" + nsWidth + "s   %-" + kindWidth + "s   %-" + nameWidth + "s   %s%n";
        out.printf(format, "NAMESPACE", "KIND", "NAME", "PROBLEMS");
        for (WorkloadAudit.Finding f : findings) {
            out.printf(format, f.namespace(), f.kind(), f.name(), String.join("; ", f.problems()));
        }
        out.println();
        WorkloadAudit.countByNamespace(findings)
                .forEach((ns, n) -> out.println(ns + ": " + n + " workload(s) would be denied under Enforce"));
        return fail ? 1 : 0;
    }
}

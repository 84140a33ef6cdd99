package io.costguard.cli;

import io.costguard.api.CostBudget;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The CostBudgets of a cluster as {@code kubectl get costbudgets} shows them, plus why each is in its state. */
@Command(
        name = "budgets",
        mixinStandardHelpOptions = true,
        description = "List CostBudgets with spend, forecast, state and why each budget is in its state.")
public final class BudgetsCommand implements Callable<Integer> {

    @Mixin
    ClusterAccess.Listing cluster = new ClusterAccess.Listing();

    @Mixin
    Output output = new Output();

    /** One budget for scripts; the field names are the status's, reason and message from its Ready or DataAvailable condition. */
    record Row(
            String namespace,
            String name,
            String spent,
            String amount,
            String currency,
            Integer usedPercent,
            String forecast,
            String state,
            String reason,
            String message) {}

    @Override
    public Integer call() {
        // an unreadable kubeconfig has had its line on stderr
        return cluster.config().map(this::list).orElse(2);
    }

    private int list(Config config) {
        List<String> namespaces = cluster.namespaces(config, false);
        List<CostBudget> budgets = new ArrayList<>();
        try (KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build()) {
            if (namespaces.isEmpty()) {
                budgets.addAll(client.resources(CostBudget.class)
                        .inAnyNamespace()
                        .list()
                        .getItems());
            }
            for (String ns : namespaces) {
                budgets.addAll(client.resources(CostBudget.class)
                        .inNamespace(ns)
                        .list()
                        .getItems());
            }
        } catch (KubernetesClientException e) {
            return output.fail("cannot list CostBudgets from " + config.getMasterUrl() + ": " + cause(e));
        }
        budgets = budgets.stream()
                .sorted(Comparator.comparing((CostBudget b) -> b.getMetadata().getNamespace())
                        .thenComparing(b -> b.getMetadata().getName()))
                .toList();
        PrintWriter out = output.out();
        if (!output.table()) {
            output.write(budgets.stream().map(BudgetsCommand::row).toList());
        } else if (budgets.isEmpty()) {
            out.println(
                    namespaces.isEmpty()
                            ? "No CostBudgets found."
                            : "No CostBudgets found in namespace " + String.join(", ", namespaces) + ".");
        } else {
            out.print(BudgetTable.render(budgets, Instant.now(), true));
            out.flush(); // print() does not flush, and the jar ends with System.exit
        }
        return 0;
    }

    static Row row(CostBudget b) {
        var spec = b.getSpec();
        var s = b.getStatus();
        Condition why = why(b);
        return new Row(
                b.getMetadata().getNamespace(),
                b.getMetadata().getName(),
                s == null ? null : s.spent,
                spec == null ? null : spec.amount,
                spec == null ? null : spec.currency,
                s == null ? null : s.usedPercent,
                s == null ? null : s.forecast,
                s == null ? null : s.state,
                why == null ? null : why.getReason(),
                why == null ? null : why.getMessage());
    }

    /**
     * The condition that explains the state: DataAvailable when the data is missing (the state is then Unknown), else
     * Ready, whose reason says Invalid or which threshold holds.
     */
    static Condition why(CostBudget b) {
        if (b.getStatus() == null || b.getStatus().conditions == null) {
            return null;
        }
        List<Condition> conditions = b.getStatus().conditions;
        return conditions.stream()
                .filter(c -> "DataAvailable".equals(c.getType()) && "False".equals(c.getStatus()))
                .findFirst()
                .orElse(conditions.stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .findFirst()
                        .orElse(null));
    }

    /** The first line of the client's message; a refused connection hides under "An error has occurred." */
    private static String cause(KubernetesClientException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "the API server is unreachable (connection refused)";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "the API server is unreachable (unknown host " + t.getMessage() + ")";
            }
        }
        return ClusterAccess.failure(e);
    }
}

package io.costguard.cli;

import io.costguard.api.CostBudget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The budgets table, with the CRD's printer columns, for people. */
public final class BudgetTable {
    private BudgetTable() {}

    public static String render(List<CostBudget> budgets, Instant now) {
        return render(budgets, now, false);
    }

    /** With {@code why}, a last WHY column: the reason of the condition that explains the state. */
    static String render(List<CostBudget> budgets, Instant now, boolean why) {
        List<String[]> rows = new ArrayList<>();
        rows.add(
                why
                        ? new String[] {
                            "NAMESPACE", "NAME", "SPENT", "BUDGET", "USED", "FORECAST", "STATE", "AGE", "WHY"
                        }
                        : new String[] {"NAMESPACE", "NAME", "SPENT", "BUDGET", "USED", "FORECAST", "STATE", "AGE"});
        budgets.stream()
                .sorted(Comparator.comparing((CostBudget b) -> b.getMetadata().getNamespace())
                        .thenComparing(b -> b.getMetadata().getName()))
                .forEach(b -> {
                    var s = b.getStatus();
                    String[] row = {
                        b.getMetadata().getNamespace(),
                        b.getMetadata().getName(),
                        s == null || s.spent == null ? "<none>" : s.spent,
                        b.getSpec() == null || b.getSpec().amount == null ? "<none>" : b.getSpec().amount,
                        s == null || s.used == null ? "<none>" : s.used,
                        s == null || s.forecast == null ? "<none>" : s.forecast,
                        s == null || s.state == null ? "<none>" : s.state,
                        age(b.getMetadata().getCreationTimestamp(), now)
                    };
                    if (why) {
                        var condition = BudgetsCommand.why(b);
                        row = java.util.Arrays.copyOf(row, row.length + 1);
                        row[row.length - 1] =
                                condition == null || condition.getReason() == null ? "<none>" : condition.getReason();
                    }
                    rows.add(row);
                });
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                out.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String age(String created, Instant now) {
        if (created == null) {
            return "<unknown>";
        }
        Duration d = Duration.between(Instant.parse(created), now);
        if (d.toDays() >= 1) {
            return d.toDays() + "d";
        }
        if (d.toHours() >= 1) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() >= 1) {
            return d.toMinutes() + "m";
        }
        return Math.max(0, d.getSeconds()) + "s";
    }
}

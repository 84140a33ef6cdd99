package io.costguard.cli;

import io.costguard.admission.LabelRule;
import io.costguard.admission.Workloads;
import io.costguard.config.OperatorConfig;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The admission label rules' settings, mixed into audit and check so both judge as the webhook would in Enforce. */
final class LabelRuleOptions {
    @Option(
            names = "--operator-namespace",
            description = "The operator's namespace, exempt from the rules (default: ${DEFAULT-VALUE}).")
    String operatorNamespace = "costguard-system";

    @Option(names = "--keys", split = ",", description = "Allocation keys (default: tenant,feature,team,environment).")
    List<String> keys = OperatorConfig.DEFAULT_ALLOCATION_KEYS;

    @Option(
            names = "--namespace-defaults",
            description = "A key the namespace carries as a label may be left out of the workload.")
    boolean namespaceDefaults;

    /** The rules in Enforce mode over the default workload kinds, kube-system and the operator's namespace exempt. */
    LabelRule rule() {
        return new LabelRule(
                new LabelRule.Settings(
                        keys,
                        Map.of(),
                        LabelRule.Mode.Enforce,
                        namespaceDefaults,
                        List.of("kube-system", operatorNamespace)),
                new Workloads(Workloads.DEFAULT));
    }
}

package io.costguard.admission;

import io.costguard.config.OperatorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The built-in rules as configured: the checked kinds, the label rule, the freeze rule, the cost preview. */
public record AdmissionRules(Workloads workloads, LabelRule labels, FreezeRule freeze, CostPreview preview) {

    public static AdmissionRules from(OperatorConfig config) {
        OperatorConfig.Webhook w = config.webhook();
        Workloads workloads = new Workloads(Workloads.from(w.workloadKinds()));
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        w.patterns().forEach((k, p) -> patterns.put(k, Pattern.compile(p)));
        List<String> exempt = new ArrayList<>(List.of("kube-system", config.operatorNamespace()));
        w.exemptNamespaces().stream().filter(ns -> !exempt.contains(ns)).forEach(exempt::add);
        LabelRule labels = new LabelRule(
                new LabelRule.Settings(
                        config.allocationKeys(),
                        patterns,
                        LabelRule.Mode.valueOf(w.labelMode()),
                        w.namespaceDefaults(),
                        exempt),
                workloads);
        return new AdmissionRules(
                workloads,
                labels,
                new FreezeRule(workloads, config.allocationKeys(), w.breakGlassMaxAge()),
                new CostPreview(workloads, config.pricing(), w.breakGlassMaxAge()));
    }
}

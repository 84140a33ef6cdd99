package io.costguard.admission;

import io.costguard.metrics.OnFirstUse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The webhook's metrics: decisions by rule and result, latency, OPA, break-glass uses, audit, certificate. */
public final class AdmissionMetrics implements OpaClient.Observer {
    private final Counter decisions;
    private final Histogram duration;
    private final Counter malformed;
    private final Histogram opaDuration;
    private final Counter opaErrors;
    private final Gauge opaUp;
    private final Counter breakGlass;
    private final Gauge auditViolations;
    private final Gauge certificateExpiry;
    private final Set<String> auditedNamespaces = ConcurrentHashMap.newKeySet();
    // exported from the first review, OPA call or certificate on: nothing for a webhook or an OPA that is not
    // configured
    private final OnFirstUse durationShown;
    private final OnFirstUse malformedShown;
    private final OnFirstUse opaShown;
    private final OnFirstUse certificateShown;

    public AdmissionMetrics(PrometheusRegistry registry) {
        decisions = Counter.builder()
                .withoutExemplars()
                .name("costguard_admission_decisions_total")
                .help(
                        "Admission decisions by rule (labels, freeze, cost, resource, opa, all) and result (allow, warn, audit, deny)")
                .labelNames("rule", "result")
                .register(registry);
        duration = Histogram.builder()
                .withoutExemplars()
                .name("costguard_admission_duration_seconds")
                .help("Time from reading an AdmissionReview to having its answer, OPA included")
                .classicUpperBounds(
                        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
                .build();
        malformed = Counter.builder()
                .withoutExemplars()
                .name("costguard_admission_malformed_total")
                .help("Requests answered 400 because they were not an admission.k8s.io/v1 AdmissionReview")
                .build();
        opaDuration = Histogram.builder()
                .withoutExemplars()
                .name("costguard_opa_request_duration_seconds")
                .help("Latency of OPA Data API calls")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .build();
        opaErrors = Counter.builder()
                .withoutExemplars()
                .name("costguard_opa_errors_total")
                .help(
                        "OPA calls that gave no decision (timeout, unreachable, http_<code>, bad_response, bad_result); the built-in rules decided alone")
                .labelNames("reason")
                .build();
        opaUp = Gauge.builder()
                .withoutExemplars()
                .name("costguard_opa_up")
                .help("1 when the last OPA call answered, 0 when it failed")
                .build();
        breakGlass = Counter.builder()
                .withoutExemplars()
                .name("costguard_admission_break_glass_total")
                .help("Changes a break-glass annotation let through that would have been denied")
                .labelNames("namespace", "rule")
                .register(registry);
        auditViolations = Gauge.builder()
                .withoutExemplars()
                .name("costguard_admission_audit_violations")
                .help("Running workloads that break the label rules, from the last audit")
                .labelNames("namespace")
                .register(registry);
        certificateExpiry = Gauge.builder()
                .withoutExemplars()
                .name("costguard_webhook_certificate_expiry_timestamp_seconds")
                .help("When the webhook's serving certificate expires (Unix seconds)")
                .build();
        durationShown = new OnFirstUse(registry, duration);
        malformedShown = new OnFirstUse(registry, malformed);
        certificateShown = new OnFirstUse(registry, certificateExpiry);
        opaShown = new OnFirstUse(registry, opaDuration, opaErrors, opaUp);
    }

    public void decision(String rule, String result) {
        decisions.labelValues(rule, result).inc();
    }

    public void duration(long nanos) {
        duration.observe(nanos / 1e9);
        durationShown.used();
    }

    public void malformed() {
        malformed.inc();
        malformedShown.used();
    }

    public void breakGlass(String namespace, String rule) {
        breakGlass.labelValues(namespace, rule).inc();
    }

    /** Sets the per-namespace counts; namespaces that had violations before and none now drop to zero. */
    public void audit(Map<String, Integer> byNamespace) {
        auditedNamespaces.forEach(ns -> {
            if (!byNamespace.containsKey(ns)) {
                auditViolations.labelValues(ns).set(0);
            }
        });
        byNamespace.forEach((ns, n) -> auditViolations.labelValues(ns).set(n));
        auditedNamespaces.addAll(byNamespace.keySet());
    }

    public void certificateExpiry(Instant notAfter) {
        certificateExpiry.set(notAfter.getEpochSecond());
        certificateShown.used();
    }

    @Override
    public void opa(Duration latency, OpaClient.Answer answer) {
        opaDuration.observe(latency.toNanos() / 1e9);
        if (answer instanceof OpaClient.Unavailable u) {
            opaErrors.labelValues(u.kind()).inc();
            opaUp.set(0);
        } else {
            opaUp.set(1);
        }
        opaShown.used();
    }
}

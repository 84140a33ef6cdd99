package io.costguard.admission;

import io.costguard.admission.OpaClient.Answer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admission decision: the built-in rules (labels, freeze, cost preview, costguard's own resources) and, when
 * configured, OPA, asked in parallel. Deny if any denies; warnings from all. OPA slow or down never opens what the
 * built-in rules deny and never blocks what they allow.
 */
public final class AdmissionPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionPolicy.class);

    private final LabelRule labels;
    private final FreezeRule freeze;
    private final Optional<CostPreview> preview;
    private final OwnResourceRule own;
    private final Optional<OpaClient> opa;
    private final ClusterState cluster;
    private final Clock clock;
    private final AdmissionMetrics metrics;
    private final AdmissionNotices notices;
    private volatile boolean opaWasUp = true;

    public AdmissionPolicy(
            LabelRule labels,
            FreezeRule freeze,
            Optional<CostPreview> preview,
            OwnResourceRule own,
            Optional<OpaClient> opa,
            ClusterState cluster,
            Clock clock,
            AdmissionMetrics metrics,
            AdmissionNotices notices) {
        this.labels = labels;
        this.freeze = freeze;
        this.preview = preview;
        this.own = own;
        this.opa = opa;
        this.cluster = cluster;
        this.clock = clock;
        this.metrics = metrics;
        this.notices = notices;
    }

    /** Decides a parsed review; {@code problem} (from {@link ReviewCodec}) denies it with that reason. */
    public Verdict decide(AdmissionRequest r, String problem) {
        if (problem != null) {
            metrics.decision("all", "deny");
            return Verdict.deny("costguard cannot judge this request: " + problem);
        }
        CompletableFuture<Answer> asked = opa.map(o -> o.ask(r.review())).orElse(null);
        Instant now = clock.instant();
        List<String> denials = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String[]> glassUses = new ArrayList<>();

        LabelRule.Decision label = labels.check(new LabelRule.Review(
                r.operation(),
                r.group(),
                r.kind(),
                r.namespace(),
                r.object(),
                r.oldObject(),
                r.object() == null && r.oldObject() == null
                        ? java.util.Map.of()
                        : cluster.namespaceLabels(r.namespace())));
        warnings.addAll(label.warnings());
        if (!label.allowed()) {
            denials.add(label.message());
        }
        if (label.violation()) {
            String result = !label.allowed() ? "deny" : labels.mode() == LabelRule.Mode.Audit ? "audit" : "warn";
            metrics.decision("labels", result);
            if ("audit".equals(result) && !r.dryRun()) {
                notices.labelsMissing(r, r.describe() + " lacks cost-allocation labels (audit mode: admitted)");
            }
        } else {
            metrics.decision("labels", "allow");
        }

        FreezeRule.Result frozen = freeze.check(r, cluster.freezes(), cluster::scaleTarget, cluster.loading(), now);
        if (frozen.frozen()) {
            metrics.decision("freeze", !frozen.allowed() ? "deny" : frozen.breakGlass() != null ? "warn" : "allow");
        }
        if (!frozen.allowed()) {
            denials.add(frozen.message());
        } else if (frozen.warning() != null) {
            warnings.add(frozen.warning());
            glassUses.add(new String[] {"freeze", frozen.breakGlass(), frozen.warning()});
        }

        if (preview.isPresent() && frozen.allowed()) {
            CostPreview.Result cost = preview.get().check(r, cluster.budgets(), now);
            warnings.addAll(cost.warnings());
            if (cost.denial() != null) {
                denials.add(cost.denial());
                metrics.decision("cost", "deny");
            } else if (!cost.warnings().isEmpty()) {
                metrics.decision("cost", "warn");
                if (cost.breakGlass() != null) {
                    glassUses.add(new String[] {
                        "cost",
                        cost.breakGlass(),
                        cost.warnings().get(cost.warnings().size() - 1)
                    });
                }
            }
        }

        String invalid = own.check(r, cluster::namespaceLabels);
        if (invalid != null) {
            denials.add(invalid);
            metrics.decision("resource", "deny");
        }

        if (asked != null) {
            Answer answer = await(asked);
            if (answer instanceof OpaClient.Denied d) {
                metrics.decision("opa", "deny");
                d.reasons().forEach(m -> denials.add("OPA: " + m));
            } else if (answer instanceof OpaClient.Unavailable u) {
                metrics.decision("opa", "unavailable");
                warnings.add("costguard: OPA is unavailable (" + u.detail() + "); the built-in rules decided alone");
                if (opaWasUp) {
                    LOG.warn(
                            "OPA is unavailable ({}); the built-in rules decide alone until it answers again",
                            u.detail());
                    opaWasUp = false;
                }
            } else {
                metrics.decision("opa", "allow");
                if (!opaWasUp) {
                    LOG.info("OPA answers again");
                    opaWasUp = true;
                }
            }
        }

        if (!denials.isEmpty()) {
            metrics.decision("all", "deny");
            LOG.debug("denied {}: {}", r.describe(), denials);
            return new Verdict(false, String.join("\n", denials), warnings);
        }
        metrics.decision("all", warnings.isEmpty() ? "allow" : "warn");
        // a break-glass counts only when it let through what would have been denied
        glassUses.forEach(g -> breakGlass(r, g[0], g[1], g[2]));
        return new Verdict(true, null, warnings);
    }

    /** A dry run is judged like the real request but leaves no trace: no count, no Event, no use in the log. */
    private void breakGlass(AdmissionRequest r, String rule, String reason, String message) {
        if (r.dryRun()) {
            LOG.debug(
                    "dry run of {} by {}: break-glass '{}' would let through what the {} rule denies (not counted)",
                    r.describe(),
                    r.user(),
                    reason,
                    rule);
            return;
        }
        metrics.breakGlass(r.namespace(), rule);
        LOG.info(
                "break-glass on {} by {}: '{}' let through what the {} rule would deny",
                r.describe(),
                r.user(),
                reason,
                rule);
        notices.breakGlassUsed(r, reason, message + " (user " + r.user() + ")");
    }

    private static Answer await(CompletableFuture<Answer> asked) {
        try {
            // the client's own timeout completes the future; nothing here waits longer than that
            return asked.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OpaClient.Unavailable("interrupted", "interrupted while waiting for OPA");
        } catch (ExecutionException e) {
            return new OpaClient.Unavailable("error", String.valueOf(e.getCause()));
        }
    }
}

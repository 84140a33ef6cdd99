package io.costguard.bench;

import io.costguard.api.BenchRun;
import io.costguard.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a run consists of: a ConfigMap with the generated entry script (and an inline user script), and a
 * batch/v1 Job running k6 on them, both owned by the BenchRun so deleting it removes them.
 */
public final class K6Job {
    /** Label on the Job and its pod; the operator watches pods with it only. */
    public static final String COMPONENT_LABEL = "costguard.io/bench";

    public static final String COMPONENT_VALUE = "k6";
    /** Annotation naming the BenchRun (a label value could not hold a 253-character name). */
    public static final String RUN_ANNOTATION = "costguard.io/benchrun";

    public static final String CONTAINER = "k6";
    /** Names of the pods of every Job {@link #name} gives (RE2, whole name). */
    public static final String POD_NAMES = ".+-k6-[a-z0-9]{5}";

    private final OperatorConfig.Bench settings;
    private final List<String> allocationKeys;

    public K6Job(OperatorConfig.Bench settings, List<String> allocationKeys) {
        this.settings = settings;
        this.allocationKeys = List.copyOf(allocationKeys);
    }

    /** {@code <run>-k6}, shortened with a hash when the run's name is long, so it fits a label value (63). */
    public static String name(String run) {
        String plain = run + "-k6";
        if (plain.length() <= 63) {
            return plain;
        }
        String prefix = run.substring(0, 48).replaceAll("[-.]+$", "");
        return prefix + "-" + hash(run) + "-k6";
    }

    public ConfigMap scripts(BenchRun run, BenchPlan plan) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(
                EntryScript.ENTRY,
                EntryScript.render(
                        plan,
                        run.getMetadata().getNamespace(),
                        run.getMetadata().getName()));
        if (plan.script().inline() != null) {
            data.put(EntryScript.USER, plan.script().inline());
        }
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name(run.getMetadata().getName()))
                .withNamespace(run.getMetadata().getNamespace())
                .withLabels(labels())
                .withAnnotations(Map.of(RUN_ANNOTATION, run.getMetadata().getName()))
                .withOwnerReferences(owner(run))
                .endMetadata()
                .withData(data)
                .build();
    }

    public Job job(BenchRun run, BenchPlan plan) {
        String name = name(run.getMetadata().getName());
        List<VolumeProjection> sources = new ArrayList<>();
        sources.add(new VolumeProjectionBuilder()
                .withNewConfigMap()
                .withName(name)
                .endConfigMap()
                .build());
        if (plan.script().configMap() != null) {
            sources.add(new VolumeProjectionBuilder()
                    .withNewConfigMap()
                    .withName(plan.script().configMap())
                    .withItems(new KeyToPathBuilder()
                            .withKey(plan.script().key())
                            .withPath(EntryScript.USER)
                            .build())
                    .endConfigMap()
                    .build());
        }
        Map<String, String> podLabels = new LinkedHashMap<>(labels());
        Map<String, String> runLabels = run.getMetadata().getLabels() == null
                ? Map.of()
                : run.getMetadata().getLabels();
        for (String key : allocationKeys) {
            if (runLabels.containsKey(key)) {
                podLabels.put(key, runLabels.get(key));
            }
        }
        // an injected mesh proxy would keep running after k6 exits, so the Job would never complete
        Map<String, String> podTemplateLabels = new LinkedHashMap<>(podLabels);
        podTemplateLabels.put("sidecar.istio.io/inject", "false");
        Map<String, Quantity> requests = new LinkedHashMap<>();
        requests.put("cpu", new Quantity(settings.cpuRequest()));
        requests.put("memory", new Quantity(settings.memoryRequest()));
        Map<String, Quantity> limits = new LinkedHashMap<>();
        limits.put("memory", new Quantity(settings.memoryLimit()));
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(run.getMetadata().getNamespace())
                .withLabels(podLabels)
                .withAnnotations(Map.of(RUN_ANNOTATION, run.getMetadata().getName()))
                .withOwnerReferences(owner(run))
                .endMetadata()
                .withNewSpec()
                // a retry would load the target twice and charge it twice; a failed run is reported, not repeated
                .withBackoffLimit(0)
                .withActiveDeadlineSeconds(EntryScript.deadline(plan).toSeconds())
                .withTtlSecondsAfterFinished((int) settings.ttlAfterFinished().toSeconds())
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podTemplateLabels)
                .withAnnotations(Map.of(RUN_ANNOTATION, run.getMetadata().getName(), "linkerd.io/inject", "disabled"))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                // k6 never talks to the API server: no token for a script or an image to use
                .withAutomountServiceAccountToken(false)
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(plan.image() != null ? plan.image() : settings.image())
                .withArgs("run", EntryScript.DIRECTORY + "/" + EntryScript.ENTRY)
                .addNewEnv()
                .withName("TARGET_URL")
                .withValue(plan.url())
                .endEnv()
                .addNewEnv()
                .withName("COSTGUARD_BENCHRUN")
                .withValue(run.getMetadata().getName())
                .endEnv()
                .addNewEnv()
                .withName("K6_NO_USAGE_REPORT")
                .withValue("true")
                .endEnv()
                .withNewResources()
                .withRequests(requests)
                .withLimits(limits)
                .endResources()
                .withTerminationMessagePath(EntryScript.TERMINATION_LOG)
                // a k6 that dies before handleSummary leaves its last log lines as the message: the script error
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .addNewVolumeMount()
                .withName("scripts")
                .withMountPath(EntryScript.DIRECTORY)
                .withReadOnly(true)
                .endVolumeMount()
                // what the "restricted" Pod Security Standard asks, so runs start in locked-down namespaces
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withRunAsNonRoot(true)
                .withNewCapabilities()
                .addToDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .endContainer()
                .addNewVolume()
                .withName("scripts")
                .withNewProjected()
                .withSources(sources)
                .endProjected()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "k6");
        labels.put("app.kubernetes.io/managed-by", "costguard");
        labels.put(COMPONENT_LABEL, COMPONENT_VALUE);
        return labels;
    }

    private static OwnerReference owner(BenchRun run) {
        return new OwnerReferenceBuilder()
                .withApiVersion(run.getApiVersion())
                .withKind(run.getKind())
                .withName(run.getMetadata().getName())
                .withUid(run.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

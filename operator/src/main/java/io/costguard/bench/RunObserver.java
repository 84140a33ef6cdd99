package io.costguard.bench;

import io.costguard.api.ConditionReason;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a run stands, from its Job and the Job's pod as the API shows them: still starting, running, finished with a
 * summary, or failed for a named reason. Pure; the reconciler acts on the answer.
 */
public final class RunObserver {
    /** k6's exit code when its own thresholds failed; the summary is still written. */
    static final int K6_THRESHOLDS_FAILED = 99;

    private static final Set<Integer> SCRIPT_EXIT_CODES = Set.of(104, 107, 108, 255);
    private static final Set<String> IMAGE_REASONS =
            Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable");
    private static final Set<String> IMMEDIATE_REASONS = Set.of("InvalidImageName", "ErrImageNeverPull");

    /** What was seen. {@code startedAt} is when the k6 container started, once it has. */
    public sealed interface Observation permits Starting, Running, Finished, Broken {}

    public record Starting(String podName, String detail) implements Observation {}

    public record Running(String podName, Instant startedAt) implements Observation {}

    /** k6 ended and left a summary; {@code k6ThresholdsFailed} when it exited because its own thresholds failed. */
    public record Finished(String podName, K6Summary summary, String line, boolean k6ThresholdsFailed)
            implements Observation {}

    /** The run cannot give results; reason is a CamelCase word for the condition, message says what happened. */
    public record Broken(ConditionReason reason, String message) implements Observation {}

    private final Duration startTimeout;

    public RunObserver(Duration startTimeout) {
        this.startTimeout = startTimeout;
    }

    /**
     * @param job the run's Job, empty when it is gone
     * @param pods the run's pods; only those the Job owns count (a deleted run of the same name may leave its pod behind)
     * @param knownPod the pod seen earlier (status.podName), to notice a deleted pod
     */
    public Observation observe(Optional<Job> job, List<Pod> pods, String knownPod, Instant now) {
        if (job.isEmpty()) {
            return new Broken(
                    ConditionReason.JobDeleted,
                    "the k6 Job was deleted before the run finished; results are lost, create a new BenchRun");
        }
        String jobUid = job.get().getMetadata().getUid();
        Optional<Pod> newest = pods.stream()
                .filter(p -> p.getMetadata().getOwnerReferences() != null
                        && p.getMetadata().getOwnerReferences().stream()
                                .anyMatch(o -> Objects.equals(o.getUid(), jobUid)))
                .max(Comparator.comparing(
                        p -> Optional.ofNullable(p.getMetadata().getCreationTimestamp())
                                .orElse("")));
        Optional<JobCondition> failed = condition(job.get(), "Failed");
        if (failed.isPresent() && "DeadlineExceeded".equals(failed.get().getReason())) {
            return new Broken(
                    ConditionReason.DeadlineExceeded,
                    "the k6 Job ran longer than its activeDeadlineSeconds ("
                            + job.get().getSpec().getActiveDeadlineSeconds()
                            + "s: spec.load.duration plus a margin for start-up) and was stopped; "
                            + "check that the target answers and that k6 gets the CPU it needs (bench.resources)");
        }
        if (newest.isPresent()) {
            Observation seen = pod(newest.get(), now);
            if (seen != null) {
                return seen;
            }
        }
        if (knownPod != null
                && newest.stream()
                        .noneMatch(p -> knownPod.equals(p.getMetadata().getName()))) {
            return new Broken(
                    ConditionReason.PodDeleted,
                    "the k6 pod " + knownPod
                            + " was deleted before it finished; results are lost, create a new BenchRun");
        }
        if (failed.isPresent()) {
            return new Broken(
                    ConditionReason.JobFailed,
                    "the k6 Job failed (" + failed.get().getReason() + ": "
                            + failed.get().getMessage()
                            + ") and its pod is gone; results are lost, create a new BenchRun");
        }
        String created = job.get().getMetadata().getCreationTimestamp();
        if (newest.isEmpty()
                && created != null
                && !now.isBefore(Instant.parse(created).plus(startTimeout))) {
            return new Broken(
                    ConditionReason.PodNotCreated,
                    "the Job created no k6 pod within " + io.costguard.config.Durations.format(startTimeout)
                            + "; check the Job's events (a ResourceQuota, a LimitRange or Pod Security admission may reject the pod)");
        }
        return new Starting(
                newest.map(p -> p.getMetadata().getName()).orElse(null),
                newest.isEmpty()
                        ? "waiting for the Job to create the k6 pod"
                        : "waiting for the k6 pod to be scheduled");
    }

    /** Null when the pod tells nothing beyond "not started yet". */
    private Observation pod(Pod pod, Instant now) {
        String name = pod.getMetadata().getName();
        // by name: the kubelet lists container statuses sorted by name, so an injected sidecar may come first
        ContainerStatus k6 = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? null
                : pod.getStatus().getContainerStatuses().stream()
                        .filter(c -> K6Job.CONTAINER.equals(c.getName()))
                        .findFirst()
                        .orElse(null);
        if (k6 != null && k6.getState() != null && k6.getState().getTerminated() != null) {
            return terminated(name, k6.getState().getTerminated());
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new Broken(
                    ConditionReason.PodDeleted,
                    "the k6 pod " + name
                            + " is being deleted before it finished; results are lost, create a new BenchRun");
        }
        if (k6 != null && k6.getState() != null && k6.getState().getRunning() != null) {
            String started = k6.getState().getRunning().getStartedAt();
            return new Running(name, started == null ? now : Instant.parse(started));
        }
        if (pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())) {
            return new Broken(
                    ConditionReason.PodFailed,
                    "the k6 pod " + name + " failed before k6 started: "
                            + pod.getStatus().getReason() + " "
                            + Optional.ofNullable(pod.getStatus().getMessage()).orElse(""));
        }
        ContainerStateWaiting waiting =
                k6 == null || k6.getState() == null ? null : k6.getState().getWaiting();
        Instant created = pod.getMetadata().getCreationTimestamp() == null
                ? now
                : Instant.parse(pod.getMetadata().getCreationTimestamp());
        boolean late = !now.isBefore(created.plus(startTimeout));
        if (waiting != null && waiting.getReason() != null) {
            String what = waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
            if (IMAGE_REASONS.contains(waiting.getReason())
                    && (late || IMMEDIATE_REASONS.contains(waiting.getReason()))) {
                return new Broken(
                        ConditionReason.ImagePullFailed,
                        "the k6 image could not be pulled (" + what + "); fix spec.image or the operator's "
                                + "bench.image, or the registry credentials");
            }
            if (late) {
                return new Broken(
                        ConditionReason.ContainerNotStarted,
                        "the k6 container did not start within " + io.costguard.config.Durations.format(startTimeout)
                                + " (" + what
                                + "); check the pod's events: a missing script ConfigMap (spec.load.script.configMapRef), a slow image pull, quota");
            }
            return new Starting(name, "k6 container waiting: " + what);
        }
        return late
                ? new Broken(
                        ConditionReason.ContainerNotStarted,
                        "the k6 pod " + name + " did not start within "
                                + io.costguard.config.Durations.format(startTimeout)
                                + "; check its events (scheduling, quota)")
                : null;
    }

    private static Observation terminated(String pod, ContainerStateTerminated t) {
        int code = t.getExitCode() == null ? -1 : t.getExitCode();
        String message = t.getMessage();
        if ("OOMKilled".equals(t.getReason())) {
            return new Broken(
                    ConditionReason.OOMKilled,
                    "k6 ran out of memory and was killed; raise the operator's bench.resources memory limit or lower "
                            + "spec.load.rate / spec.load.vus");
        }
        if (code == 0 || code == K6_THRESHOLDS_FAILED) {
            K6Summary.Parsed parsed = K6Summary.parse(message);
            if (parsed.ok()) {
                return new Finished(pod, parsed.summary(), message.strip(), code == K6_THRESHOLDS_FAILED);
            }
            return new Broken(
                    parsed.problem().reason(),
                    "k6 exited with code " + code + " but its results cannot be read: " + parsed.detail()
                            + "; the entry script's handleSummary writes them to " + EntryScript.TERMINATION_LOG);
        }
        String tail = message == null || message.isBlank() ? "" : ": " + K6Summary.excerpt(message);
        if (SCRIPT_EXIT_CODES.contains(code)) {
            return new Broken(
                    ConditionReason.ScriptError,
                    "k6 stopped with a script error (exit code " + code + ")" + tail
                            + "; fix the script in spec.load.script");
        }
        return new Broken(
                ConditionReason.K6Failed,
                "k6 exited with code " + code + (t.getReason() == null ? "" : " (" + t.getReason() + ")") + tail);
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }
}

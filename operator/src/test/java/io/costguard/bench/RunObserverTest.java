package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunObserverTest {
    static final Instant CREATED = Instant.parse("2026-11-20T10:00:00Z");
    static final String JOB_UID = "5f0c-job";
    private final RunObserver observer = new RunObserver(Duration.ofMinutes(3));

    static Job job(String failedReason) {
        JobBuilder b = new JobBuilder()
                .withNewMetadata()
                .withName("run-k6")
                .withUid(JOB_UID)
                .endMetadata()
                .withNewSpec()
                .withActiveDeadlineSeconds(2100L)
                .endSpec();
        if (failedReason != null) {
            b.withNewStatus()
                    .addNewCondition()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason(failedReason)
                    .withMessage("Job failed")
                    .endCondition()
                    .endStatus();
        }
        return b.build();
    }

    static Pod pod(String name, ContainerState state) {
        return ownedPod(name, JOB_UID, state);
    }

    static Pod ownedPod(String name, String jobUid, ContainerState state) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withCreationTimestamp(CREATED.toString())
                .addNewOwnerReference()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName("run-k6")
                .withUid(jobUid)
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("k6")
                .withState(state)
                .endContainerStatus()
                .endStatus()
                .build();
    }

    static ContainerState waiting(String reason) {
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .withMessage("details of " + reason)
                .endWaiting()
                .build();
    }

    static ContainerState terminated(int code, String reason, String message) {
        return new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(code)
                .withReason(reason)
                .withMessage(message)
                .endTerminated()
                .build();
    }

    private RunObserver.Observation see(Job job, Pod pod, String known, Duration after) {
        return observer.observe(
                Optional.ofNullable(job), pod == null ? List.of() : List.of(pod), known, CREATED.plus(after));
    }

    @Test
    void aPodLeftByAnEarlierRunOfTheSameNameIsNotThisRunsPod() {
        Pod stale = ownedPod("run-k6-old12", "an-earlier-job", terminated(0, "Completed", K6SummaryTest.LINE));
        assertThat(observer.observe(Optional.of(job(null)), List.of(stale), null, CREATED.plus(Duration.ofSeconds(5))))
                .isEqualTo(new RunObserver.Starting(null, "waiting for the Job to create the k6 pod"));
        Pod mine = pod("run-k6-new34", running(CREATED));
        assertThat(observer.observe(
                        Optional.of(job(null)), List.of(stale, mine), null, CREATED.plus(Duration.ofSeconds(5))))
                .isInstanceOf(RunObserver.Running.class);
    }

    @Test
    void theK6ContainerIsFoundByNameWhenASidecarIsListedFirst() {
        Pod withSidecar = new PodBuilder(pod("p", terminated(0, "Completed", K6SummaryTest.LINE)))
                .editStatus()
                .withContainerStatuses(
                        new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                                .withName("istio-proxy")
                                .withState(running(CREATED))
                                .build(),
                        pod("p", terminated(0, "Completed", K6SummaryTest.LINE))
                                .getStatus()
                                .getContainerStatuses()
                                .get(0))
                .endStatus()
                .build();
        assertThat(see(job(null), withSidecar, "p", Duration.ofMinutes(31))).isInstanceOf(RunObserver.Finished.class);
    }

    static ContainerState running(Instant at) {
        return new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(at.toString())
                .endRunning()
                .build();
    }

    @Test
    void aJobWithoutPodIsStarting() {
        assertThat(see(job(null), null, null, Duration.ZERO)).isInstanceOf(RunObserver.Starting.class);
    }

    @Test
    void aWaitingContainerIsStartingUntilTheStartTimeout() {
        assertThat(see(job(null), pod("p", waiting("ContainerCreating")), null, Duration.ofMinutes(1)))
                .isEqualTo(new RunObserver.Starting(
                        "p", "k6 container waiting: ContainerCreating: details of ContainerCreating"));
        var late = (RunObserver.Broken)
                see(job(null), pod("p", waiting("CreateContainerConfigError")), null, Duration.ofMinutes(3));
        assertThat(late.reason()).isEqualTo(ConditionReason.ContainerNotStarted);
        assertThat(late.message()).contains("within 3m", "CreateContainerConfigError");
    }

    @Test
    void imagePullFailures() {
        assertThat(see(job(null), pod("p", waiting("ImagePullBackOff")), null, Duration.ofMinutes(1)))
                .isInstanceOf(RunObserver.Starting.class);
        var late =
                (RunObserver.Broken) see(job(null), pod("p", waiting("ImagePullBackOff")), null, Duration.ofMinutes(4));
        assertThat(late.reason()).isEqualTo(ConditionReason.ImagePullFailed);
        assertThat(late.message()).contains("spec.image", "bench.image");
        assertThat(((RunObserver.Broken) see(job(null), pod("p", waiting("InvalidImageName")), null, Duration.ZERO))
                        .reason())
                .isEqualTo(ConditionReason.ImagePullFailed);
    }

    @Test
    void aJobThatCreatesNoPodInTimeIsBroken() {
        Job j = job(null);
        j.getMetadata().setCreationTimestamp(CREATED.toString());
        assertThat(see(j, null, null, Duration.ofMinutes(2))).isInstanceOf(RunObserver.Starting.class);
        var b = (RunObserver.Broken) see(j, null, null, Duration.ofMinutes(3));
        assertThat(b.reason()).isEqualTo(ConditionReason.PodNotCreated);
        assertThat(b.message()).contains("within 3m", "ResourceQuota");
    }

    @Test
    void runningGivesTheStartTime() {
        Pod p = pod(
                "p",
                new ContainerStateBuilder()
                        .withNewRunning()
                        .withStartedAt("2026-11-20T10:00:20Z")
                        .endRunning()
                        .build());
        assertThat(see(job(null), p, null, Duration.ofMinutes(1)))
                .isEqualTo(new RunObserver.Running("p", Instant.parse("2026-11-20T10:00:20Z")));
    }

    @Test
    void aCleanExitWithASummaryIsFinished() {
        var f = (RunObserver.Finished)
                see(job(null), pod("p", terminated(0, "Completed", K6SummaryTest.LINE)), "p", Duration.ofMinutes(31));
        assertThat(f.summary().requests()).isEqualTo(180000);
        assertThat(f.k6ThresholdsFailed()).isFalse();
        assertThat(f.line()).isEqualTo(K6SummaryTest.LINE);
    }

    @Test
    void failedK6ThresholdsStillGiveResults() {
        var f = (RunObserver.Finished) see(
                job("BackoffLimitExceeded"),
                pod("p", terminated(99, "Error", K6SummaryTest.LINE)),
                "p",
                Duration.ofMinutes(31));
        assertThat(f.k6ThresholdsFailed()).isTrue();
        assertThat(f.summary().requests()).isEqualTo(180000);
    }

    @Test
    void summaryProblemsEndTheRunWithTheirOwnReason() {
        assertThat(reason(terminated(0, "Completed", null))).isEqualTo(ConditionReason.SummaryMissing);
        String cut = ("{\"v\":1,\"k6Thresholds\":[\"" + "y".repeat(5000)).substring(0, 4096);
        assertThat(reason(terminated(0, "Completed", cut))).isEqualTo(ConditionReason.SummaryTruncated);
        assertThat(reason(terminated(0, "Completed", "not json at all"))).isEqualTo(ConditionReason.SummaryUnreadable);
    }

    @Test
    void scriptErrorsQuoteTheLastLogLine() {
        var b = (RunObserver.Broken) see(
                job("BackoffLimitExceeded"),
                pod(
                        "p",
                        terminated(
                                107,
                                "Error",
                                "some banner\ntime=\"...\" level=error msg=\"GoError: file:///scripts/user.js: Line 5:1 Unexpected end of input\"")),
                "p",
                Duration.ofMinutes(1));
        assertThat(b.reason()).isEqualTo(ConditionReason.ScriptError);
        assertThat(b.message())
                .contains("exit code 107", "Unexpected end of input", "spec.load.script")
                .doesNotContain("banner");
    }

    @Test
    void outOfMemoryAndOtherExits() {
        assertThat(reason(terminated(137, "OOMKilled", null))).isEqualTo(ConditionReason.OOMKilled);
        assertThat(reason(terminated(1, "Error", "panic"))).isEqualTo(ConditionReason.K6Failed);
    }

    @Test
    void theDeadlineWinsOverWhatThePodSays() {
        var b = (RunObserver.Broken)
                see(job("DeadlineExceeded"), pod("p", terminated(105, "Error", "")), "p", Duration.ofMinutes(40));
        assertThat(b.reason()).isEqualTo(ConditionReason.DeadlineExceeded);
        assertThat(b.message()).contains("2100s");
    }

    @Test
    void deletedPodsAndJobs() {
        assertThat(((RunObserver.Broken) see(job(null), null, "p", Duration.ofMinutes(5))).reason())
                .isEqualTo(ConditionReason.PodDeleted);
        Pod deleting = pod(
                "p",
                new ContainerStateBuilder()
                        .withNewRunning()
                        .withStartedAt(CREATED.toString())
                        .endRunning()
                        .build());
        deleting.getMetadata().setDeletionTimestamp(CREATED.plusSeconds(60).toString());
        assertThat(((RunObserver.Broken) see(job(null), deleting, "p", Duration.ofMinutes(1))).reason())
                .isEqualTo(ConditionReason.PodDeleted);
        assertThat(((RunObserver.Broken) see(null, null, "p", Duration.ZERO)).reason())
                .isEqualTo(ConditionReason.JobDeleted);
        assertThat(((RunObserver.Broken) see(job("BackoffLimitExceeded"), null, null, Duration.ZERO)).reason())
                .isEqualTo(ConditionReason.JobFailed);
    }

    private ConditionReason reason(ContainerState state) {
        return ((RunObserver.Broken) see(job(null), pod("p", state), "p", Duration.ofMinutes(31))).reason();
    }
}

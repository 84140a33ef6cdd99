package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.ConditionReason;
import io.costguard.api.ConditionType;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineSpec;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.RecordedBaseline;
import io.costguard.api.WorkloadRef;
import io.costguard.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A status write happens exactly when the status the reconciler decided differs from the one it read, and names only
 * the fields that changed, so a field another writer owns keeps a value written after the read.
 */
@EnableKubernetesMockClient(crud = true)
class StatusUpdateTest {
    KubernetesClient client;
    KubernetesMockServer server;

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    static PerfBaseline resource() {
        PerfBaseline pb = new PerfBaseline();
        pb.setMetadata(new ObjectMetaBuilder()
                .withName("api")
                .withNamespace("team-a")
                .withUid("u1")
                .build());
        PerfBaselineSpec spec = new PerfBaselineSpec();
        spec.workload = new WorkloadRef();
        spec.workload.name = "api";
        pb.setSpec(spec);
        return pb;
    }

    static PerfBaselineStatus status(Map<String, String> selector) {
        PerfBaselineStatus s = new PerfBaselineStatus();
        s.state = "Healthy";
        s.observedGeneration = 3L;
        s.freezeSelector = selector;
        s.conditions = Conditions.with(
                s.conditions, ConditionType.Ready, true, ConditionReason.Valid, "the spec is valid", 3L, NOW);
        return s;
    }

    @Test
    void theSameStatusWritesNothingWhateverOrderItsMapsWereFilledIn() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new HashMap<>(64);
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(StatusUpdate.unchanged(status(ab), status(ba), Set.of())).isTrue();
    }

    @Test
    void anyChangedFieldWritesTheNewStatus() {
        PerfBaselineStatus next = status(Map.of());
        next.conditions = Conditions.with(
                next.conditions, ConditionType.Ready, true, ConditionReason.Valid, "the spec is valid", 4L, NOW);
        assertThat(StatusUpdate.unchanged(status(Map.of()), next, Set.of())).isFalse();
        assertThat(StatusUpdate.unchanged(null, next, Set.of())).isFalse();
    }

    @Test
    void anAppliedStatusLeavesOutTheFieldsAnotherWriterOwnsAndTouchesNotTheStatusGiven() {
        PerfBaselineStatus next = status(Map.of("app", "api"));
        next.recordedBaseline = new RecordedBaseline();
        next.recordedBaseline.latencyP95 = "120ms";
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

        PerfBaselineStatus applied = StatusUpdate.withoutFields(serialization, next, Set.of("recordedBaseline"));

        assertThat(applied.recordedBaseline).isNull();
        assertThat(StatusUpdate.unchanged(next, applied, Set.of("recordedBaseline")))
                .isTrue();
        assertThat(next.recordedBaseline.latencyP95).isEqualTo("120ms");
        assertThat(StatusUpdate.withoutFields(serialization, next, Set.of())).isSameAs(next);
    }

    @Test
    void aFieldAnotherWriterOwnsDoesNotCountAsAChange() {
        PerfBaselineStatus previous = status(Map.of());
        previous.recordedBaseline = new RecordedBaseline();
        previous.recordedBaseline.latencyP95 = "120ms";
        PerfBaselineStatus next = status(Map.of());
        assertThat(StatusUpdate.unchanged(previous, next, Set.of("recordedBaseline")))
                .isTrue();
        assertThat(StatusUpdate.unchanged(previous, next, Set.of())).isFalse();
    }

    @Test
    void theWriteNamesChangedFieldsOnlySoAnotherWritersNewerFieldStaysAndTheSpecIsUntouched() throws Exception {
        PerfBaseline created = client.resource(resource()).create();
        PerfBaselineStatus first = status(Map.of("app", "api"));
        first.lastEvaluated = "2026-12-05T12:00:00Z";
        created.setStatus(first);
        PerfBaseline read = client.resource(created).updateStatus();
        // a BenchRun records a baseline after this reconcile read the object
        PerfBaseline other = client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .get();
        other.getStatus().recordedBaseline = new RecordedBaseline();
        other.getStatus().recordedBaseline.latencyP95 = "120ms";
        client.resource(other).updateStatus();

        PerfBaselineStatus next = status(Map.of("app", "api"));
        next.state = "Regressed";
        next.lastEvaluated = null;
        String ops = StatusUpdate.ops(client.getKubernetesSerialization(), read, next, Set.of("recordedBaseline"));
        assertThat(ops)
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/status/state\",\"value\":\"Regressed\"},"
                        + "{\"op\":\"remove\",\"path\":\"/status/lastEvaluated\"}]");
        int requests = server.getRequestCount();
        PerfBaseline answer = StatusUpdate.send(client, StatusUpdate.target(read, PerfBaseline::new), ops);
        // one request, the patch: no GET of the object before it
        assertThat(server.getRequestCount()).isEqualTo(requests + 1);
        var last = server.getLastRequest();
        assertThat(last.getMethod()).isEqualTo("PATCH");
        assertThat(last.getPath()).isEqualTo("/apis/costguard.io/v1alpha1/namespaces/team-a/perfbaselines/api/status");

        PerfBaseline stored = client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .get();
        assertThat(answer.getMetadata().getResourceVersion())
                .isEqualTo(stored.getMetadata().getResourceVersion());
        assertThat(stored.getStatus().state).isEqualTo("Regressed");
        assertThat(stored.getStatus().lastEvaluated).isNull();
        assertThat(stored.getStatus().freezeSelector).isEqualTo(Map.of("app", "api"));
        assertThat(stored.getStatus().recordedBaseline.latencyP95).isEqualTo("120ms");
        assertThat(stored.getSpec().workload.name).isEqualTo("api");
        assertThat(StatusUpdate.ops(client.getKubernetesSerialization(), stored, next, Set.of("recordedBaseline")))
                .isNull();
    }

    @Test
    void aWriteAgainstAStatusWipedSinceTheReadHealsAtTheNextTryFromTheFreshObject() {
        PerfBaseline created = client.resource(resource()).create();
        PerfBaselineStatus first = status(Map.of("app", "api"));
        first.lastEvaluated = "2026-12-05T12:00:00Z";
        created.setStatus(first);
        PerfBaseline read = client.resource(created).updateStatus();
        // someone removes the whole status after the reconcile read it
        client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .subresource("status")
                .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                        "[{\"op\":\"remove\",\"path\":\"/status\"}]");

        PerfBaselineStatus next = status(Map.of("app", "api"));
        next.state = "Regressed";
        String stale = StatusUpdate.ops(client.getKubernetesSerialization(), read, next, Set.of());
        // a real API server rejects operations on a path that is gone (JOSDK reports it and retries); the mock API
        // applies them leniently and leaves part of the status: either way the next try starts from the fresh object
        try {
            StatusUpdate.send(client, StatusUpdate.target(read, PerfBaseline::new), stale);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException rejected) {
            assertThat(rejected.getCode()).isBetween(400, 599);
        }
        PerfBaseline fresh = client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .get();
        assertThat(StatusUpdate.unchanged(fresh.getStatus(), next, Set.of()))
                .as("the stale write did not leave the wanted status")
                .isFalse();
        StatusUpdate.send(
                client,
                StatusUpdate.target(fresh, PerfBaseline::new),
                StatusUpdate.ops(client.getKubernetesSerialization(), fresh, next, Set.of()));

        PerfBaseline healed = client.resources(PerfBaseline.class)
                .inNamespace("team-a")
                .withName("api")
                .get();
        assertThat(StatusUpdate.unchanged(healed.getStatus(), next, Set.of())).isTrue();
        assertThat(healed.getSpec().workload.name).isEqualTo("api");
    }
}

package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineStatus;
import io.costguard.api.RecordedBaseline;
import io.costguard.kube.Conflicts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recording a baseline while the PerfBaseline reconciler writes the same object's status (expectations, not CRUD). */
@EnableKubernetesMockClient
class BaselineStoreTest {
    static final String PATH = "/apis/costguard.io/v1alpha1/namespaces/team-a/perfbaselines/api";

    KubernetesMockServer server;
    KubernetesClient client;

    static PerfBaseline at(String resourceVersion, String state) {
        PerfBaseline pb = new PerfBaseline();
        pb.setMetadata(new ObjectMetaBuilder()
                .withName("api")
                .withNamespace("team-a")
                .withResourceVersion(resourceVersion)
                .build());
        pb.setStatus(new PerfBaselineStatus());
        pb.getStatus().state = state;
        return pb;
    }

    static Status conflict() {
        return new StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage(
                        "Operation cannot be fulfilled on perfbaselines.costguard.io \"api\": the object has been modified")
                .build();
    }

    static RecordedBaseline recorded() {
        RecordedBaseline r = new RecordedBaseline();
        r.latencyP95 = "210ms";
        r.source = "BenchRun/api-1";
        return r;
    }

    List<RecordedRequest> patches() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest r = server.takeRequest();
            if ("PATCH".equals(r.getMethod())) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aConflictWithTheReconcilersStatusWriteIsReadAgainAndPatchedAgainstTheNewVersion() throws Exception {
        server.expect().get().withPath(PATH).andReturn(200, at("1", "Learning")).once();
        server.expect()
                .patch()
                .withPath(PATH + "/status")
                .andReturn(409, conflict())
                .once();
        server.expect().get().withPath(PATH).andReturn(200, at("2", "Healthy")).once();
        server.expect()
                .patch()
                .withPath(PATH + "/status")
                .andReturn(200, at("3", "Healthy"))
                .once();

        new BaselineStore(client).record("team-a", "api", recorded());

        List<RecordedRequest> patches = patches();
        assertThat(patches).hasSize(2);
        String second = patches.get(1).getBody().readUtf8();
        assertThat(second)
                .contains("\"2\"", "recordedBaseline", "210ms", "BenchRun/api-1")
                .as("the reconciler's own field is neither removed nor rewritten")
                .doesNotContain("Learning", "\"remove\"");
    }

    @Test
    void aConflictThatKeepsComingIsReportedAfterTheLastAttempt() throws Exception {
        server.expect().get().withPath(PATH).andReturn(200, at("1", "Healthy")).always();
        server.expect()
                .patch()
                .withPath(PATH + "/status")
                .andReturn(409, conflict())
                .always();

        assertThatThrownBy(() -> new BaselineStore(client).record("team-a", "api", recorded()))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(patches()).hasSize(Conflicts.ATTEMPTS);
    }

    @Test
    void aDeletedPerfBaselineIsNotRetried() throws Exception {
        server.expect()
                .get()
                .withPath(PATH)
                .andReturn(
                        404,
                        new StatusBuilder().withCode(404).withReason("NotFound").build())
                .always();

        assertThatThrownBy(() -> new BaselineStore(client).record("team-a", "api", recorded()))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(404));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}

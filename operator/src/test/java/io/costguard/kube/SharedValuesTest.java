package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class SharedValuesTest {
    static Deployment deployment(String ns, String name, String app) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace(ns)
                .withName(name)
                .withUid(name + "-uid")
                .withResourceVersion("7")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .withNewTemplate()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/" + name)
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        // through JSON, as from the API server: no string is shared between two parsed objects
        return Serialization.unmarshal(Serialization.asJson(d), Deployment.class);
    }

    @Test
    void workloadsOfOneShapeShareTheirNamespaceSelectorAndContainersButNotTheirIdentity() {
        SharedValues shared = new SharedValues();
        LeanObjects.Workload a = LeanObjects.compact(deployment("team-a", "api", "web"), shared);
        LeanObjects.Workload b = LeanObjects.compact(deployment("team-a", "worker", "web"), shared);

        assertThat(b.namespace()).isSameAs(a.namespace());
        assertThat(b.selector()).isSameAs(a.selector());
        assertThat(b.containers()).isSameAs(a.containers());
        assertThat(b.name()).isEqualTo("worker");
        assertThat(b.uid()).isEqualTo("worker-uid");
        // sharing changes no value: the same record as without it, and it expands to the same lean object
        assertThat(b).isEqualTo(LeanObjects.compact(deployment("team-a", "worker", "web")));
        assertThat(LeanObjects.deployment(b))
                .isEqualTo(LeanObjects.deployment(LeanObjects.compact(deployment("team-a", "worker", "web"))));
    }

    @Test
    void aDifferentShapeIsKeptApart() {
        SharedValues shared = new SharedValues();
        LeanObjects.Workload a = LeanObjects.compact(deployment("team-a", "api", "web"), shared);
        Deployment bigger = deployment("team-b", "api", "api");
        bigger.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests()
                .put("cpu", new Quantity("1"));
        LeanObjects.Workload b = LeanObjects.compact(bigger, shared);

        assertThat(b.namespace()).isEqualTo("team-b");
        assertThat(b.selector()).containsEntry("app", "api");
        assertThat(b.containers().get(0).requests()).containsEntry("cpu", "1");
        assertThat(a.containers().get(0).requests()).containsEntry("cpu", "250m");
    }

    @Test
    void aValueNoObjectHoldsAnyMoreIsDropped() {
        SharedValues shared = new SharedValues();
        List<LeanObjects.Workload> cached = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            cached.add(LeanObjects.compact(deployment("ns-" + i, "api", "app-" + i), shared));
        }
        int held = shared.size();
        assertThat(held).isGreaterThanOrEqualTo(200); // a namespace and a selector per workload at least
        cached.subList(50, 100).clear();
        Awaitility.await().atMost(Waits.FOLLOW_UP).until(() -> {
            System.gc();
            return shared.size() < held;
        });
        assertThat(cached).hasSize(50);
    }
}

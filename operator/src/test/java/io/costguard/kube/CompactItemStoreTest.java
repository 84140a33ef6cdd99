package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.costguard.testing.Waits;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What an informer with a compact store hands its event handlers. */
@EnableKubernetesMockClient(crud = true)
class CompactItemStoreTest {
    KubernetesClient client;

    @Test
    void handlersGetTheLeanObjectTheStoreKeepsNotTheOneAsParsed() {
        String manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                  annotations: {kubectl.kubernetes.io/last-applied-configuration: "%s"}
                spec:
                  selector: {matchLabels: {app: api}}
                  template:
                    spec:
                      containers:
                      - name: app
                        image: app:1
                        env: [{name: MODE, value: fast}]
                        resources: {requests: {cpu: 250m}}
                """.formatted("x".repeat(4000));
        client.apps()
                .deployments()
                .inNamespace("team-a")
                .resource(client.getKubernetesSerialization().unmarshal(manifest, Deployment.class))
                .create();
        CompactItemStore<Deployment, LeanObjects.Workload> store =
                new CompactItemStore<>(LeanObjects::compact, LeanObjects::deployment, LeanObjects::handOn);
        List<Deployment> handed = new CopyOnWriteArrayList<>();
        SharedIndexInformer<Deployment> informer =
                client.apps().deployments().inNamespace("team-a").runnableInformer(0);
        informer.itemStore(store);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                handed.add(d);
            }

            @Override
            public void onUpdate(Deployment before, Deployment after) {}

            @Override
            public void onDelete(Deployment d, boolean unknownFinalState) {}
        });
        try {
            informer.run();
            await().atMost(Waits.FOLLOW_UP).until(() -> handed.size() == 1);
            Deployment d = handed.get(0);
            assertThat(d.getMetadata().getAnnotations()).isNullOrEmpty();
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getEnv())
                    .isNullOrEmpty();
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isNull();
            assertThat(client.getKubernetesSerialization().asJson(d))
                    .isEqualTo(client.getKubernetesSerialization().asJson(store.get("team-a/api")));
            assertThat(d.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getResources()
                            .getRequests())
                    .containsKey("cpu");
        } finally {
            informer.close();
        }
    }
}

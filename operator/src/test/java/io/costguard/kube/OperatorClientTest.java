package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient
class OperatorClientTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void requestsCarryTheUserAgentTheApiServerNamesTheFieldManagerAfter() throws Exception {
        Config config = new ConfigBuilder(client.getConfiguration()).build();
        try (KubernetesClient operator = OperatorClient.build(config)) {
            operator.configMaps().inNamespace("ns").withName("x").get();
        }
        String userAgent = server.getLastRequest().getHeader("User-Agent");
        assertThat(userAgent.substring(0, userAgent.indexOf('/'))).isEqualTo(OperatorClient.FIELD_MANAGER);
    }
}

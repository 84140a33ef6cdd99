package io.costguard.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The operator's Kubernetes client. JSON merge patches and JSON patches carry no field manager; the API server then
 * records the writer in {@code managedFields} under the user agent's product token (the part before "/"), so with the
 * user agent {@code costguard/<version>} every write of the operator is owned by the manager {@code costguard}.
 */
public final class OperatorClient {
    public static final String FIELD_MANAGER = "costguard";

    private OperatorClient() {}

    public static KubernetesClient build(Config config) {
        String version = OperatorClient.class.getPackage().getImplementationVersion();
        config.setUserAgent(FIELD_MANAGER + "/" + (version == null ? "dev" : version));
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}

package io.costguard.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sets up the mock API server the reconciler tests run against: costguard's CRDs as committed, namespaces. */
public final class MockApi {
    private MockApi() {}

    /** Creates the committed CRDs of {@code plurals} (e.g. "costbudgets"), read from crds/. */
    public static void crds(KubernetesClient client, String... plurals) throws IOException {
        for (String plural : plurals) {
            Path file = Path.of(System.getProperty("costguard.crds.dir", "../crds"), plural + ".costguard.io-v1.yml");
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class))
                    .create();
        }
    }

    /** Creates the namespaces {@code names}, without labels. */
    public static void namespaces(KubernetesClient client, String... names) {
        for (String name : names) {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .endMetadata()
                            .build())
                    .create();
        }
    }
}

package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void everyMapGetsTheSameStringForAnObject() {
        // built from strings that are not the same objects, as two reconciles of one object would
        String a = ObjectKeys.of(new String("team-a"), new String("api"));
        String b = ObjectKeys.of(new String("team-a"), new String("api"));
        assertThat(a).isEqualTo("team-a/api").isSameAs(b);
        assertThat(ObjectKeys.of(null, "team-a")).isEqualTo("team-a");
        assertThat(ObjectKeys.of("", "team-a")).isEqualTo("team-a");
    }

    @Test
    void theInformerKeysItsStoreAndIndexesWithThatString() {
        CompactItemStore<ConfigMap, LeanObjects.ConfigMapKeys> store =
                new CompactItemStore<>(LeanObjects::compact, LeanObjects::configMap);
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(new String("team-a"))
                .withName(new String("script"))
                .endMetadata()
                .build();
        assertThat(store.getKey(cm)).isEqualTo("team-a/script").isSameAs(ObjectKeys.of("team-a", "script"));
        assertThat(ObjectKeys.of(
                        null,
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("team-a")
                                .endMetadata()
                                .build()
                                .getMetadata()
                                .getName()))
                .isEqualTo(
                        io.fabric8.kubernetes.client.informers.cache.Cache.metaNamespaceKeyFunc(new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("team-a")
                                .endMetadata()
                                .build()));
    }
}

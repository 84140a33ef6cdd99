package io.costguard.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.costguard.api.PerfBaseline;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scale benchmark's API stand-in answers the fabric8 client (and so JOSDK's informers) as a cluster would. */
class IndexedKubeApiTest {
    IndexedKubeApi api;
    KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        api = new IndexedKubeApi(100);
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(api.url())
                        .withOauthToken("local")
                        .withNamespace("default")
                        .withOnlyHttpWatches(true)
                        .build())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    static ConfigMap configMap(String ns, String name, String team) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels("team", team)
                .endMetadata()
                .addToData("k", "v")
                .build();
    }

    static PerfBaseline baseline(String ns, String name) {
        return Serialization.unmarshal(
                "apiVersion: costguard.io/v1alpha1\nkind: PerfBaseline\nmetadata: {name: " + name + ", namespace: " + ns
                        + "}\nspec:\n  workload: {name: " + name + "}\n  slo: {latencyP95: 300ms}\n",
                PerfBaseline.class);
    }

    @Test
    void pagedListsReturnEveryMatchingObjectOnceWithOneResourceVersion() {
        for (int i = 0; i < 1_200; i++) {
            api.load(configMap("ns-" + (i % 3), "cm-" + i, i % 2 == 0 ? "a" : "b"));
        }
        var first = client.configMaps()
                .inAnyNamespace()
                .list(new ListOptionsBuilder().withLimit(500L).build());
        assertThat(first.getItems()).hasSize(500);
        assertThat(first.getMetadata().getContinue()).isNotEmpty();
        // a write between pages is newer than the list's version, so the watch after the list delivers it
        client.configMaps()
                .inNamespace("ns-0")
                .resource(configMap("ns-0", "late", "a"))
                .create();
        var second = client.configMaps()
                .inAnyNamespace()
                .list(new ListOptionsBuilder()
                        .withLimit(500L)
                        .withContinue(first.getMetadata().getContinue())
                        .build());
        assertThat(second.getMetadata().getResourceVersion())
                .isEqualTo(first.getMetadata().getResourceVersion());
        assertThat(client.configMaps().inAnyNamespace().list().getItems()).hasSize(1_201);
        assertThat(client.configMaps().inNamespace("ns-1").list().getItems()).hasSize(400);
        assertThat(client.configMaps()
                        .inNamespace("ns-1")
                        .withLabel("team", "a")
                        .list()
                        .getItems())
                .hasSize(200)
                .allSatisfy(c -> assertThat(c.getMetadata().getLabels()).containsEntry("team", "a"));
        assertThat(client.configMaps()
                        .inAnyNamespace()
                        .withLabelIn("team", "b")
                        .withoutLabel("missing")
                        .list()
                        .getItems())
                .hasSize(600);
        assertThat(client.configMaps()
                        .inNamespace("ns-2")
                        .withName("cm-5")
                        .get()
                        .getData())
                .containsEntry("k", "v");
        assertThat(client.configMaps().inNamespace("ns-2").withName("cm-6").get())
                .isNull();
    }

    @Test
    void informersSeeCreatesUpdatesAndDeletes() throws Exception {
        api.load(configMap("ns-0", "before", "a"));
        Map<String, String> seen = new ConcurrentHashMap<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps()
                .inNamespace("ns-0")
                .withLabel("team", "a")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap c) {
                        seen.put(c.getMetadata().getName(), "added");
                    }

                    @Override
                    public void onUpdate(ConfigMap before, ConfigMap after) {
                        seen.put(
                                after.getMetadata().getName(),
                                "updated " + after.getData().get("k"));
                    }

                    @Override
                    public void onDelete(ConfigMap c, boolean unknown) {
                        seen.put(c.getMetadata().getName(), "deleted");
                    }
                });
        try {
            assertThat(seen).containsEntry("before", "added");
            client.configMaps()
                    .inNamespace("ns-0")
                    .resource(configMap("ns-0", "new", "a"))
                    .create();
            client.configMaps()
                    .inNamespace("ns-0")
                    .resource(configMap("ns-0", "other-team", "b"))
                    .create();
            client.configMaps()
                    .inNamespace("ns-1")
                    .resource(configMap("ns-1", "elsewhere", "a"))
                    .create();
            client.configMaps().inNamespace("ns-0").withName("before").edit(c -> {
                c.getData().put("k", "w");
                return c;
            });
            client.configMaps().inNamespace("ns-0").withName("new").delete();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!"deleted".equals(seen.get("new")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(seen)
                    .containsEntry("before", "updated w")
                    .containsEntry("new", "deleted")
                    .doesNotContainKeys("other-team", "elsewhere");
            assertThat(informer.getStore().list())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactly("before");
        } finally {
            informer.close();
        }
    }

    @Test
    void statusIsASubresourceAndGenerationMovesWithSpecOnly() {
        client.resources(PerfBaseline.class)
                .inNamespace("ns-0")
                .resource(baseline("ns-0", "w0"))
                .create();
        PerfBaseline read = client.resources(PerfBaseline.class)
                .inNamespace("ns-0")
                .withName("w0")
                .get();
        assertThat(read.getMetadata().getGeneration()).isEqualTo(1L);
        read.setStatus(new io.costguard.api.PerfBaselineStatus());
        read.getStatus().state = "Healthy";
        read.getSpec().workload.name = "ignored-on-status-write";
        PerfBaseline patched = client.resources(PerfBaseline.class)
                .inNamespace("ns-0")
                .resource(read)
                .patchStatus();
        assertThat(patched.getStatus().state).isEqualTo("Healthy");
        assertThat(patched.getSpec().workload.name).isEqualTo("w0");
        assertThat(patched.getMetadata().getGeneration()).isEqualTo(1L);

        PerfBaseline specChange = client.resources(PerfBaseline.class)
                .inNamespace("ns-0")
                .withName("w0")
                .edit(b -> {
                    b.getSpec().workload.name = "w1";
                    b.getStatus().state = "ignored-on-spec-write";
                    return b;
                });
        assertThat(specChange.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(specChange.getStatus().state).isEqualTo("Healthy");

        // a write from a stale copy is refused
        assertThatThrownBy(() -> client.resources(PerfBaseline.class)
                        .inNamespace("ns-0")
                        .resource(patched)
                        .update())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThatThrownBy(() -> client.resources(PerfBaseline.class)
                        .inNamespace("ns-0")
                        .resource(baseline("ns-0", "w0"))
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void aWatchFromAVersionOlderThanTheKeptHistoryIsToldToRelist() throws Exception {
        String old =
                client.configMaps().inNamespace("ns-0").list().getMetadata().getResourceVersion();
        for (int i = 0; i < 150; i++) {
            api.load(configMap("ns-0", "cm-" + i, "a"));
        }
        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (var watch = client.configMaps()
                .inNamespace("ns-0")
                .watch(new ListOptionsBuilder().withResourceVersion(old).build(), new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {}

                    @Override
                    public void onClose(WatcherException cause) {
                        closed.complete(cause);
                    }
                })) {
            assertThat(closed.get(10, TimeUnit.SECONDS).isHttpGone()).isTrue();
        }
        // from a recent version the events after it arrive
        String recent =
                client.configMaps().inNamespace("ns-0").list().getMetadata().getResourceVersion();
        List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = client.configMaps()
                .inNamespace("ns-0")
                .watch(new ListOptionsBuilder().withResourceVersion(recent).build(), new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        names.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            client.configMaps()
                    .inNamespace("ns-0")
                    .resource(configMap("ns-0", "after", "a"))
                    .create();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (names.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(names).containsExactly("ADDED after");
        }
    }
}

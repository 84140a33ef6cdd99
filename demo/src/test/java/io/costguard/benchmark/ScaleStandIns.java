package io.costguard.benchmark;

import io.costguard.api.BenchRun;
import io.costguard.api.CostBudget;
import io.costguard.api.PerfBaseline;
import io.costguard.testing.ScriptedPrometheus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stand-ins of {@link ScaleBenchmark}, in their own process so their CPU is not counted: one Prometheus that
 * answers the compute cost query with 5,000 hourly series ({@link FakePrometheus}'s), the storage cost query with
 * a steady price for one combination in five, and the signal queries of
 * {@code namespaces} × {@code perNamespace} workloads ({@link PerfPrometheusMain}'s, moving a little with every
 * answer as a live workload's do), and the Kubernetes API
 * ({@link IndexedKubeApi}, indexed by name: fabric8's mock server slows with the square of its objects) holding
 * the namespaces, a Deployment per workload (shaped like real ones: probes, env, a last-applied annotation), a
 * ConfigMap per workload, the CostBudgets, the PerfBaselines and the BenchRuns.
 * Usage: ScaleStandIns NAMESPACES PER_NAMESPACE BUDGETS BENCHRUNS. Prints both URLs on one line when loaded.
 */
public final class ScaleStandIns {
    public static void main(String[] args) throws Exception {
        int namespaces = Integer.parseInt(args[0]);
        int perNamespace = Integer.parseInt(args[1]);
        int budgets = Integer.parseInt(args[2]);
        int benchRuns = Integer.parseInt(args[3]);
        // SCALE_PINNED_BASELINES=true: every PerfBaseline pins a latency baseline, so its verdict reads the p95's
        // history over latencyFor (without one only the newest p95 is read)
        boolean pinnedBaselines = Boolean.parseBoolean(System.getenv("SCALE_PINNED_BASELINES"));
        // SCALE_RIGHTSIZING=Off|Recommend|Apply: every PerfBaseline's spec.rightsizing.mode (unset: the default); Off
        // leaves out the week of CPU usage the first performance read spends most of its time on
        String rightsizing = System.getenv("SCALE_RIGHTSIZING");
        // Prometheus answers several queries at once (its --query.max-concurrency is 20 by default)
        ScriptedPrometheus prom = new ScriptedPrometheus(4);
        PerfPrometheusMain.script(prom, namespaces, perNamespace, true);
        List<Map<String, String>> combos = new ArrayList<>();
        Map<Map<String, String>, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < CycleBenchmark.COMBOS; i++) {
            Map<String, String> labels =
                    Serialization.unmarshal("{" + FakePrometheus.labels(i) + "}", LinkedHashMap.class);
            combos.add(labels);
            index.put(labels, i);
        }
        // persistent volumes behind one key combination in SCALE_STORAGE_EVERY (5 unless set; 1 puts one behind every
        // combination), each at its own steady price (capacity times price does not move by the hour); matched
        // before the compute rule, whose text the storage query also holds
        int storageEvery = Integer.parseInt(System.getenv().getOrDefault("SCALE_STORAGE_EVERY", "5"));
        List<Map<String, String>> withVolumes = new ArrayList<>();
        for (int i = 0; i < combos.size(); i += storageEvery) {
            withVolumes.add(combos.get(i));
        }
        prom.range(
                "kube_pod_spec_volumes_persistentvolumeclaims_info",
                withVolumes,
                (labels, t) -> 0.002 + (index.get(labels) % 7) * 0.001);
        // the compute cost query (and node cost, which keeps only the sum)
        prom.range("sum_over_time((", combos, (labels, t) -> FakePrometheus.cost(index.get(labels), t));

        // loaded straight into the indexed API's store: as created through it, but in seconds at 35,000 objects
        IndexedKubeApi kube = new IndexedKubeApi(50_000);
        for (String yaml : io.costguard.demo.Bundled.yamlFiles("costguard/crds")) {
            kube.load(Serialization.unmarshal(yaml, CustomResourceDefinition.class));
        }
        List<String> names = new ArrayList<>(List.of("costguard-system"));
        for (int n = 0; n < Math.max(namespaces, 250); n++) {
            names.add("ns-" + n);
        }
        for (String ns : names) {
            kube.load(new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(ns)
                    .endMetadata()
                    .build());
        }
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            for (int w = 0; w < perNamespace; w++) {
                kube.load(deployment(ns, "w" + w));
                kube.load(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("w" + w + "-config")
                        .withNamespace(ns)
                        .addToLabels("app", "w" + w)
                        .endMetadata()
                        .addToData("application.yaml", "server:\n  port: 8080\n".repeat(40))
                        .build());
                kube.load(Serialization.unmarshal(
                        "apiVersion: costguard.io/v1alpha1\n"
                                + "kind: PerfBaseline\nmetadata: {name: w" + w + ", namespace: " + ns
                                + "}\nspec:\n  workload: {name: w" + w
                                + "}\n  slo: {latencyP95: 300ms}\n"
                                + (pinnedBaselines ? "  baseline: {latencyP95: 240ms}\n" : "")
                                + (rightsizing == null ? "" : "  rightsizing: {mode: \"" + rightsizing + "\"}\n"),
                        PerfBaseline.class));
            }
        }
        for (CostBudget b : CycleBenchmark.budgets().subList(0, budgets)) {
            kube.load(b);
        }
        for (int r = 0; r < benchRuns; r++) {
            String ns = "ns-" + (r % namespaces);
            String name = "run-" + r;
            // waiting for a script ConfigMap nobody has created yet: the state a run polled in every 5 s before
            kube.load(Serialization.unmarshal(
                    "apiVersion: costguard.io/v1alpha1\nkind: BenchRun\nmetadata: {name: " + name
                            + ", namespace: " + ns + "}\nspec:\n"
                            + "  target: {url: 'http://w0:8080/', workload: {name: w0}}\n"
                            + "  load: {script: {configMapRef: {name: k6-" + name
                            + ", key: script.js}}, rate: 10, duration: 1m}\n",
                    BenchRun.class));
        }
        System.out.println(prom.url() + " " + kube.url());
        Thread.currentThread().join();
    }

    /** A Deployment as a cluster holds it: two containers with probes, env and mounts, and kubectl's annotation. */
    static Deployment deployment(String ns, String name) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            env.put("SETTING_" + i, "value-of-setting-" + i + "-for-" + name);
        }
        List<Container> containers = new ArrayList<>();
        for (String container : List.of("app", "sidecar")) {
            ContainerBuilder c = new ContainerBuilder()
                    .withName(container)
                    .withImage("registry.example/" + name + "/" + container + ":1.42.0")
                    .addNewPort()
                    .withContainerPort(8080)
                    .withName("http")
                    .endPort()
                    .withNewReadinessProbe()
                    .withNewHttpGet()
                    .withPath("/ready")
                    .withPort(new IntOrString(8080))
                    .endHttpGet()
                    .endReadinessProbe()
                    .withNewLivenessProbe()
                    .withNewHttpGet()
                    .withPath("/health")
                    .withPort(new IntOrString(8080))
                    .endHttpGet()
                    .endLivenessProbe()
                    .addNewVolumeMount()
                    .withName("config")
                    .withMountPath("/etc/" + container)
                    .endVolumeMount()
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("250m"))
                    .addToRequests("memory", new Quantity("256Mi"))
                    .addToLimits("memory", new Quantity("512Mi"))
                    .endResources();
            env.forEach((k, v) -> c.addNewEnv().withName(k).withValue(v).endEnv());
            containers.add(c.build());
        }
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels(
                        Map.of("app", name, "app.kubernetes.io/part-of", "shop", "tenant", "t1", "team", "team-" + ns))
                .addToAnnotations(
                        "kubectl.kubernetes.io/last-applied-configuration",
                        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                                + "\"metadata\":{\"name\":\"" + name
                                + "\"},\"spec\":{\"template\":{\"spec\":{\"containers\":["
                                + "{\"name\":\"app\"},".repeat(60) + "{}]}}}}")
                .addToAnnotations("deployment.kubernetes.io/revision", "7")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels(Map.of("app", name, "tenant", "t1", "feature", "f1"))
                .endMetadata()
                .withNewSpec()
                .withContainers(containers)
                .addNewVolume()
                .withName("config")
                .withNewConfigMap()
                .withName(name + "-config")
                .endConfigMap()
                .endVolume()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}

package io.costguard.benchmark;

import io.costguard.testing.ScriptedPrometheus;
import io.costguard.testing.ScriptedPrometheus.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus stand-in for {@link PerfCycleBenchmark}, in its own process so its CPU is not counted: per
 * namespace {@code ns-i}, workloads {@code w0..} with two pods each, 15 histogram buckets per pod, two status codes,
 * pod cost, a week of CPU usage at the 5-minute step, memory peaks; and answers to per-workload templates.
 * Also serves the Kubernetes API (namespaces and Deployments). Prints both URLs on the first line.
 */
public final class PerfPrometheusMain {
    static final String[] LE = {
        "0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "+Inf"
    };

    public static void main(String[] args) throws Exception {
        int namespaces = Integer.parseInt(args[0]);
        int perNamespace = Integer.parseInt(args[1]);
        ScriptedPrometheus prom = new ScriptedPrometheus();
        script(prom, namespaces, perNamespace, false);
        // per-workload templates (the fan-out reference): one value each (latency: the same at every step of its range)
        prom.steady("histogram_quantile(", () -> List.of(new Sample(Map.of(), 0.2)));
        prom.instant("/ sum(rate(", () -> List.of(new Sample(Map.of(), 0.002)));
        prom.instant("sum(rate(", () -> List.of(new Sample(Map.of(), 100)));
        // the Kubernetes API stand-in lives here too, so the benchmark's process CPU is the operator's alone
        io.costguard.demo.LocalKubernetes kube = new io.costguard.demo.LocalKubernetes().start();
        var client = kube.client();
        installCrds(kube, client);
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            kube.createNamespaces(client, List.of(ns));
            for (int w = 0; w < perNamespace; w++) {
                client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                                .withNewMetadata()
                                .withName("w" + w)
                                .endMetadata()
                                .withNewSpec()
                                .withReplicas(2)
                                .withNewSelector()
                                .addToMatchLabels("app", "w" + w)
                                .endSelector()
                                .withNewTemplate()
                                .withNewMetadata()
                                .addToLabels("app", "w" + w)
                                .endMetadata()
                                .withNewSpec()
                                .addNewContainer()
                                .withName("app")
                                .withImage("x")
                                .withNewResources()
                                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1"))
                                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                                .endResources()
                                .endContainer()
                                .endSpec()
                                .endTemplate()
                                .endSpec()
                                .build())
                        .create();
            }
        }
        System.out.println(prom.url() + " " + kube.url());
        Thread.currentThread().join();
    }

    static void installCrds(
            io.costguard.demo.LocalKubernetes kube, io.fabric8.kubernetes.client.KubernetesClient client)
            throws java.io.IOException {
        List<io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition> crds = new ArrayList<>();
        for (String yaml : io.costguard.demo.Bundled.yamlFiles("costguard/crds")) {
            crds.add(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    yaml, io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class));
        }
        kube.installCrds(client, crds);
    }

    /**
     * The default signal queries' answers for namespaces {@code ns-0..}, workloads {@code w0..} with two pods each:
     * histogram buckets, request counts, pod cost, a week of CPU usage, memory peaks. With {@code moving}, each answer
     * moves a little from the namespace's previous one, as a live workload's do: request rates by up to ±2 %, the share
     * of requests under 0.1 s between 10 and 20 % (p95 241-242 ms).
     */
    static void script(ScriptedPrometheus prom, int namespaces, int perNamespace, boolean moving) {
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            List<String> pods = new ArrayList<>();
            for (int w = 0; w < perNamespace; w++) {
                pods.add("w" + w + "-6d5f7c8b9-aaaa" + (char) ('a' + 0));
                pods.add("w" + w + "-6d5f7c8b9-bbbb" + (char) ('b' + 0));
            }
            List<Sample> buckets = new ArrayList<>();
            List<Sample> requests = new ArrayList<>();
            List<Sample> cost = new ArrayList<>();
            List<Sample> memory = new ArrayList<>();
            List<Map<String, String>> cpu = new ArrayList<>();
            for (String pod : pods) {
                for (int b = 0; b < LE.length; b++) {
                    // every request within (0.1, 0.25] s
                    buckets.add(new Sample(Map.of("pod", pod, "le", LE[b]), b >= 6 ? 50.0 : 0.0));
                }
                requests.add(new Sample(Map.of("pod", pod, "http_response_status_code", "200"), 49.9));
                requests.add(new Sample(Map.of("pod", pod, "http_response_status_code", "500"), 0.1));
                cost.add(new Sample(Map.of("namespace", ns, "pod", pod), 0.04));
                memory.add(new Sample(Map.of("pod", pod, "container", "app"), 300e6));
                cpu.add(Map.of("pod", pod, "container", "app"));
            }
            java.util.concurrent.atomic.AtomicInteger bucketAnswers = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger countAnswers = new java.util.concurrent.atomic.AtomicInteger();
            prom.steady(
                    "_bucket{namespace=\"" + ns + "\"}",
                    () -> moving ? fastShare(buckets, 0.1 + 0.05 * (bucketAnswers.getAndIncrement() % 3)) : buckets);
            prom.instant(
                    "_count{namespace=\"" + ns + "\"}",
                    () -> moving
                            ? scaled(requests, 1 + 0.01 * (countAnswers.getAndIncrement() * 7 % 5 - 2))
                            : requests);
            prom.instant("kube_pod_container_resource_requests{namespace=\"" + ns + "\"", () -> cost);
            prom.instant("container_memory_working_set_bytes{namespace=\"" + ns + "\"", () -> memory);
            prom.range(
                    "container_cpu_usage_seconds_total{namespace=\"" + ns + "\"",
                    cpu,
                    (labels, t) -> 0.2 + (t / 300 % 12) * 0.02);
        }
    }

    private static List<Sample> scaled(List<Sample> samples, double factor) {
        return samples.stream()
                .map(s -> new Sample(s.labels(), s.value() * factor))
                .toList();
    }

    /** The buckets with {@code share} of each pod's requests at or under 0.1 s instead of none. */
    private static List<Sample> fastShare(List<Sample> buckets, double share) {
        return buckets.stream()
                .map(s -> "0.1".equals(s.labels().get("le")) ? new Sample(s.labels(), 50.0 * share) : s)
                .toList();
    }
}

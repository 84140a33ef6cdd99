package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the Helm chart in {@code helm/costguard} with the real helm binary that
 * {@code scripts/install-tools.sh} puts in {@code .tools/bin/}: it lints strictly, renders with its
 * CRDs, and what it renders is what the operator and a least-privilege install need.
 */
class HelmChartIT {

    private static final Duration HELM_TIMEOUT = Duration.ofSeconds(120);
    private static final String NAMESPACE = "costguard-system";
    private static final String CHART = "helm/costguard";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Path repo;
    private static Path helm;
    private static Path helmHome;

    @BeforeAll
    static void locateHelm() throws IOException {
        repo = Path.of(System.getProperty("costguard.repo", ".."))
                .toAbsolutePath()
                .normalize();
        helm = repo.resolve(".tools/bin/helm");
        if (!Files.isExecutable(helm)) {
            fail(
                    "helm not found at %s: run scripts/install-tools.sh (it installs helm 4 and kubectl "
                            + "into .tools/bin/)",
                    helm);
        }
        if (!Files.isDirectory(repo.resolve(CHART))) {
            fail("chart directory %s not found (system property costguard.repo=%s)", repo.resolve(CHART), repo);
        }
        // keep helm's cache, config and data out of the user's home
        helmHome = Files.createTempDirectory("costguard-helm-it");
    }

    @AfterAll
    static void removeHelmHome() throws IOException {
        if (helmHome == null || !Files.exists(helmHome)) {
            return;
        }
        try (var paths = Files.walk(helmHome)) {
            paths.sorted(Comparator.reverseOrder()).forEach(HelmChartIT::deleteQuietly);
        }
    }

    @Test
    void lintsStrictly() {
        var lint = helm("lint", CHART, "--strict");

        assertThat(lint.exitCode()).as("helm lint --strict failed:%n%s", lint).isZero();
    }

    @Test
    void rendersTheThreeCrds() {
        var crdNames = ofKind(renderDefault(), "CustomResourceDefinition").stream()
                .map(crd -> crd.at("/metadata/name").asText())
                .toList();

        assertThat(crdNames)
                .as("CRDs rendered from helm/costguard/crds (a symlink to the repository's crds/)")
                .contains("costbudgets.costguard.io", "perfbaselines.costguard.io", "benchruns.costguard.io");
    }

    @Test
    void deploymentRunsTheOperatorWithDownwardApiNamespaceAndProbes() {
        var docs = renderDefault();
        var deployment = single(docs, "Deployment");
        var pod = deployment.at("/spec/template/spec");
        var container = pod.at("/containers/0");

        assertThat(texts(container.get("args"))).containsExactly("operator");
        assertThat(env(container, "POD_NAMESPACE")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.namespace");
        assertThat(env(container, "COSTGUARD_CONFIG_FILE").path("value").asText())
                .isEqualTo("/etc/costguard/config.yaml");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(deployment
                        .at("/spec/template/metadata/annotations/checksum~1config")
                        .asText())
                .as("config checksum annotation, so a config change rolls the pods")
                .matches("[0-9a-f]{64}");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(texts(container.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();

        // the config file the operator reads is the chart's ConfigMap, mounted at /etc/costguard
        var configMapName = single(docs, "ConfigMap").at("/metadata/name").asText();
        var configVolume = stream(pod.get("volumes"))
                .filter(v -> configMapName.equals(v.at("/configMap/name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume from ConfigMap " + configMapName));
        assertThat(stream(container.get("volumeMounts"))
                        .filter(m -> m.path("name")
                                .asText()
                                .equals(configVolume.path("name").asText()))
                        .map(m -> m.path("mountPath").asText()))
                .containsExactly("/etc/costguard");
    }

    /**
     * The scale benchmark measured 130-190 MiB of RSS beside the heap (metaspace, code cache, stacks, HTTP clients):
     * the default heap share must leave that much of the memory limit, or the pod is OOM-killed before the JVM sees it.
     */
    @Test
    void theDefaultHeapLeavesRoomForWhatTheJvmNeedsBesideIt() {
        var container = single(renderDefault(), "Deployment").at("/spec/template/spec/containers/0");
        String options = env(container, "JAVA_TOOL_OPTIONS").path("value").asText();
        var percent = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)")
                .matcher(options);
        assertThat(percent.find()).as(options).isTrue();
        String limit = container.at("/resources/limits/memory").asText();
        assertThat(limit).endsWith("Mi");
        double limitMiB = Double.parseDouble(limit.substring(0, limit.length() - 2));
        assertThat(limitMiB * (1 - Double.parseDouble(percent.group(1)) / 100)).isGreaterThanOrEqualTo(190);
        assertThat(container.at("/resources/requests/memory").asText()).isEqualTo(limit);
    }

    /**
     * A JVM option the JVM does not know stops it before costguard starts (a crash loop): the chart's options are
     * handed to this JVM as the pod hands them. The quick compiler only (TieredStopAtLevel=1) is the measured default:
     * at 20,200 objects the optimizing compiler took 33-37 s of the first cycle's CPU (docs/benchmarks.md); so is a
     * smaller young generation (NewRatio=4), which took the steady PerfBaseline cycle in a 384 MiB heap from 2.5-2.8 s
     * to 0.85-1.0 s of CPU.
     */
    @Test
    void theChartsJvmOptionsStartTheJvm() throws Exception {
        var container = single(renderDefault(), "Deployment").at("/spec/template/spec/containers/0");
        String options = env(container, "JAVA_TOOL_OPTIONS").path("value").asText();
        assertThat(options).contains("-XX:TieredStopAtLevel=1").contains("-XX:NewRatio=4");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_TOOL_OPTIONS", options);
        Process jvm = pb.start();
        String out = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).as(out).isZero();
        assertThat(out).contains("Picked up JAVA_TOOL_OPTIONS").doesNotContain("Unrecognized");
    }

    @Test
    void theDefaultImageIsTheOneTheReadmeBuildsAndRunsOnAReadOnlyRoot() throws IOException {
        var appVersion = YAML.readTree(repo.resolve(CHART).resolve("Chart.yaml").toFile())
                .path("appVersion")
                .asText();
        var image = "ghcr.io/costguard/costguard:" + appVersion;
        var pod = single(renderDefault(), "Deployment").at("/spec/template/spec");
        var container = pod.at("/containers/0");
        assertThat(container.path("image").asText()).isEqualTo(image);
        assertThat(Files.readString(repo.resolve("README.md")))
                .as("README's build command tags the chart's default image")
                .contains("docker build -f operator/Dockerfile -t " + image + " .");

        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                .isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt())
                .as("the image's USER")
                .isEqualTo(65532);
        // the one writable path: the JVM's temporary files
        var tmp = stream(container.get("volumeMounts"))
                .filter(m -> m.path("mountPath").asText().equals("/tmp"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at /tmp"));
        assertThat(stream(pod.get("volumes"))
                        .filter(v ->
                                v.path("name").asText().equals(tmp.path("name").asText())))
                .singleElement()
                .satisfies(v -> assertThat(v.has("emptyDir"))
                        .as("/tmp is an emptyDir: %s", v)
                        .isTrue());
    }

    @Test
    void configMapHoldsAParsableConfigFile() throws IOException {
        var config = configFile(renderDefault());

        assertThat(config.at("/prometheus/url").asText()).startsWith("http");
        assertThat(config.at("/leaderElection/enabled").asBoolean()).isTrue();
        assertThat(config.at("/pricing/cpuCoreHour").asDouble()).isEqualTo(0.031611);
        assertThat(config.at("/http/port").asInt()).isEqualTo(8080);
    }

    @Test
    void theOperatorAcceptsTheRenderedConfigFile() throws IOException {
        var text = single(renderDefault(), "ConfigMap").at("/data/config.yaml").asText();
        Path file = Files.writeString(helmHome.resolve("config.yaml"), text);
        io.costguard.config.OperatorConfig config = io.costguard.config.ConfigLoader.load(
                Map.of(io.costguard.config.ConfigLoader.CONFIG_FILE_ENV, file.toString(), "POD_NAMESPACE", NAMESPACE));
        assertThat(config.prometheus().url().toString()).startsWith("http");
        assertThat(config.leaderElection().enabled()).isTrue();
        assertThat(config.pricing().cpuCoreHour()).isEqualTo(0.031611);
        assertThat(config.allocationKeys()).containsExactly("tenant", "feature", "team", "environment");
        assertThat(config.operatorNamespace()).isEqualTo(NAMESPACE);
    }

    @Test
    void rbacIsLeastPrivilegeWithoutWildcards() {
        var docs = renderDefault();
        var roles = new ArrayList<JsonNode>(ofKind(docs, "ClusterRole"));
        roles.addAll(ofKind(docs, "Role"));
        var rules = roles.stream().flatMap(role -> stream(role.get("rules"))).toList();

        assertThat(roles)
                .as("the operator's ClusterRole and Role, the view and edit ClusterRoles for users")
                .hasSize(4);
        assertThat(rules).isNotEmpty();
        for (var rule : rules) {
            for (var field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                assertThat(texts(rule.get(field)))
                        .as("%s of rule %s", field, rule)
                        .noneMatch(value -> value.contains("*"));
            }
        }

        var clusterRole = named(docs, "ClusterRole", "t-costguard");
        assertThat(grants(clusterRole, "costguard.io", "costbudgets/status", "patch"))
                .as("ClusterRole lets the operator patch CostBudget status")
                .isTrue();
        assertThat(grants(clusterRole, "costguard.io", "benchruns", "watch")).isTrue();
        assertThat(grants(clusterRole, "", "namespaces", "list")).isTrue();
        for (String scalable : List.of("deployments", "statefulsets", "replicasets")) {
            assertThat(grants(clusterRole, "apps", scalable, "watch"))
                    .as("the webhook's cache of %s for /scale", scalable)
                    .isTrue();
        }
        assertThat(grants(clusterRole, "argoproj.io", "rollouts", "watch")).isTrue();
        assertThat(grants(clusterRole, "coordination.k8s.io", "leases", "create"))
                .as("leases are granted in the release namespace only")
                .isFalse();

        // JOSDK's start-up check wants one rule with get, create and update on leases
        var role = single(docs, "Role");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
        assertThat(stream(role.get("rules"))
                        .filter(r -> texts(r.get("apiGroups")).contains("coordination.k8s.io")
                                && texts(r.get("resources")).contains("leases"))
                        .map(r -> texts(r.get("verbs"))))
                .anySatisfy(verbs -> assertThat(verbs).contains("get", "create", "update"));
    }

    @Test
    void theWebhookIsWiredToTheOperatorInEveryCertificateMode() throws IOException {
        var docs = renderDefault();
        var webhook = single(docs, "ValidatingWebhookConfiguration");
        var service = ofKind(docs, "Service").stream()
                .filter(x -> x.at("/metadata/name").asText().endsWith("-webhook"))
                .findFirst()
                .orElseThrow();
        var container = single(docs, "Deployment").at("/spec/template/spec/containers/0");
        assertThat(stream(webhook.get("webhooks")).map(w -> w.path("name").asText()))
                .containsExactly("workloads.costguard.io", "resources.costguard.io");
        for (JsonNode w : webhook.get("webhooks")) {
            assertThat(w.at("/clientConfig/service/name").asText())
                    .isEqualTo(service.at("/metadata/name").asText());
            assertThat(w.at("/clientConfig/service/path").asText()).isEqualTo("/validate");
            assertThat(texts(w.get("admissionReviewVersions"))).containsExactly("v1");
            assertThat(w.path("failurePolicy").asText()).isEqualTo("Ignore");
        }
        assertThat(texts(webhook.at("/webhooks/0/namespaceSelector/matchExpressions/0/values")))
                .contains("kube-system", NAMESPACE);
        assertThat(stream(webhook.at("/webhooks/0/rules")).flatMap(r -> texts(r.get("resources")).stream()))
                .as("kubectl scale is judged")
                .contains("deployments/scale", "statefulsets/scale", "replicasets/scale", "rollouts/scale");
        assertThat(stream(container.get("ports")).map(p -> p.path("name").asText()))
                .contains("webhook");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("webhook");

        // the operator reads the chart's env and config as the objects it renders expect
        var text = single(docs, "ConfigMap").at("/data/config.yaml").asText();
        Path file = Files.writeString(helmHome.resolve("config-webhook.yaml"), text);
        Map<String, String> env = new java.util.HashMap<>(
                Map.of(io.costguard.config.ConfigLoader.CONFIG_FILE_ENV, file.toString(), "POD_NAMESPACE", NAMESPACE));
        for (String name : List.of(
                "COSTGUARD_WEBHOOK_ENABLED",
                "COSTGUARD_WEBHOOK_PORT",
                "COSTGUARD_WEBHOOK_SERVICE",
                "COSTGUARD_WEBHOOK_CONFIGURATION",
                "COSTGUARD_WEBHOOK_CERT_SECRET",
                "COSTGUARD_WEBHOOK_CERT_MODE")) {
            env.put(name, env(container, name).path("value").asText());
        }
        var config = io.costguard.config.ConfigLoader.load(env).webhook();
        assertThat(config.enabled()).isTrue();
        assertThat(config.serviceName()).isEqualTo(service.at("/metadata/name").asText());
        assertThat(config.webhookConfigurationName())
                .isEqualTo(webhook.at("/metadata/name").asText());
        assertThat(config.certificateMode()).isEqualTo(io.costguard.config.OperatorConfig.CertificateMode.generate);
        assertThat(config.labelMode())
                .as("the chart installs the label rule in Warn")
                .isEqualTo("Warn");
        assertThat(config.breakGlassMaxAge()).isEqualTo(Duration.ofHours(1));
        var role = single(docs, "Role");
        assertThat(stream(role.get("rules"))
                        .filter(r -> texts(r.get("resources")).contains("secrets"))
                        .flatMap(r -> texts(r.get("resourceNames")).stream()))
                .contains(config.secretName());

        var cm = helm(
                "template", "t", CHART, "--namespace", NAMESPACE, "--set", "webhook.certificates.mode=certManager");
        assertThat(cm.exitCode()).as("helm template failed:%n%s", cm).isZero();
        var cmDocs = parse(cm.stdout());
        var certificate = single(cmDocs, "Certificate");
        assertThat(single(cmDocs, "ValidatingWebhookConfiguration")
                        .at("/metadata/annotations")
                        .path("cert-manager.io/inject-ca-from")
                        .asText())
                .isEqualTo(NAMESPACE + "/" + certificate.at("/metadata/name").asText());
        var cmContainer = single(cmDocs, "Deployment").at("/spec/template/spec/containers/0");
        assertThat(env(cmContainer, "COSTGUARD_WEBHOOK_CERT_MODE").path("value").asText())
                .isEqualTo("files");
        assertThat(stream(single(cmDocs, "Deployment").at("/spec/template/spec/volumes"))
                        .filter(v -> v.path("name").asText().equals("webhook-tls"))
                        .map(v -> v.at("/secret/secretName").asText()))
                .containsExactly(certificate.at("/spec/secretName").asText());
        var cmService = ofKind(cmDocs, "Service").stream()
                .filter(x -> x.at("/metadata/name").asText().endsWith("-webhook"))
                .findFirst()
                .orElseThrow();
        assertThat(texts(certificate.at("/spec/dnsNames")))
                .contains(cmService.at("/metadata/name").asText() + "." + NAMESPACE + ".svc");

        var missingCa =
                helm("template", "t", CHART, "--namespace", NAMESPACE, "--set", "webhook.certificates.mode=secret");
        assertThat(missingCa.exitCode()).isNotZero();
        assertThat(missingCa.stderr()).contains("webhook.certificates.caBundle");
    }

    @Test
    void prometheusSettingsReachTheRenderedConfig() throws IOException {
        var render = helm(
                "template",
                "t",
                CHART,
                "--namespace",
                NAMESPACE,
                "--set",
                "config.prometheus.url=http://x:9090",
                "--set",
                "config.prometheus.headers.X-Scope-OrgID=t1");
        assertThat(render.exitCode()).as("helm template failed:%n%s", render).isZero();

        var config = configFile(parse(render.stdout()));

        assertThat(config.at("/prometheus/url").asText()).isEqualTo("http://x:9090");
        assertThat(config.at("/prometheus/headers/X-Scope-OrgID").asText()).isEqualTo("t1");
    }

    @Test
    void prometheusBasicAuthMountsTheSecretAndPointsTheOperatorAtItsKeys() {
        var plain = single(renderDefault(), "Deployment").at("/spec/template/spec");
        assertThat(stream(plain.get("volumes")).map(v -> v.path("name").asText()))
                .doesNotContain("prometheus-basic-auth");

        var render = helm(
                "template",
                "t",
                CHART,
                "--namespace",
                NAMESPACE,
                "--set",
                "prometheusBasicAuth.secretName=mimir-auth",
                "--set",
                "prometheusBasicAuth.passwordKey=token");
        assertThat(render.exitCode()).as("helm template failed:%n%s", render).isZero();
        var pod = single(parse(render.stdout()), "Deployment").at("/spec/template/spec");
        var volume = stream(pod.get("volumes"))
                .filter(v -> "prometheus-basic-auth".equals(v.path("name").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.at("/secret/secretName").asText()).isEqualTo("mimir-auth");
        assertThat(stream(volume.at("/secret/items"))
                        .map(i -> i.path("key").asText() + "->" + i.path("path").asText()))
                .containsExactly("username->username", "token->password");
        var container = pod.at("/containers/0");
        var mount = stream(container.get("volumeMounts"))
                .filter(m -> "prometheus-basic-auth".equals(m.path("name").asText()))
                .findFirst()
                .orElseThrow();
        assertThat(env(container, "COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE")
                        .path("value")
                        .asText())
                .isEqualTo(mount.path("mountPath").asText() + "/username");
        assertThat(env(container, "COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE")
                        .path("value")
                        .asText())
                .isEqualTo(mount.path("mountPath").asText() + "/password");
    }

    @Test
    void serviceMonitorOnlyWhenEnabled() {
        assertThat(ofKind(renderDefault(), "ServiceMonitor"))
                .as("ServiceMonitor by default")
                .isEmpty();

        var render = helm("template", "t", CHART, "--namespace", NAMESPACE, "--set", "serviceMonitor.enabled=true");
        assertThat(render.exitCode()).as("helm template failed:%n%s", render).isZero();
        var docs = parse(render.stdout());
        var serviceMonitor = single(docs, "ServiceMonitor");

        assertThat(serviceMonitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(serviceMonitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(serviceMonitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        // it selects the chart's Service, which exposes the port it scrapes
        var service = ofKind(docs, "Service").stream()
                .filter(x -> !x.at("/metadata/name").asText().endsWith("-webhook"))
                .findFirst()
                .orElseThrow();
        assertThat(stream(service.at("/spec/ports")).map(p -> p.path("name").asText()))
                .contains("http");
        serviceMonitor
                .at("/spec/selector/matchLabels")
                .properties()
                .forEach(label -> assertThat(service.at("/metadata/labels")
                                .path(label.getKey())
                                .asText())
                        .as("Service label %s", label.getKey())
                        .isEqualTo(label.getValue().asText()));
    }

    @Test
    void labelRuleIsInstalledInWarnAndEnforceIsOneValue() throws IOException {
        assertThat(configFile(renderDefault()).at("/webhook/labels/mode").asText())
                .isEqualTo("Warn");

        var enforce = render("--set", "config.webhook.labels.mode=Enforce");
        assertThat(configFile(enforce).at("/webhook/labels/mode").asText()).isEqualTo("Enforce");
    }

    @Test
    void usersGetViewAndEditOfTheThreeKindsThroughAggregatedRoles() {
        var docs = renderDefault();
        var view = named(docs, "ClusterRole", "t-costguard-view");
        var edit = named(docs, "ClusterRole", "t-costguard-edit");
        String aggregate = "rbac.authorization.k8s.io/aggregate-to-";

        assertThat(view.at("/metadata/labels").path(aggregate + "view").asText())
                .isEqualTo("true");
        assertThat(view.at("/metadata/labels").path(aggregate + "edit").asText())
                .isEqualTo("true");
        assertThat(view.at("/metadata/labels").path(aggregate + "admin").asText())
                .isEqualTo("true");
        assertThat(edit.at("/metadata/labels").path(aggregate + "edit").asText())
                .isEqualTo("true");
        assertThat(edit.at("/metadata/labels").path(aggregate + "admin").asText())
                .isEqualTo("true");
        assertThat(edit.at("/metadata/labels").has(aggregate + "view"))
                .as("viewers do not write")
                .isFalse();
        for (String kind : List.of("costbudgets", "perfbaselines", "benchruns")) {
            for (String verb : List.of("get", "list", "watch")) {
                assertThat(grants(view, "costguard.io", kind, verb))
                        .as("view %s %s", verb, kind)
                        .isTrue();
            }
            assertThat(grants(view, "costguard.io", kind + "/status", "get"))
                    .as("view %s/status", kind)
                    .isTrue();
            assertThat(grants(view, "costguard.io", kind, "create")).isFalse();
            for (String verb : List.of("create", "update", "patch", "delete")) {
                assertThat(grants(edit, "costguard.io", kind, verb))
                        .as("edit %s %s", verb, kind)
                        .isTrue();
            }
            assertThat(grants(edit, "costguard.io", kind + "/status", "patch"))
                    .as("status is the operator's: users do not write %s/status", kind)
                    .isFalse();
        }

        var off = render("--set", "rbac.aggregateToDefaultRoles=false");
        assertThat(ofKind(off, "ClusterRole").stream()
                        .map(r -> r.at("/metadata/name").asText()))
                .containsExactly("t-costguard");
    }

    @Test
    void networkPolicyOnlyWhenEnabledAdmitsTheApiServerToTheWebhookAndPrometheusToMetrics() {
        assertThat(ofKind(renderDefault(), "NetworkPolicy"))
                .as("NetworkPolicy by default")
                .isEmpty();

        var docs = render(
                "--set",
                "networkPolicy.enabled=true",
                "--set",
                "networkPolicy.apiServer.cidrs={10.0.0.0/24,172.18.0.2/32}",
                "--set",
                "networkPolicy.prometheus.namespaceSelector.matchLabels.name=obs");
        var policy = single(docs, "NetworkPolicy");
        var pod = single(docs, "Deployment").at("/spec/template");
        policy.at("/spec/podSelector/matchLabels")
                .properties()
                .forEach(label -> assertThat(
                                pod.at("/metadata/labels").path(label.getKey()).asText())
                        .as("pod label %s", label.getKey())
                        .isEqualTo(label.getValue().asText()));
        assertThat(texts(policy.at("/spec/policyTypes"))).containsExactly("Ingress");
        var rules = policy.at("/spec/ingress");
        assertThat(rules).hasSize(2);
        assertThat(rules.at("/0/ports/0/port").asInt())
                .as("the webhook's container port")
                .isEqualTo(8443);
        assertThat(stream(rules.at("/0/from")).map(p -> p.at("/ipBlock/cidr").asText()))
                .containsExactly("10.0.0.0/24", "172.18.0.2/32");
        assertThat(rules.at("/1/ports/0/port").asInt()).as("the metrics port").isEqualTo(8080);
        assertThat(rules.at("/1/from")).hasSize(1);
        assertThat(rules.at("/1/from/0/namespaceSelector/matchLabels/name").asText())
                .isEqualTo("obs");
        assertThat(rules.at("/1/from/0/podSelector/matchLabels/app.kubernetes.io~1name")
                        .asText())
                .isEqualTo("prometheus");

        var noCidrs = helm("template", "t", CHART, "--namespace", NAMESPACE, "--set", "networkPolicy.enabled=true");
        assertThat(noCidrs.exitCode())
                .as("a policy that would cut the API server off the webhook")
                .isNotZero();
        assertThat(noCidrs.stderr()).contains("networkPolicy.apiServer.cidrs");

        var withoutWebhook = render("--set", "networkPolicy.enabled=true", "--set", "webhook.enabled=false");
        assertThat(single(withoutWebhook, "NetworkPolicy").at("/spec/ingress"))
                .as("metrics only")
                .hasSize(1);
    }

    @Test
    void replicasPreferDifferentNodesUnlessAffinityIsSet() {
        var deployment = single(renderDefault(), "Deployment");
        var pod = deployment.at("/spec/template");
        var term = pod.at(
                "/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(term.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.at("/labelSelector/matchLabels").properties()).isNotEmpty();
        term.at("/labelSelector/matchLabels")
                .properties()
                .forEach(label -> assertThat(
                                pod.at("/metadata/labels").path(label.getKey()).asText())
                        .as("pod label %s", label.getKey())
                        .isEqualTo(label.getValue().asText()));
        assertThat(pod.at("/spec/affinity/podAntiAffinity").has("requiredDuringSchedulingIgnoredDuringExecution"))
                .as("preferred, so a one-node cluster still runs both replicas")
                .isFalse();

        var own = render(
                "--set",
                "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight=1",
                "--set",
                "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].key=pool",
                "--set",
                "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].operator=Exists");
        var ownAffinity = single(own, "Deployment").at("/spec/template/spec/affinity");
        assertThat(ownAffinity.has("nodeAffinity")).isTrue();
        assertThat(ownAffinity.has("podAntiAffinity"))
                .as("affinity replaces the default")
                .isFalse();

        var one = render("--set", "replicaCount=1", "--set", "config.leaderElection.enabled=false");
        assertThat(single(one, "Deployment").at("/spec/template/spec").has("affinity"))
                .isFalse();
    }

    /**
     * Every object the chart renders, under each value set below, against the OpenAPI schemas of
     * Kubernetes v1.36 (kubernetes-models), the Prometheus Operator and cert-manager, through
     * scripts/validate-manifests.mjs. It fails on an invalid object and on a kind it has no schema for.
     */
    @Test
    void everyRenderedManifestValidatesAgainstTheKubernetesOpenApiSchemas() throws IOException {
        Map<String, List<String>> valueSets = new java.util.LinkedHashMap<>();
        valueSets.put("defaults", List.of("--include-crds"));
        valueSets.put(
                "everything on, certManager",
                List.of(
                        "--set",
                        "webhook.certificates.mode=certManager",
                        "--set",
                        "serviceMonitor.enabled=true",
                        "--set",
                        "prometheusRule.enabled=true",
                        "--set",
                        "dashboard.enabled=true",
                        "--set",
                        "networkPolicy.enabled=true",
                        "--set",
                        "networkPolicy.apiServer.cidrs={10.0.0.0/24}",
                        "--set",
                        "networkPolicy.extraIngress[0].ports[0].port=8080",
                        "--set",
                        "networkPolicy.extraIngress[0].from[0].ipBlock.cidr=192.168.0.0/16",
                        "--set",
                        "prometheusBasicAuth.secretName=mimir-auth",
                        "--set",
                        "image.digest=sha256:" + "a".repeat(64)));
        valueSets.put(
                "certManager with an issuer",
                List.of(
                        "--set",
                        "webhook.certificates.mode=certManager",
                        "--set",
                        "webhook.certificates.certManager.issuerRef.name=ca",
                        "--set",
                        "webhook.certificates.certManager.issuerRef.kind=ClusterIssuer"));
        valueSets.put(
                "secret",
                List.of(
                        "--set",
                        "webhook.certificates.mode=secret",
                        "--set",
                        "webhook.certificates.secretName=tls",
                        "--set",
                        "webhook.certificates.caBundle="
                                + java.util.Base64.getEncoder().encodeToString("ca".getBytes(StandardCharsets.UTF_8))));
        valueSets.put(
                "one replica, no webhook, no user roles",
                List.of(
                        "--set",
                        "replicaCount=1",
                        "--set",
                        "config.leaderElection.enabled=false",
                        "--set",
                        "webhook.enabled=false",
                        "--set",
                        "rbac.aggregateToDefaultRoles=false",
                        "--set",
                        "networkPolicy.enabled=true"));

        for (var set : valueSets.entrySet()) {
            var args = new ArrayList<>(List.of("template", "t", CHART, "--namespace", NAMESPACE));
            args.addAll(set.getValue());
            var render = helm(args.toArray(String[]::new));
            assertThat(render.exitCode())
                    .as("helm template (%s) failed:%n%s", set.getKey(), render)
                    .isZero();
            var validation = validateManifests(render.stdout());
            assertThat(validation.exitCode())
                    .as("rendered manifests (%s) against the Kubernetes OpenAPI schemas:%n%s", set.getKey(), validation)
                    .isZero();
            assertThat(validation.stdout())
                    .as("%s", set.getKey())
                    .contains("validated " + parse(render.stdout()).size()
                            + " objects: 0 invalid, kinds without a schema: none");
        }

        // the validator rejects what the API server would: a string port, an unknown Service type
        var broken = validateManifests("""
        apiVersion: v1
        kind: Service
        metadata: {name: x}
        spec:
          type: Internal
          ports: [{port: "443"}]
        """);
        assertThat(broken.exitCode()).as("%s", broken).isEqualTo(1);
        assertThat(broken.stdout())
                .contains(
                        "/spec/ports/0/port must be integer", "/spec/type must be equal to one of the allowed values");
        var unknownKind = validateManifests("apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: y}\n");
        assertThat(unknownKind.exitCode())
                .as("a kind without a schema is not passed silently:%n%s", unknownKind)
                .isEqualTo(3);
    }

    /**
     * The OpenAPI schemas allow unknown fields, so a misspelt one (podAntiAfinity, matchLabel) would pass
     * them and be dropped by the API server. fabric8's typed models, read by apiVersion and kind, keep
     * every field they do not know in additionalProperties: none may be there.
     */
    @Test
    void noRenderedObjectCarriesAFieldItsKindDoesNotHave() {
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        var docs = new ArrayList<>(renderDefault());
        docs.addAll(render(
                "--set",
                "networkPolicy.enabled=true",
                "--set",
                "networkPolicy.apiServer.cidrs={10.0.0.0/24}",
                "--set",
                "prometheusBasicAuth.secretName=s",
                "--set",
                "webhook.certificates.mode=certManager"));
        int typed = 0;
        for (JsonNode doc : docs) {
            Object object = serialization.unmarshal(doc.toString());
            if (object instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
                continue; // cert-manager and Prometheus Operator kinds: no typed model here
            }
            typed++;
            var unknown = new ArrayList<String>();
            unknownFields(object, "", unknown);
            assertThat(unknown)
                    .as(
                            "fields %s %s does not have",
                            doc.path("kind").asText(), doc.at("/metadata/name").asText())
                    .isEmpty();
        }
        assertThat(typed).as("objects read as typed models").isGreaterThan(15);

        var misspelt = new ArrayList<String>();
        unknownFields(
                serialization.unmarshal(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"x\"},"
                                + "\"spec\":{\"selectr\":{\"a\":\"b\"},\"ports\":[{\"port\":80,\"targetPort\":\"http\",\"prot\":\"TCP\"}]}}"),
                "",
                misspelt);
        assertThat(misspelt).containsExactlyInAnyOrder("/spec/selectr", "/spec/ports/0/prot");
    }

    private static void unknownFields(Object value, String path, List<String> found) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "/" + i, found);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "/" + key, found));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (var method : value.getClass().getMethods()) {
            if (method.getParameterCount() != 0
                    || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = method.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot read " + method + " at " + path, e);
            }
            String name = method.getName().substring(3);
            // JSONSchemaProps (in CRDs) has a real additionalProperties field, a schema, not a map
            if (name.equals("AdditionalProperties") && child instanceof Map<?, ?>) {
                ((Map<?, ?>) child).keySet().forEach(key -> found.add(path + "/" + key));
            } else {
                unknownFields(child, path + "/" + Character.toLowerCase(name.charAt(0)) + name.substring(1), found);
            }
        }
    }

    private static Result validateManifests(String yaml) throws IOException {
        Path file = Files.createTempFile(helmHome, "rendered", ".yaml");
        Files.writeString(file, yaml);
        if (!Files.isDirectory(repo.resolve(".tools/npm/node_modules/kubernetes-models"))) {
            fail(
                    "kubernetes-models not found in %s: run scripts/install-tools.sh",
                    repo.resolve(".tools/npm/node_modules"));
        }
        return run(
                List.of("node", repo.resolve("scripts/validate-manifests.mjs").toString(), file.toString()),
                HELM_TIMEOUT);
    }

    @Test
    void grafanaDashboardConfigMapOnlyWhenEnabled() throws IOException {
        assertThat(ofKind(renderDefault(), "ConfigMap"))
                .as("only the config ConfigMap by default")
                .allSatisfy(cm -> assertThat(cm.at("/metadata/labels").has("grafana_dashboard"))
                        .isFalse())
                .noneSatisfy(
                        cm -> assertThat(cm.path("data").has("costguard.json")).isTrue());

        var render = helm(
                "template",
                "t",
                CHART,
                "--namespace",
                NAMESPACE,
                "--set",
                "dashboard.enabled=true",
                "--set",
                "dashboard.namespace=monitoring");
        assertThat(render.exitCode()).as("helm template failed:%n%s", render).isZero();
        var dashboards = ofKind(parse(render.stdout()), "ConfigMap").stream()
                .filter(cm -> cm.path("data").has("costguard.json"))
                .toList();
        assertThat(dashboards).hasSize(1);
        var cm = dashboards.get(0);
        assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(cm.at("/metadata/namespace").asText()).isEqualTo("monitoring");
        // the chart's file, unchanged
        assertThat(new ObjectMapper().readTree(cm.at("/data/costguard.json").asText()))
                .isEqualTo(new ObjectMapper()
                        .readTree(repo.resolve(CHART)
                                .resolve("dashboards/costguard.json")
                                .toFile()));
    }

    // --- rendering and parsing ---------------------------------------------------------------------

    private static List<JsonNode> defaultRender;

    private static synchronized List<JsonNode> renderDefault() {
        if (defaultRender == null) {
            var render = helm("template", "t", CHART, "--namespace", NAMESPACE, "--include-crds");
            assertThat(render.exitCode())
                    .as("helm template --include-crds failed:%n%s", render)
                    .isZero();
            defaultRender = parse(render.stdout());
        }
        return defaultRender;
    }

    private static List<JsonNode> render(String... setArgs) {
        var args = new ArrayList<>(List.of("template", "t", CHART, "--namespace", NAMESPACE));
        args.addAll(List.of(setArgs));
        var render = helm(args.toArray(String[]::new));
        assertThat(render.exitCode()).as("helm template failed:%n%s", render).isZero();
        return parse(render.stdout());
    }

    private static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream()
                .filter(doc -> name.equals(doc.at("/metadata/name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private static List<JsonNode> parse(String multiDocumentYaml) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(multiDocumentYaml)) {
            return docs.readAll().stream()
                    .filter(doc -> doc != null && doc.isObject())
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("helm output is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream()
                .filter(doc -> kind.equals(doc.path("kind").asText()))
                .toList();
    }

    private static JsonNode single(List<JsonNode> docs, String kind) {
        var found = ofKind(docs, kind);
        assertThat(found).as("rendered objects of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    private static JsonNode configFile(List<JsonNode> docs) throws IOException {
        var text = single(docs, "ConfigMap").at("/data/config.yaml").asText();
        assertThat(text).as("ConfigMap data config.yaml").isNotBlank();
        return YAML.readTree(text);
    }

    private static JsonNode env(JsonNode container, String name) {
        return stream(container.get("env"))
                .filter(e -> name.equals(e.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("container has no env " + name));
    }

    private static boolean grants(JsonNode role, String apiGroup, String resource, String verb) {
        return stream(role.get("rules"))
                .anyMatch(rule -> texts(rule.get("apiGroups")).contains(apiGroup)
                        && texts(rule.get("resources")).contains(resource)
                        && texts(rule.get("verbs")).contains(verb));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        if (array == null || !array.isArray()) {
            return Stream.empty();
        }
        var items = new ArrayList<JsonNode>();
        array.forEach(items::add);
        return items.stream();
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }

    // --- running helm ------------------------------------------------------------------------------

    private record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs helm in the repository root; stdout and stderr are kept apart (helm logs to stderr). */
    private static Result helm(String... args) {
        var command = new ArrayList<String>();
        command.add(helm.toString());
        command.addAll(List.of(args));
        return run(command, HELM_TIMEOUT);
    }

    private static Result run(List<String> command, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("costguard-helm", ".out");
            err = Files.createTempFile("costguard-helm", ".err");
            var builder = new ProcessBuilder(command)
                    .directory(repo.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment()
                    .putAll(Map.of(
                            "HELM_CACHE_HOME", helmHome.resolve("cache").toString(),
                            "HELM_CONFIG_HOME", helmHome.resolve("config").toString(),
                            "HELM_DATA_HOME", helmHome.resolve("data").toString()));
            var process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }
}

package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.CostBudgetStatus;
import io.costguard.demo.LocalKubernetes;
import io.costguard.kube.EventRecorder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the local Kubernetes API of the embedded run, as the README tells users to use it. */
class KubectlIT {
    @TempDir
    static Path work;

    static Path repo;
    static LocalKubernetes kube;
    static KubernetesClient client;
    static Path kubeconfig;

    @BeforeAll
    static void start() throws Exception {
        repo = Path.of(System.getProperty("costguard.repo", ".."))
                .toAbsolutePath()
                .normalize();
        if (!Files.isExecutable(repo.resolve(".tools/bin/kubectl"))) {
            fail("kubectl not found in .tools/bin: run scripts/install-tools.sh");
        }
        kube = new LocalKubernetes().start();
        client = kube.client();
        kube.createNamespaces(client, List.of("team-alpha"));
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String f : List.of(
                "costbudgets.costguard.io-v1.yml",
                "perfbaselines.costguard.io-v1.yml",
                "benchruns.costguard.io-v1.yml")) {
            crds.add(Serialization.unmarshal(
                    Files.readString(repo.resolve("crds").resolve(f)), CustomResourceDefinition.class));
        }
        kube.installCrds(client, crds);
        CostBudget b = new CostBudget();
        b.setMetadata(new ObjectMetaBuilder()
                .withName("tenant-alpha-prod")
                .withNamespace("team-alpha")
                .build());
        b.setSpec(new CostBudgetSpec());
        b.getSpec().amount = "12400.00";
        CostBudget created = client.resource(b).create();
        CostBudgetStatus s = new CostBudgetStatus();
        s.spent = "8650.12";
        s.used = "69%";
        s.usedPercent = 69;
        s.state = "Warning";
        created.setStatus(s);
        created = client.resource(created).updateStatus();
        new EventRecorder(client, "test")
                .once(
                        created,
                        "threshold-70",
                        EventRecorder.Type.Warning,
                        "BudgetThresholdCrossed",
                        "spent 8650.12 of 12400.00 USD (69%), crossing the 70% threshold",
                        Instant.now());
        CostBudget other = new CostBudget();
        other.setMetadata(new ObjectMetaBuilder()
                .withName("other")
                .withNamespace("team-alpha")
                .build());
        other.setSpec(new CostBudgetSpec());
        other.getSpec().amount = "1.00";
        new EventRecorder(client, "test")
                .once(
                        client.resource(other).create(),
                        "x",
                        EventRecorder.Type.Normal,
                        "Unrelated",
                        "not mine",
                        Instant.now());
        kubeconfig = kube.writeKubeconfig(work.resolve("kubeconfig"), "team-alpha");
    }

    @AfterAll
    static void stop() {
        client.close();
        kube.close();
    }

    @Test
    void getWithTheDesignColumns() throws Exception {
        String out = kubectl(
                "get",
                "costbudgets",
                "-o",
                "custom-columns=NAME:.metadata.name,SPENT:.status.spent,BUDGET:.spec.amount,USED:.status.used,STATE:.status.state");
        assertThat(out).containsPattern("tenant-alpha-prod\\s+8650.12\\s+12400.00\\s+69%\\s+Warning");
    }

    @Test
    void shortNameAndAllNamespaces() throws Exception {
        assertThat(kubectl("get", "cb", "-A", "-o", "name")).contains("costbudget.costguard.io/tenant-alpha-prod");
        assertThat(kubectl("get", "pb", "-A")).contains("No resources found");
    }

    @Test
    void describeShowsStatusAndOnlyItsOwnEvents() throws Exception {
        String out = kubectl("describe", "costbudget", "tenant-alpha-prod");
        assertThat(out)
                .contains("State:", "Warning", "BudgetThresholdCrossed", "crossing the 70% threshold")
                .doesNotContain("not mine");
    }

    @Test
    void pluginOnPathListsBudgetsThroughTheJar() throws Exception {
        Path jar = Path.of(System.getProperty(
                        "costguard.jar",
                        repo.resolve("operator/target/costguard.jar").toString()))
                .toAbsolutePath();
        assertThat(jar).as("package the operator first").exists();
        // kubectl finds kubectl-costguard on PATH; flags before the plugin name would stop that lookup, so the
        // kubeconfig comes from $KUBECONFIG, which the plugin inherits
        ProcessBuilder pb =
                new ProcessBuilder(repo.resolve(".tools/bin/kubectl").toString(), "costguard", "budgets", "-o", "json");
        pb.environment().put("PATH", repo.resolve("scripts") + java.io.File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("COSTGUARD_JAR", jar.toString());
        ChildProcess p = ChildProcess.run(pb, Duration.ofSeconds(120));
        assertThat(p.exit()).as(p.output()).isZero();
        assertThat(p.output())
                .contains("\"name\" : \"tenant-alpha-prod\"")
                .contains("\"spent\" : \"8650.12\"")
                .contains("\"state\" : \"Warning\"");
        ProcessBuilder list =
                new ProcessBuilder(repo.resolve(".tools/bin/kubectl").toString(), "plugin", "list");
        list.environment().put("PATH", repo.resolve("scripts").toString());
        assertThat(ChildProcess.run(list, Duration.ofSeconds(60)).output()).contains("kubectl-costguard");
        // kubectl's own completion asks kubectl_complete-costguard for `kubectl costguard budgets --all<TAB>`
        ProcessBuilder complete = new ProcessBuilder(
                repo.resolve(".tools/bin/kubectl").toString(), "__complete", "costguard", "budgets", "--all");
        complete.environment().put("PATH", pb.environment().get("PATH"));
        complete.environment().put("COSTGUARD_JAR", jar.toString());
        assertThat(ChildProcess.run(complete, Duration.ofSeconds(60)).output()).contains("--all-namespaces\n:4");
    }

    @Test
    void krewManifestInstallsAWorkingPlugin() throws Exception {
        Path jar = Path.of(System.getProperty(
                        "costguard.jar",
                        repo.resolve("operator/target/costguard.jar").toString()))
                .toAbsolutePath();
        ProcessBuilder build = new ProcessBuilder(
                "bash", repo.resolve("scripts/package-plugin.sh").toString(), "https://example.test/v1");
        build.environment().put("COSTGUARD_JAR", jar.toString());
        ChildProcess packed = ChildProcess.run(build, Duration.ofSeconds(120));
        assertThat(packed.exit()).as(packed.output()).isZero();
        Path dir = repo.resolve("operator/target/plugin");
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(dir.resolve("costguard.yaml").toFile());
        assertThat(manifest.path("kind").asText()).isEqualTo("Plugin");
        assertThat(manifest.path("metadata").path("name").asText()).isEqualTo("costguard");
        assertThat(manifest.path("spec").path("version").asText()).matches("v\\d+\\.\\d+\\.\\d+.*");
        com.fasterxml.jackson.databind.JsonNode platform =
                manifest.path("spec").path("platforms").get(0);
        String uri = platform.path("uri").asText();
        assertThat(uri).startsWith("https://example.test/v1/");
        Path archive = dir.resolve(uri.substring(uri.lastIndexOf('/') + 1));
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive));
        assertThat(java.util.HexFormat.of().formatHex(digest))
                .isEqualTo(platform.path("sha256").asText());
        // what krew does: unpack, copy each files entry into the store, link bin into its bin directory
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        ChildProcess untar = ChildProcess.run(
                new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString()),
                Duration.ofSeconds(60));
        assertThat(untar.exit()).as(untar.output()).isZero();
        Path store = Files.createDirectories(work.resolve("krew/store/costguard")
                .resolve(manifest.path("spec").path("version").asText()));
        for (com.fasterxml.jackson.databind.JsonNode f : platform.path("files")) {
            Path from = unpacked.resolve(f.path("from").asText());
            Files.copy(
                    from,
                    store.resolve(f.path("to").asText())
                            .resolve(from.getFileName().toString()),
                    java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path bin = Files.createDirectories(work.resolve("krew/bin"));
        String binName = platform.path("bin").asText();
        Files.createSymbolicLink(bin.resolve(binName), store.resolve(binName));
        ProcessBuilder run =
                new ProcessBuilder(repo.resolve(".tools/bin/kubectl").toString(), "costguard", "--version");
        run.environment().put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        run.environment().remove("COSTGUARD_JAR");
        ChildProcess version = ChildProcess.run(run, Duration.ofSeconds(60));
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output())
                .startsWith("costguard "
                        + manifest.path("spec").path("version").asText().substring(1));
    }

    static String kubectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(repo.resolve(".tools/bin/kubectl").toString(), "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        ChildProcess p = ChildProcess.run(new ProcessBuilder(cmd), Duration.ofSeconds(60));
        assertThat(p.exit())
                .as("kubectl %s:%n%s", String.join(" ", args), p.output())
                .isZero();
        return p.output();
    }
}

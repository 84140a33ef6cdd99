package io.costguard.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.costguard.api.BudgetState;
import io.costguard.api.PerfState;
import io.costguard.bench.BenchMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Argo CD health checks in docs/argocd, run by the real Lua 5.1 interpreter over every fixture their
 * health_test.yaml lists (Argo CD's own layout and test format), and the argocd-cm snippet the README shows.
 */
class ArgoCdHealthTest {
    static final Path REPO = Path.of(System.getProperty("costguard.crds.dir", "../crds"))
            .toAbsolutePath()
            .getParent();
    static final Path ARGOCD = REPO.resolve("docs/argocd");
    static final Path CHECKS = ARGOCD.resolve("resource_customizations/costguard.io");
    static final Path PATCH = ARGOCD.resolve("argocd-cm-patch.yaml");
    static final List<String> KINDS = List.of("BenchRun", "CostBudget", "PerfBaseline");
    static final Set<String> ARGO_STATUSES = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TestFactory
    Stream<DynamicTest> everyFixtureGetsItsExpectedHealth() throws IOException {
        String lua = lua();
        Path driver = driver();
        List<DynamicTest> tests = new ArrayList<>();
        for (String kind : KINDS) {
            Path dir = CHECKS.resolve(kind);
            for (JsonNode t :
                    YAML.readTree(dir.resolve("health_test.yaml").toFile()).path("tests")) {
                String input = t.path("inputPath").asText();
                String status = t.path("healthStatus").path("status").asText();
                String message = t.path("healthStatus").path("message").asText();
                tests.add(DynamicTest.dynamicTest(kind + " " + input, () -> {
                    Health got = run(
                            lua,
                            driver,
                            dir.resolve("health.lua"),
                            YAML.readTree(dir.resolve(input).toFile()));
                    assertThat(got.status())
                            .as("hs.status for %s", input)
                            .isIn(ARGO_STATUSES)
                            .isEqualTo(status);
                    assertThat(got.message()).as("hs.message for %s", input).isEqualTo(message);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void everyFixtureIsTestedAndEveryStateOfEveryKindHasAFixture() throws IOException {
        Map<String, List<String>> states = Map.of(
                "CostBudget",
                        Arrays.stream(BudgetState.values()).map(Enum::name).toList(),
                "PerfBaseline",
                        Arrays.stream(PerfState.values()).map(Enum::name).toList(),
                "BenchRun", benchPhases());
        for (String kind : KINDS) {
            Path dir = CHECKS.resolve(kind);
            Set<String> listed = new TreeSet<>();
            for (JsonNode t :
                    YAML.readTree(dir.resolve("health_test.yaml").toFile()).path("tests")) {
                listed.add(t.path("inputPath").asText());
            }
            Set<String> files = new TreeSet<>();
            Set<String> covered = new TreeSet<>();
            try (Stream<Path> s = Files.list(dir.resolve("testdata"))) {
                for (Path f : s.sorted().toList()) {
                    files.add("testdata/" + f.getFileName());
                    JsonNode status = YAML.readTree(f.toFile()).path("status");
                    covered.add(status.path(kind.equals("BenchRun") ? "phase" : "state")
                            .asText());
                }
            }
            assertThat(listed)
                    .as("%s: fixtures listed in health_test.yaml", kind)
                    .isEqualTo(files);
            assertThat(covered)
                    .as("%s: states with a fixture", kind)
                    .containsAll(states.get(kind))
                    .contains("");
        }
    }

    @Test
    void argocdCmPatchAndReadmeCarryExactlyTheScripts() throws IOException {
        StringBuilder patch = new StringBuilder("data:\n");
        for (String kind : KINDS) {
            patch.append("  resource.customizations.health.costguard.io_")
                    .append(kind)
                    .append(": |\n");
            for (String line :
                    Files.readString(CHECKS.resolve(kind).resolve("health.lua")).split("\n", -1)) {
                patch.append(line.isEmpty() ? "" : "    " + line).append('\n');
            }
            patch.setLength(patch.length() - 1);
        }
        String expected = patch.toString();
        assertThat(Files.readString(PATCH))
                .as("%s is generated from the scripts; replace it with:%n%s", PATCH, expected)
                .isEqualTo(expected);
        JsonNode data = YAML.readTree(expected).path("data");
        for (String kind : KINDS) {
            assertThat(data.path("resource.customizations.health.costguard.io_" + kind)
                            .asText())
                    .isEqualTo(Files.readString(CHECKS.resolve(kind).resolve("health.lua")));
        }
        assertThat(Files.readString(REPO.resolve("README.md")))
                .as("README.md shows %s verbatim", PATCH)
                .contains(expected);
    }

    @Test
    void aScriptErrorFailsTheRun() throws IOException {
        Path broken = Files.createTempFile("broken-health", ".lua");
        Files.writeString(broken, "local hs = {}\nhs.status = obj.status.state:lower()\nreturn hs\n");
        JsonNode obj = YAML.readTree("{metadata: {generation: 1}, status: {state: Ok}}");
        try {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run(lua(), driver(), broken, obj)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("attempt to index");
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void luaTablesCarryEveryJsonValue() {
        JsonNode node = new ObjectMapper()
                .createObjectNode()
                .put("quote\"key", "line\nbreak \\ \"quoted\" \u0001 é")
                .put("n", 3)
                .put("x", 45.6)
                .put("yes", true)
                .putNull("gone");
        assertThat(toLua(node))
                .isEqualTo("{[\"quote\\\"key\"]=\"line\\nbreak \\\\ \\\"quoted\\\" \\001 é\",[\"n\"]=3,[\"x\"]=45.6,"
                        + "[\"yes\"]=true,}");
    }

    record Health(String status, String message) {}

    static Health run(String lua, Path driver, Path script, JsonNode obj) throws IOException, InterruptedException {
        Path object = Files.createTempFile("argocd-obj", ".lua");
        try {
            Files.writeString(object, "return " + toLua(obj) + "\n", StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(lua, driver.toString(), script.toString(), object.toString()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not finish in 30 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !err.isEmpty()) {
                throw new AssertionError(script + " failed under lua5.1 (exit " + p.exitValue() + "): " + err.strip());
            }
            int nl = out.indexOf('\n');
            return new Health(out.substring(0, nl), out.substring(nl + 1));
        } finally {
            Files.delete(object);
        }
    }

    /** A Lua table constructor for a JSON value; nulls are left out, as Argo CD's conversion leaves them nil. */
    static String toLua(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    b.append('[')
                            .append(luaString(e.getKey()))
                            .append("]=")
                            .append(toLua(e.getValue()))
                            .append(',');
                }
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder("{");
            n.forEach(v -> b.append(toLua(v)).append(','));
            return b.append('}').toString();
        }
        if (n.isTextual()) {
            return luaString(n.asText());
        }
        return n.isNull() ? "nil" : n.asText();
    }

    static String luaString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\%03d", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String lua() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "lua5.1");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("lua5.1 is not on PATH: run scripts/install-tools.sh (Debian package lua5.1); "
                + "Argo CD runs health checks in a Lua 5.1 VM, so they are tested with Lua 5.1");
    }

    static Path driver() throws IOException {
        try (var in = ArgoCdHealthTest.class.getResourceAsStream("/argocd/run-health.lua")) {
            Path driver = Files.createTempFile("run-health", ".lua");
            Files.write(driver, in.readAllBytes());
            driver.toFile().deleteOnExit();
            return driver;
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> benchPhases() {
        try {
            var field = BenchMetrics.class.getDeclaredField("PHASES");
            field.setAccessible(true);
            return (List<String>) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("BenchMetrics.PHASES, the list of BenchRun phases, is gone", e);
        }
    }
}

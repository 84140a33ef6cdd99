package io.costguard.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * operator/Dockerfile and scripts/build-image.sh describe one image: a pinned JRE 17 base, the jar at
 * /app/costguard.jar as the entrypoint, a numeric non-root user, the OCI labels, the chart's appVersion.
 */
class ImageRecipeTest {
    static final Path DOCKERFILE = Path.of("Dockerfile");
    static final Path DOCKERIGNORE = Path.of("Dockerfile.dockerignore");
    static final Path BUILD_SCRIPT = Path.of("../scripts/build-image.sh");
    static final Path CHART = Path.of("../helm/costguard/Chart.yaml");
    static final List<String> LABELS = List.of(
            "org.opencontainers.image.source",
            "org.opencontainers.image.title",
            "org.opencontainers.image.version",
            "org.opencontainers.image.licenses",
            "org.opencontainers.image.description");
    static final Pattern NUMERIC_NON_ROOT = Pattern.compile("([1-9][0-9]*):([1-9][0-9]*)");

    record Instruction(String keyword, String arguments) {}

    /** The Dockerfile's instructions, continuation lines joined, comments and blank lines dropped. */
    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String whole = current.toString();
            current.setLength(0);
            int space = whole.indexOf(' ');
            out.add(new Instruction(
                    whole.substring(0, space).toUpperCase(),
                    whole.substring(space + 1).strip()));
        }
        return out;
    }

    static List<Instruction> all(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** Instructions of the last stage: what the image is. */
    static List<Instruction> finalStage(List<Instruction> instructions) {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    static Map<String, String> labels(List<Instruction> stage) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([\\w.-]+)=\"([^\"]*)\"")
                .matcher(String.join(
                        " ",
                        all(stage, "LABEL").stream().map(Instruction::arguments).toList()));
        while (m.find()) {
            labels.put(m.group(1), m.group(2));
        }
        return labels;
    }

    static String appVersion() throws IOException {
        Matcher m = Pattern.compile("(?m)^appVersion: *\"?([^\"\\s]+)\"?$").matcher(Files.readString(CHART));
        assertThat(m.find()).as("appVersion in %s", CHART).isTrue();
        return m.group(1);
    }

    @Test
    void everyBaseIsPinnedToAReleaseAndTheRuntimeIsAJre17() throws IOException {
        List<Instruction> all = instructions(Files.readString(DOCKERFILE));
        List<String> bases =
                all(all, "FROM").stream().map(i -> i.arguments().split(" ")[0]).toList();
        assertThat(bases)
                .isNotEmpty()
                .allSatisfy(base -> assertThat(base)
                        .as("a base pinned to a release (a full version in the tag, or a digest), not a floating tag")
                        .matches("[\\w./-]+(:[\\w.-]*\\d+\\.\\d+\\.\\d+[\\w.-]*)?(@sha256:[0-9a-f]{64})?")
                        .matches(".*(:[\\w.-]*\\d+\\.\\d+\\.\\d+.*|@sha256:.*)")
                        .doesNotContain(":latest"));
        assertThat(bases.get(bases.size() - 1))
                .as("the runtime base")
                .matches("[\\w./-]*eclipse-temurin:17\\.[\\w.-]*-jre[\\w.-]*(@sha256:[0-9a-f]{64})?");
    }

    @Test
    void theImageRunsTheJarAsANumericNonRootUser() throws IOException {
        List<Instruction> stage = finalStage(instructions(Files.readString(DOCKERFILE)));
        List<Instruction> users = all(stage, "USER");
        assertThat(users).as("USER in the final stage").isNotEmpty();
        assertThat(users.get(users.size() - 1).arguments()).matches(NUMERIC_NON_ROOT);
        ObjectMapper json = new ObjectMapper();
        List<Instruction> entrypoints = all(stage, "ENTRYPOINT");
        assertThat(entrypoints).hasSize(1);
        assertThat(json.readValue(entrypoints.get(0).arguments(), String[].class))
                .as("exec form, so that java is PID 1 and receives SIGTERM")
                .containsExactly("java", "-jar", "/app/costguard.jar");
        assertThat(json.readValue(all(stage, "CMD").get(0).arguments(), String[].class))
                .containsExactly("operator");
        assertThat(all(stage, "COPY"))
                .extracting(Instruction::arguments)
                .anyMatch(a -> a.endsWith(" /app/costguard.jar"));
        assertThat(all(stage, "RUN"))
                .as("the runtime stage writes nothing at run time nor installs at build time")
                .isEmpty();
    }

    @Test
    void theLabelsNameTheSourceAndTheChartsAppVersion() throws IOException {
        List<Instruction> stage = finalStage(instructions(Files.readString(DOCKERFILE)));
        Map<String, String> labels = labels(stage);
        assertThat(labels).containsKeys(LABELS.toArray(String[]::new));
        assertThat(labels.values()).allSatisfy(v -> assertThat(v).isNotBlank());
        assertThat(labels.get("org.opencontainers.image.version")).isEqualTo("${VERSION}");
        assertThat(all(stage, "ARG")).extracting(Instruction::arguments).contains("VERSION=" + appVersion());
    }

    @Test
    void versionPrintsTheChartsAppVersionTheImageIsTaggedWith() throws IOException {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(exit).isZero();
        assertThat(out.toString().strip())
                .as("scripts/check-image.sh requires this line from the image's entrypoint")
                .isEqualTo("costguard " + appVersion());
    }

    @Test
    void theDaemonlessBuildMakesTheSameImage() throws IOException {
        String script = Files.readString(BUILD_SCRIPT);
        List<Instruction> stage = finalStage(instructions(Files.readString(DOCKERFILE)));
        Matcher uid = Pattern.compile("(?m)^IMAGE_UID=(\\d+)$").matcher(script);
        assertThat(uid.find()).as("IMAGE_UID in %s", BUILD_SCRIPT).isTrue();
        String user = all(stage, "USER").get(0).arguments();
        assertThat(user).isEqualTo(uid.group(1) + ":" + uid.group(1));
        assertThat(script)
                .contains("--config.user \"${IMAGE_UID}:${IMAGE_UID}\"")
                .contains(
                        "--config.entrypoint /usr/bin/java --config.entrypoint -jar --config.entrypoint /app/costguard.jar")
                .contains("--config.cmd operator")
                .contains("--include=openjdk-17-jre-headless");
        for (String label : LABELS) {
            assertThat(script)
                    .as("label %s in %s", label, BUILD_SCRIPT)
                    .containsPattern("--config\\.label \"?" + Pattern.quote(label) + "=[^\"\\s]");
        }
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndTheTools() throws IOException {
        List<String> rules = Files.readString(DOCKERIGNORE)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertThat(rules.get(0))
                .as("everything excluded, then the sources the build needs let back in")
                .isEqualTo("**");
        assertThat(rules).noneMatch(r -> r.contains("target") || r.contains(".tools") || r.equals("!operator/"));
        List<String> copied = all(instructions(Files.readString(DOCKERFILE)), "COPY").stream()
                .filter(i -> !i.arguments().startsWith("--from"))
                .map(i -> i.arguments().split(" ")[0])
                .toList();
        assertThat(copied)
                .allSatisfy(source -> assertThat(rules)
                        .as("%s reaches the build context", source)
                        .anyMatch(r -> r.equals("!" + source)
                                || source.startsWith(r.substring(1))
                                || r.startsWith("!" + source)));
    }
}

package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/kubectl-costguard with a stand-in {@code java} that echoes its arguments: the jar is found beside the
 * script (also through a symlink on PATH) or in COSTGUARD_JAR, arguments pass through unchanged, a missing jar is one line.
 */
class KubectlPluginLauncherTest {
    static final Path LAUNCHER = Path.of("../scripts/kubectl-costguard");

    @TempDir
    Path dir;

    @Test
    void findsTheJarBesideItselfAndPassesArgumentsThrough() throws Exception {
        Path install = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(LAUNCHER, install.resolve("kubectl-costguard"));
        Files.writeString(install.resolve("costguard.jar"), "jar");
        Result r = run(install.resolve("kubectl-costguard"), Map.of(), "budgets", "-n", "team a", "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("-jar|" + install.resolve("costguard.jar").toRealPath() + "|budgets|-n|team a|-o|json|");
    }

    @Test
    void followsASymlinkOnPathAndHonoursCostguardJar() throws Exception {
        Path install = Files.createDirectories(dir.resolve("opt"));
        Files.copy(LAUNCHER, install.resolve("kubectl-costguard"));
        Files.writeString(install.resolve("costguard.jar"), "jar");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("kubectl-costguard"), install.resolve("kubectl-costguard"));
        assertThat(run(bin.resolve("kubectl-costguard"), Map.of(), "audit").out())
                .contains(install.resolve("costguard.jar").toRealPath() + "|audit|");
        Path other = Files.writeString(dir.resolve("other.jar"), "jar");
        assertThat(run(bin.resolve("kubectl-costguard"), Map.of("COSTGUARD_JAR", other.toString()), "audit")
                        .out())
                .isEqualTo("-jar|" + other + "|audit|");
    }

    @Test
    void missingJarIsOneLineExit2() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("empty"));
        Files.copy(LAUNCHER, bin.resolve("kubectl-costguard"));
        Result r = run(bin.resolve("kubectl-costguard"), Map.of(), "budgets");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip())
                .startsWith("kubectl-costguard: costguard.jar not found")
                .contains("COSTGUARD_JAR")
                .doesNotContain("\n");
    }

    record Result(int code, String out, String err) {}

    private Result run(Path launcher, Map<String, String> env, String... args) throws Exception {
        Path fakeJava = Files.createDirectories(dir.resolve("fake-jdk/bin")).resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        var command = new java.util.ArrayList<String>();
        command.add(launcher.toString());
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("COSTGUARD_JAR");
        pb.environment().put("JAVA_HOME", dir.resolve("fake-jdk").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }
}

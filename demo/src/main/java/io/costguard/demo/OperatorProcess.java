package io.costguard.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged operator jar running as its own process, as users run it. */
public final class OperatorProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -jar <jar> operator} with the given environment added; output goes to {@code log}. */
    public static OperatorProcess start(Path jar, Map<String, String> env, Path log) throws IOException {
        return launch(List.of("-jar", jar.toString()), env, log);
    }

    /** Starts the operator's entry point from a jar that bundles it with more (this demo's jar), as {@link #start}. */
    public static OperatorProcess startBundled(Path jar, Map<String, String> env, Path log) throws IOException {
        return launch(List.of("-cp", jar.toString(), "io.costguard.Main"), env, log);
    }

    private static OperatorProcess launch(List<String> entry, Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(entry);
        cmd.add("operator");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new OperatorProcess(pb.start(), log);
    }

    /** The jar this code runs from, when it runs from one. */
    public static Path ownJar() {
        try {
            Path p = Path.of(OperatorProcess.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(p)) {
                return p;
            }
        } catch (Exception ignored) {
            // not from a jar
        }
        throw new IllegalStateException(
                "not running from the packaged jar: run scripts/demo.sh, or build it with mvn package"
                        + " and run java -jar demo/target/costguard-demo.jar");
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public long pid() {
        return process.pid();
    }

    /** Kills it with SIGKILL, as a node failure or the OOM killer would, and waits for it to go. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops it with SIGTERM (graceful shutdown) and returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}

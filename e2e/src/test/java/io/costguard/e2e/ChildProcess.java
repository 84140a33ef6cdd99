package io.costguard.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A command a test runs to its end, output and errors together. A command that does not end (an operator that
 * should have refused its settings, a hung kubectl) fails the test after the timeout instead of hanging the build.
 */
record ChildProcess(int exit, String output) {

    static ChildProcess run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("costguard-child", ".out");
        try {
            Process p = builder.redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", builder.command()) + " did not end within " + timeout
                        + "; it printed:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new ChildProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

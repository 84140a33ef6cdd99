package io.costguard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Awaits take their bounds from {@link Waits}, so one place says how long the slowest machine may take. */
class SharedTimeoutsTest {
    private static final Pattern HAND_SET = Pattern.compile("atMost\\(\\s*(Duration\\.of|[0-9])");

    @Test
    void noTestSetsItsOwnAwaitTimeout() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (HAND_SET.matcher(lines.get(i)).find()) {
                        found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(found).as("use a bound from io.costguard.testing.Waits").isEmpty();
    }
}

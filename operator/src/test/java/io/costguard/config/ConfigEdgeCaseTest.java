package io.costguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigEdgeCaseTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyOrCommentOnlyFileMeansDefaults() throws IOException {
        for (String content : new String[] {"", "# nothing set yet\n"}) {
            Path f = Files.writeString(dir.resolve("c.yaml"), content);
            assertThat(ConfigLoader.load(Map.of(ConfigLoader.CONFIG_FILE_ENV, f.toString())))
                    .isEqualTo(ConfigLoader.load(Map.of()));
        }
    }

    @Test
    void anOverflowingDurationIsAClearErrorNamingTheSetting() {
        assertThatThrownBy(() -> Durations.parse("2635249153387078803w")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("COSTGUARD_EVALUATION_INTERVAL", "106751991167301d")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("evaluationInterval")
                .hasMessageContaining("COSTGUARD_EVALUATION_INTERVAL");
    }

    @Test
    void structuralErrorsNameTheEnvironmentVariableToo() throws IOException {
        Path f = Files.writeString(dir.resolve("c.yaml"), "prometheus:\n  url: [a, b]\nwatchNamespaces: team-a\n");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(ConfigLoader.CONFIG_FILE_ENV, f.toString())))
                .hasMessageContaining("prometheus.url")
                .hasMessageContaining("COSTGUARD_PROMETHEUS_URL");
    }
}

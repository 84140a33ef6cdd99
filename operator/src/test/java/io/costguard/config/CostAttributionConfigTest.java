package io.costguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage prices and shared / idle attribution settings: read from the file, bad ones named by their path. */
class CostAttributionConfigTest {
  @TempDir
  Path dir;

  private OperatorConfig load(String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("costguard.yaml"), yaml);
    return ConfigLoader.load(Map.of(ConfigLoader.CONFIG_FILE_ENV, file.toString()));
  }

  @Test
  void storageDefaultsToOpenCostsPriceAndTakesClassOverrides() throws IOException {
    OperatorConfig none = ConfigLoader.load(Map.of());
    assertThat(none.pricing().storageGiBMonth()).isEqualTo(0.04);
    assertThat(none.pricing().storageClasses()).isEmpty();
    OperatorConfig c = load("pricing:\n  storageGiBMonth: 0.05\n  storageClasses:\n    fast-ssd: 0.17\n    cold: 0\n");
    assertThat(c.pricing().storageGiBMonth()).isEqualTo(0.05);
    assertThat(c.pricing().storageClasses()).containsExactlyInAnyOrderEntriesOf(Map.of("fast-ssd", 0.17, "cold", 0.0));
    assertThat(ConfigLoader.load(Map.of("COSTGUARD_PRICE_STORAGE_GIB_MONTH", "0.1")).pricing().storageGiBMonth())
        .isEqualTo(0.1);
  }

  @Test
  void aBadStoragePriceNamesItsPath() {
    assertThatThrownBy(() -> load("pricing:\n  storageClasses:\n    fast-ssd: cheap\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pricing.storageClasses.fast-ssd").hasMessageContaining("'cheap' is not a number");
    assertThatThrownBy(() -> load("pricing:\n  storageClasses:\n    fast: -1\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pricing.storageClasses.fast")
        .hasMessageContaining("0 or more");
    assertThatThrownBy(() -> load("pricing:\n  storageClasses: [fast]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pricing.storageClasses")
        .hasMessageContaining("mapping of storage class");
    assertThatThrownBy(() -> ConfigLoader.load(Map.of("COSTGUARD_PRICE_STORAGE_GIB_MONTH", "x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pricing.storageGiBMonth");
  }
}

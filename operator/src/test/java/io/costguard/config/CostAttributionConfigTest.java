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
        OperatorConfig c =
                load("pricing:\n  storageGiBMonth: 0.05\n  storageClasses:\n    fast-ssd: 0.17\n    cold: 0\n");
        assertThat(c.pricing().storageGiBMonth()).isEqualTo(0.05);
        assertThat(c.pricing().storageClasses())
                .containsExactlyInAnyOrderEntriesOf(Map.of("fast-ssd", 0.17, "cold", 0.0));
        assertThat(ConfigLoader.load(Map.of("COSTGUARD_PRICE_STORAGE_GIB_MONTH", "0.1"))
                        .pricing()
                        .storageGiBMonth())
                .isEqualTo(0.1);
    }

    @Test
    void aBadStoragePriceNamesItsPath() {
        assertThatThrownBy(() -> load("pricing:\n  storageClasses:\n    fast-ssd: cheap\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pricing.storageClasses.fast-ssd")
                .hasMessageContaining("'cheap' is not a number");
        assertThatThrownBy(() -> load("pricing:\n  storageClasses:\n    fast: -1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pricing.storageClasses.fast")
                .hasMessageContaining("0 or more");
        assertThatThrownBy(() -> load("pricing:\n  storageClasses: [fast]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pricing.storageClasses")
                .hasMessageContaining("mapping of storage class");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("COSTGUARD_PRICE_STORAGE_GIB_MONTH", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pricing.storageGiBMonth");
    }

    @Test
    void sharedEntriesAreReadWithTheirDefaults() throws IOException {
        OperatorConfig c = load("attribution:\n  idle: Share\n  shared:\n"
                + "    - name: monitoring\n      namespaces: [monitoring, ingress-nginx]\n"
                + "    - name: platform\n      selector: {tenant: platform}\n      splitBy: team\n      driver: Query\n"
                + "      query: sum by (team) (rate(http_requests_total[1h]))\n      weights: {web: 2}\n");
        assertThat(c.attribution().idle()).isEqualTo(OperatorConfig.IdleMode.Share);
        assertThat(c.attribution().shared())
                .containsExactly(
                        new OperatorConfig.SharedCost(
                                "monitoring",
                                java.util.List.of("monitoring", "ingress-nginx"),
                                Map.of(),
                                "tenant",
                                ShareDriver.Weighted,
                                "",
                                Map.of()),
                        new OperatorConfig.SharedCost(
                                "platform",
                                java.util.List.of(),
                                Map.of("tenant", "platform"),
                                "team",
                                ShareDriver.Query,
                                "sum by (team) (rate(http_requests_total[1h]))",
                                Map.of("web", 2.0)));
        OperatorConfig none = ConfigLoader.load(Map.of());
        assertThat(none.attribution().shared()).isEmpty();
        assertThat(none.attribution().idle()).isEqualTo(OperatorConfig.IdleMode.Show);
    }

    @Test
    void aBadSharedEntryNamesItsFieldPathAndTheFix() {
        assertThatThrownBy(() -> load("attribution:\n  shared:\n    - name: a\n      namespaces: [x]\n"
                        + "    - name: b\n      namespaces: [y]\n      driver: Query\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[1].query")
                .hasMessageContaining("sum by (tenant)");
        assertThatThrownBy(() ->
                        load("attribution:\n  shared:\n    - name: a\n      namespaces: [x]\n      driver: Usage\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[0].driver")
                .hasMessageContaining("Weighted, Even, Query");
        assertThatThrownBy(() -> load("attribution:\n  shared:\n    - name: a\n      selector: {owner: x}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[0].selector.owner")
                .hasMessageContaining("allocation key");
        assertThatThrownBy(() -> load("attribution:\n  shared:\n    - name: a\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[0]")
                .hasMessageContaining("namespaces, a selector, or both");
        assertThatThrownBy(() ->
                        load("attribution:\n  shared:\n    - name: a\n      namespaces: [x]\n      splitBy: owner\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[0].splitBy");
        assertThatThrownBy(() -> load("attribution:\n  shared:\n    - name: a\n      namespaces: [x]\n"
                        + "      weights: {alpha: -2}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[0].weights.alpha")
                .hasMessageContaining("0 or more");
        assertThatThrownBy(() -> load("attribution:\n  shared:\n    - name: a\n      namespaces: [x]\n"
                        + "    - name: a\n      namespaces: [y]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.shared[1].name")
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("COSTGUARD_ATTRIBUTION_IDLE", "Spread")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("attribution.idle")
                .hasMessageContaining("Show, Share, Hide");
    }
}

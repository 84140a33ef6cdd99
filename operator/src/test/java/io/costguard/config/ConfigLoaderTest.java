package io.costguard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.costguard.config.OperatorConfig.ApplicationCost;
import io.costguard.config.OperatorConfig.CostSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Operator settings from environment and an optional YAML file (DESIGN.md sections 1 and 6). */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private OperatorConfig loadWithFile(String yaml, String... envPairs) throws IOException {
        Map<String, String> e = env(envPairs);
        e.put(ConfigLoader.CONFIG_FILE_ENV, write("costguard.yaml", yaml).toString());
        return ConfigLoader.load(e);
    }

    @Nested
    class Defaults {
        @Test
        void withNothingSetTheDocumentedDefaultsApply() {
            OperatorConfig c = ConfigLoader.load(Map.of());

            assertThat(c.prometheus().url()).isEqualTo(URI.create("http://localhost:9090"));
            assertThat(c.prometheus().bearerTokenFile()).isEmpty();
            assertThat(c.prometheus().caFile()).isEmpty();
            assertThat(c.prometheus().headers()).isEmpty();
            assertThat(c.prometheus().timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(c.evaluationInterval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(c.staleAfter()).isEqualTo(Duration.ofHours(3));
            assertThat(c.pricing().currency()).isEqualTo("USD");
            assertThat(c.pricing().cpuCoreHour()).isEqualTo(0.031611);
            assertThat(c.pricing().memoryGiBHour()).isEqualTo(0.004237);
            assertThat(c.pricing().gpuHour()).isEqualTo(0.95);
            assertThat(c.cost().source()).isEqualTo(CostSource.auto);
            assertThat(c.cost().rateWindow()).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.cost().applicationCosts()).isEmpty();
            assertThat(c.allocationKeys()).containsExactly("tenant", "feature", "team", "environment");
            assertThat(c.watchNamespaces()).isEmpty();
            assertThat(c.leaderElection().enabled()).isFalse();
            assertThat(c.leaderElection().leaseName()).isEqualTo("costguard-leader");
            assertThat(c.httpPort()).isEqualTo(8080);
            assertThat(c.serverSideApply()).isFalse();
            assertThat(c.reconcileConcurrency()).isEqualTo(10);
            assertThat(c.operatorNamespace()).isEqualTo("costguard-system");
            assertThat(c.bench())
                    .isEqualTo(new OperatorConfig.Bench(
                            "grafana/k6:1.3.0",
                            Duration.ofHours(1),
                            "500m",
                            "256Mi",
                            "1Gi",
                            Duration.ofMinutes(3),
                            Duration.ofMinutes(1),
                            Duration.ofMinutes(10),
                            List.of("grafana/k6:1.3.0")));
        }

        @Test
        void aNullYamlDocumentMeansDefaults() throws IOException {
            assertThat(loadWithFile("~\n")).isEqualTo(ConfigLoader.load(Map.of()));
        }

        @Test
        void aBlankConfigFileVariableIsIgnored() {
            assertThat(ConfigLoader.load(env(ConfigLoader.CONFIG_FILE_ENV, " ")))
                    .isEqualTo(ConfigLoader.load(Map.of()));
        }
    }

    @Nested
    class Environment {
        @Test
        void everySettingCanBeSetFromTheEnvironment() throws IOException {
            Path token = write("token", "s3cr3t\n");
            Path ca = write("ca.pem", "not checked at load time");
            OperatorConfig c = ConfigLoader.load(env(
                    "COSTGUARD_PROMETHEUS_URL", "https://thanos.monitoring:10902/",
                    "COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE", token.toString(),
                    "COSTGUARD_PROMETHEUS_CA_FILE", ca.toString(),
                    "COSTGUARD_PROMETHEUS_HEADERS", "X-Scope-OrgID=tenant-a, X-Extra = b ,",
                    "COSTGUARD_PROMETHEUS_TIMEOUT", "10s",
                    "COSTGUARD_EVALUATION_INTERVAL", "30s",
                    "COSTGUARD_STALE_AFTER", "1h30m",
                    "COSTGUARD_CURRENCY", "EUR",
                    "COSTGUARD_PRICE_CPU_CORE_HOUR", "0.04",
                    "COSTGUARD_PRICE_MEMORY_GIB_HOUR", "0",
                    "COSTGUARD_PRICE_GPU_HOUR", "2.5",
                    "COSTGUARD_COST_SOURCE", "priceSheet",
                    "COSTGUARD_RATE_WINDOW", "2m",
                    "COSTGUARD_EXTRA_ALLOCATION_KEYS", "cluster, cost_center,team",
                    "COSTGUARD_WATCH_NAMESPACES", "team-alpha,team-beta",
                    "COSTGUARD_LEADER_ELECTION", "true",
                    "COSTGUARD_LEADER_ELECTION_LEASE", "cg-lease",
                    "COSTGUARD_HTTP_PORT", "0",
                    "COSTGUARD_SERVER_SIDE_APPLY", "false",
                    "POD_NAMESPACE", "ops"));

            assertThat(c.prometheus().url())
                    .as("trailing slash dropped")
                    .isEqualTo(URI.create("https://thanos.monitoring:10902"));
            assertThat(c.prometheus().bearerTokenFile()).contains(token);
            assertThat(c.prometheus().caFile()).contains(ca);
            assertThat(c.prometheus().headers())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("X-Scope-OrgID", "tenant-a", "X-Extra", "b"));
            assertThat(c.prometheus().timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(c.evaluationInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(c.staleAfter()).isEqualTo(Duration.ofMinutes(90));
            assertThat(c.pricing()).isEqualTo(new OperatorConfig.Pricing("EUR", 0.04, 0, 2.5));
            assertThat(c.cost().source()).isEqualTo(CostSource.priceSheet);
            assertThat(c.cost().rateWindow()).isEqualTo(Duration.ofMinutes(2));
            assertThat(c.allocationKeys())
                    .containsExactly("tenant", "feature", "team", "environment", "cluster", "cost_center");
            assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("team-alpha", "team-beta");
            assertThat(c.leaderElection()).isEqualTo(new OperatorConfig.LeaderElection(true, "cg-lease"));
            assertThat(c.httpPort()).isZero();
            assertThat(c.serverSideApply()).isFalse();
            assertThat(c.operatorNamespace()).isEqualTo("ops");
        }

        @Test
        void aUrlWithAPathPrefixKeepsIt() {
            OperatorConfig c = ConfigLoader.load(env("COSTGUARD_PROMETHEUS_URL", "http://mimir.monitoring/prometheus"));
            assertThat(c.prometheus().url()).isEqualTo(URI.create("http://mimir.monitoring/prometheus"));
        }

        @Test
        void valuesAreTrimmed() {
            OperatorConfig c =
                    ConfigLoader.load(env("COSTGUARD_EVALUATION_INTERVAL", " 2m ", "COSTGUARD_HTTP_PORT", " 9000"));
            assertThat(c.evaluationInterval()).isEqualTo(Duration.ofMinutes(2));
            assertThat(c.httpPort()).isEqualTo(9000);
        }

        @Test
        void anEmptyTokenFileVariableMeansNoToken() {
            assertThat(ConfigLoader.load(env("COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE", ""))
                            .prometheus()
                            .bearerTokenFile())
                    .isEmpty();
        }

        @Test
        void theCostSourceIsOneOfThree() {
            for (CostSource s : CostSource.values()) {
                assertThat(ConfigLoader.load(env("COSTGUARD_COST_SOURCE", s.name()))
                                .cost()
                                .source())
                        .isEqualTo(s);
            }
        }

        @Test
        void staleAfterJustOverOneHourIsAccepted() {
            assertThat(ConfigLoader.load(env("COSTGUARD_STALE_AFTER", "61m")).staleAfter())
                    .isEqualTo(Duration.ofMinutes(61));
        }
    }

    @Test
    void benchAllowedImagesDefaultToTheBenchImageAndAreImagesOrPrefixes() throws IOException {
        assertThat(ConfigLoader.load(env("COSTGUARD_BENCH_IMAGE", "registry.example.com/k6:1.4.0"))
                        .bench()
                        .allowedImages())
                .containsExactly("registry.example.com/k6:1.4.0");
        assertThat(ConfigLoader.load(
                                env("COSTGUARD_BENCH_ALLOWED_IMAGES", "grafana/k6:1.3.0, registry.example.com/k6:* ,"))
                        .bench()
                        .allowedImages())
                .containsExactly("grafana/k6:1.3.0", "registry.example.com/k6:*");
        assertThat(loadWithFile("bench:\n  allowedImages: [grafana/k6:1.3.0, \"registry.example.com/k6:*\"]\n")
                        .bench()
                        .allowedImages())
                .containsExactly("grafana/k6:1.3.0", "registry.example.com/k6:*");
        assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_BENCH_ALLOWED_IMAGES", "grafana/k6 latest")))
                .hasMessageContaining("prefixes ending in *");
    }

    @Nested
    class File {
        private static final String YAML = """
        prometheus:
          url: https://mimir.example:8080/prometheus
          headers:
            X-Scope-OrgID: tenant-a
            X-Team: platform
          timeout: 45s
        evaluationInterval: 2m
        staleAfter: 6h
        pricing:
          currency: EUR
          cpuCoreHour: 0.05
          memoryGiBHour: 0.006
        cost:
          source: openCost
          rateWindow: 10m
          applicationCosts:
            - name: llm
              query: sum by (namespace, tenant) (increase(cost_per_request_usd_sum[1h]))
            - name: search
              query: sum by (namespace) (increase(search_cost_usd_total[1h]))
        allocation:
          extraKeys: [cluster, cost_center]
        watchNamespaces: [team-alpha]
        leaderElection:
          enabled: true
        http:
          port: 9090
        kubernetes:
          serverSideApply: false
        operatorNamespace: costguard
        """;

        @Test
        void everySectionIsRead() throws IOException {
            OperatorConfig c = loadWithFile(YAML);

            assertThat(c.prometheus().url()).isEqualTo(URI.create("https://mimir.example:8080/prometheus"));
            assertThat(c.prometheus().headers())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("X-Scope-OrgID", "tenant-a", "X-Team", "platform"));
            assertThat(c.prometheus().timeout()).isEqualTo(Duration.ofSeconds(45));
            assertThat(c.evaluationInterval()).isEqualTo(Duration.ofMinutes(2));
            assertThat(c.staleAfter()).isEqualTo(Duration.ofHours(6));
            assertThat(c.pricing()).isEqualTo(new OperatorConfig.Pricing("EUR", 0.05, 0.006, 0.95));
            assertThat(c.cost().source()).isEqualTo(CostSource.openCost);
            assertThat(c.cost().rateWindow()).isEqualTo(Duration.ofMinutes(10));
            assertThat(c.cost().applicationCosts())
                    .containsExactly(
                            new ApplicationCost(
                                    "llm", "sum by (namespace, tenant) (increase(cost_per_request_usd_sum[1h]))"),
                            new ApplicationCost("search", "sum by (namespace) (increase(search_cost_usd_total[1h]))"));
            assertThat(c.allocationKeys())
                    .containsExactly("tenant", "feature", "team", "environment", "cluster", "cost_center");
            assertThat(c.watchNamespaces()).containsExactly("team-alpha");
            assertThat(c.leaderElection().enabled()).isTrue();
            assertThat(c.httpPort()).isEqualTo(9090);
            assertThat(c.serverSideApply()).isFalse();
            assertThat(c.operatorNamespace()).isEqualTo("costguard");
        }

        @Test
        void environmentWinsOverTheFile() throws IOException {
            OperatorConfig c = loadWithFile(
                    YAML,
                    "COSTGUARD_PROMETHEUS_URL",
                    "http://prometheus:9090",
                    "COSTGUARD_CURRENCY",
                    "USD",
                    "COSTGUARD_PROMETHEUS_HEADERS",
                    "X-Scope-OrgID=tenant-b",
                    "COSTGUARD_EXTRA_ALLOCATION_KEYS",
                    "region",
                    "COSTGUARD_HTTP_PORT",
                    "8081",
                    "COSTGUARD_STALE_AFTER",
                    "2h");

            assertThat(c.prometheus().url()).isEqualTo(URI.create("http://prometheus:9090"));
            assertThat(c.pricing().currency()).isEqualTo("USD");
            assertThat(c.pricing().cpuCoreHour())
                    .as("not overridden, from the file")
                    .isEqualTo(0.05);
            assertThat(c.prometheus().headers())
                    .as("env headers replace the file's")
                    .containsExactlyEntriesOf(Map.of("X-Scope-OrgID", "tenant-b"));
            assertThat(c.allocationKeys()).containsExactly("tenant", "feature", "team", "environment", "region");
            assertThat(c.httpPort()).isEqualTo(8081);
            assertThat(c.staleAfter()).isEqualTo(Duration.ofHours(2));
            assertThat(c.cost().source()).isEqualTo(CostSource.openCost);
        }

        @Test
        void aBearerTokenFileNamedInTheFileIsUsed() throws IOException {
            Path token = write("token", "t");
            OperatorConfig c = loadWithFile("prometheus:\n  bearerTokenFile: " + token + "\n");
            assertThat(c.prometheus().bearerTokenFile()).isEqualTo(Optional.of(token));
        }

        @Test
        void aBadValueInTheFileNamesTheFileThePathAndTheVariable() throws IOException {
            Path file = write("bad.yaml", "pricing:\n  cpuCoreHour: -1\n");
            assertThatThrownBy(() -> ConfigLoader.load(env(ConfigLoader.CONFIG_FILE_ENV, file.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("pricing.cpuCoreHour")
                    .hasMessageContaining("COSTGUARD_PRICE_CPU_CORE_HOUR")
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'-1'");
        }

        @Test
        void staleAfterFromTheFileMustBeLongerThanOneHour() throws IOException {
            assertThatThrownBy(() -> loadWithFile("staleAfter: 30m\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("staleAfter")
                    .hasMessageContaining("COSTGUARD_STALE_AFTER")
                    .hasMessageContaining("longer than 1h");
        }

        @Test
        void aGoodEnvironmentValueHidesABadFileValue() throws IOException {
            OperatorConfig c = loadWithFile("http:\n  port: 70000\n", "COSTGUARD_HTTP_PORT", "8080");
            assertThat(c.httpPort()).isEqualTo(8080);
        }

        @Test
        void aFileThatIsNotYamlNamesTheVariableAndTheFile() throws IOException {
            Path file = write("broken.yaml", "prometheus:\n  url: [unclosed\n  : :\n");
            assertThatThrownBy(() -> ConfigLoader.load(env(ConfigLoader.CONFIG_FILE_ENV, file.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(ConfigLoader.CONFIG_FILE_ENV)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("YAML");
        }

        @Test
        void aFileThatIsNotAMappingIsRejected() throws IOException {
            Path file = write("list.yaml", "- a\n- b\n");
            assertThatThrownBy(() -> ConfigLoader.load(env(ConfigLoader.CONFIG_FILE_ENV, file.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(ConfigLoader.CONFIG_FILE_ENV)
                    .hasMessageContaining("mapping");
            Path scalar = write("scalar.yaml", "just some text\n");
            assertThatThrownBy(() -> ConfigLoader.load(env(ConfigLoader.CONFIG_FILE_ENV, scalar.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("mapping");
        }

        @Test
        void aMissingFileIsNamed() {
            Path missing = dir.resolve("nope.yaml");
            assertThatThrownBy(() -> ConfigLoader.load(env(ConfigLoader.CONFIG_FILE_ENV, missing.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(ConfigLoader.CONFIG_FILE_ENV)
                    .hasMessageContaining(missing.toString());
        }

        @Test
        void anApplicationCostNeedsANameAndAQuery() throws IOException {
            assertThatThrownBy(() -> loadWithFile("cost:\n  applicationCosts:\n    - name: llm\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cost.applicationCosts[0]")
                    .hasMessageContaining("query");
            assertThatThrownBy(
                            () -> loadWithFile(
                                    "cost:\n  applicationCosts:\n    - name: ok\n      query: x\n    - name: Bad Name\n      query: y\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cost.applicationCosts[1]");
        }

        @Test
        void structurallyWrongSectionsAreNamed() throws IOException {
            assertThatThrownBy(() -> loadWithFile("prometheus:\n  headers: [a, b]\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.headers");
            assertThatThrownBy(() -> loadWithFile("allocation:\n  extraKeys: cluster\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("allocation.extraKeys");
            assertThatThrownBy(() -> loadWithFile("cost:\n  applicationCosts: {name: llm}\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("cost.applicationCosts");
            assertThatThrownBy(() -> loadWithFile("prometheus:\n  url: {host: x}\n"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.url");
        }
    }

    @Nested
    class BadValues {
        @ParameterizedTest(name = "{0}={1} -> {2}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "COSTGUARD_PROMETHEUS_URL               | ftp://prom:9090      | prometheus.url",
                    "COSTGUARD_PROMETHEUS_URL               | not a url            | prometheus.url",
                    "COSTGUARD_PROMETHEUS_URL               | http://              | prometheus.url",
                    "COSTGUARD_PROMETHEUS_URL               | prometheus:9090      | prometheus.url",
                    "COSTGUARD_PROMETHEUS_TIMEOUT           | 10                   | prometheus.timeout",
                    "COSTGUARD_PROMETHEUS_TIMEOUT           | 0s                   | prometheus.timeout",
                    "COSTGUARD_EVALUATION_INTERVAL          | 1 minute             | evaluationInterval",
                    "COSTGUARD_EVALUATION_INTERVAL          | -60s                 | evaluationInterval",
                    "COSTGUARD_STALE_AFTER                  | 30m                  | staleAfter",
                    "COSTGUARD_STALE_AFTER                  | 1h                   | staleAfter",
                    "COSTGUARD_STALE_AFTER                  | three hours          | staleAfter",
                    "COSTGUARD_CURRENCY                     | usd                  | pricing.currency",
                    "COSTGUARD_CURRENCY                     | ABC                  | pricing.currency",
                    "COSTGUARD_CURRENCY                     | US$                  | pricing.currency",
                    "COSTGUARD_PRICE_CPU_CORE_HOUR          | -0.01                | pricing.cpuCoreHour",
                    "COSTGUARD_PRICE_CPU_CORE_HOUR          | cheap                | pricing.cpuCoreHour",
                    "COSTGUARD_PRICE_MEMORY_GIB_HOUR        | NaN                  | pricing.memoryGiBHour",
                    "COSTGUARD_PRICE_GPU_HOUR               | Infinity             | pricing.gpuHour",
                    "COSTGUARD_COST_SOURCE                  | opencost             | cost.source",
                    "COSTGUARD_COST_SOURCE                  | cloudBill            | cost.source",
                    "COSTGUARD_RATE_WINDOW                  | 5min                 | cost.rateWindow",
                    "COSTGUARD_EXTRA_ALLOCATION_KEYS        | Bad-Key              | allocation.extraKeys",
                    "COSTGUARD_EXTRA_ALLOCATION_KEYS        | example.com/team     | allocation.extraKeys",
                    "COSTGUARD_WATCH_NAMESPACES             | Team_A               | watchNamespaces",
                    "COSTGUARD_LEADER_ELECTION              | yes                  | leaderElection.enabled",
                    "COSTGUARD_LEADER_ELECTION_LEASE        | Leader Lease         | leaderElection.leaseName",
                    "COSTGUARD_HTTP_PORT                    | 70000                | http.port",
                    "COSTGUARD_HTTP_PORT                    | -1                   | http.port",
                    "COSTGUARD_HTTP_PORT                    | http                 | http.port",
                    "COSTGUARD_PERF_READ_CONCURRENCY        | 0                    | performance.readConcurrency",
                    "COSTGUARD_PERF_READ_CONCURRENCY        | 33                   | performance.readConcurrency",
                    "COSTGUARD_PERF_READ_CONCURRENCY        | four                 | performance.readConcurrency",
                    "COSTGUARD_RECONCILE_CONCURRENCY        | 0                    | kubernetes.reconcileConcurrency",
                    "COSTGUARD_RECONCILE_CONCURRENCY        | 101                  | kubernetes.reconcileConcurrency",
                    "COSTGUARD_PERF_NAMESPACES_PER_QUERY    | 0                    | performance.namespacesPerQuery",
                    "COSTGUARD_PERF_NAMESPACES_PER_QUERY    | 101                  | performance.namespacesPerQuery",
                    "COSTGUARD_SERVER_SIDE_APPLY            | maybe                | kubernetes.serverSideApply",
                    "POD_NAMESPACE                          | Costguard-System     | operatorNamespace",
                    "COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE | /nonexistent/token   | prometheus.bearerTokenFile",
                    "COSTGUARD_PROMETHEUS_CA_FILE           | /nonexistent/ca.pem  | prometheus.caFile",
                    "COSTGUARD_BENCH_IMAGE                  | 'grafana/k6 1.3'     | bench.image",
                    "COSTGUARD_BENCH_CPU_REQUEST            | half                 | bench.resources.cpuRequest",
                    "COSTGUARD_BENCH_MEMORY_LIMIT           | 0                    | bench.resources.memoryLimit",
                    "COSTGUARD_BENCH_TTL                    | 0s                   | bench.ttlAfterFinished",
                    "COSTGUARD_BENCH_SETTLE                 | soon                 | bench.settle",
                    "COSTGUARD_BENCH_ALLOWED_IMAGES         | 'registry/*/k6'      | bench.allowedImages",
                })
        void aBadEnvironmentValueNamesTheYamlPathTheVariableAndTheValue(
                String variable, String value, String yamlPath) {
            assertThatThrownBy(() -> ConfigLoader.load(env(variable, value)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(yamlPath)
                    .hasMessageContaining(variable)
                    .hasMessageContaining(value);
        }

        @Test
        void messagesSayWhatIsAccepted() {
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_PROMETHEUS_URL", "ftp://x")))
                    .hasMessageContaining("http(s) URL");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_PRICE_CPU_CORE_HOUR", "-1")))
                    .hasMessageContaining("0 or more");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_COST_SOURCE", "x")))
                    .hasMessageContaining("auto, priceSheet, openCost");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_CURRENCY", "usd")))
                    .hasMessageContaining("upper-case ISO 4217");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_HTTP_PORT", "70000")))
                    .hasMessageContaining("0-65535");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_EVALUATION_INTERVAL", "1 minute")))
                    .hasMessageContaining("Prometheus syntax");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_STALE_AFTER", "30m")))
                    .hasMessageContaining("must be longer than 1h");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_EXTRA_ALLOCATION_KEYS", "Bad-Key")))
                    .hasMessageContaining("lower-case label key");
            assertThatThrownBy(() ->
                            ConfigLoader.load(env("COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE", "/nonexistent/token")))
                    .hasMessageContaining("does not exist or cannot be read");
        }

        @Test
        void theOriginOfABadValueIsNamed() throws IOException {
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_HTTP_PORT", "70000")))
                    .hasMessageContaining("from environment variable COSTGUARD_HTTP_PORT");
            assertThatThrownBy(() -> loadWithFile("http:\n  port: 70000\n"))
                    .hasMessageContaining("costguard.yaml http.port");
        }

        @Test
        void theFirstBadExtraKeyIsNamedAmongGoodOnes() {
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_EXTRA_ALLOCATION_KEYS", "cluster,Bad-Key")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'Bad-Key'");
        }
    }

    @Nested
    class Credentials {
        @Test
        void aUserAndPasswordInTheUrlBecomeBasicAuthAndLeaveTheUrl() {
            OperatorConfig c = ConfigLoader.load(
                    env("COSTGUARD_PROMETHEUS_URL", "https://12345:glc%40tok@prometheus.grafana.net/api/prom/"));
            assertThat(c.prometheus().url()).isEqualTo(URI.create("https://prometheus.grafana.net/api/prom"));
            assertThat(c.prometheus().basicAuth()).contains(new OperatorConfig.BasicAuth.FromUrl("12345", "glc@tok"));
            assertThat(c.toString()).doesNotContain("glc").doesNotContain("12345");
        }

        @Test
        void basicAuthFilesFromTheFileOrTheEnvironment() throws IOException {
            Path user = write("user", "u");
            Path password = write("password", "p");
            OperatorConfig fromFile = loadWithFile(
                    "prometheus:\n  basicAuth:\n    usernameFile: " + user + "\n    passwordFile: " + password + "\n");
            OperatorConfig fromEnv = ConfigLoader.load(env(
                    "COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE",
                    user.toString(),
                    "COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE",
                    password.toString()));
            assertThat(fromFile.prometheus().basicAuth())
                    .contains(new OperatorConfig.BasicAuth.FromFiles(user, password));
            assertThat(fromEnv.prometheus().basicAuth())
                    .isEqualTo(fromFile.prometheus().basicAuth());
            assertThat(ConfigLoader.load(env()).prometheus().basicAuth()).isEmpty();
        }

        @Test
        void oneSourceOfCredentialsOnly() throws IOException {
            Path user = write("user", "u");
            Path password = write("password", "p");
            assertThatThrownBy(() ->
                            ConfigLoader.load(env("COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE", user.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.basicAuth.passwordFile")
                    .hasMessageContaining("both");
            assertThatThrownBy(() -> ConfigLoader.load(env(
                            "COSTGUARD_PROMETHEUS_URL",
                            "https://u:s3cret@h",
                            "COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE",
                            user.toString(),
                            "COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE",
                            password.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.url")
                    .hasMessageNotContaining("s3cret");
            assertThatThrownBy(() -> ConfigLoader.load(env(
                            "COSTGUARD_PROMETHEUS_URL",
                            "https://u:s3cret@h",
                            "COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE",
                            password.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.bearerTokenFile")
                    .hasMessageNotContaining("s3cret");
            assertThatThrownBy(() -> ConfigLoader.load(env(
                            "COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE",
                            "/nonexistent/user",
                            "COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE",
                            password.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.basicAuth.usernameFile")
                    .hasMessageContaining("/nonexistent/user");
        }

        @Test
        void aBadUrlOrHeaderIsReportedWithoutItsSecret() {
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_PROMETHEUS_URL", "ftp://user:s3cret@h")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.url")
                    .hasMessageContaining("ftp://***@h")
                    .hasMessageNotContaining("s3cret");
            assertThatThrownBy(() -> ConfigLoader.load(env("COSTGUARD_PROMETHEUS_HEADERS", "X-Scope-OrgID=a,=s3cret")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("prometheus.headers")
                    .hasMessageContaining("pair 2")
                    .hasMessageNotContaining("s3cret");
        }

        @Test
        void headerValuesAreNotInTheConfigsText() {
            assertThat(ConfigLoader.load(env("COSTGUARD_PROMETHEUS_HEADERS", "X-Scope-OrgID=tenant-s3cret"))
                            .toString())
                    .contains("X-Scope-OrgID")
                    .doesNotContain("tenant-s3cret");
        }
    }

    @Test
    void listsAreCommaSeparatedAndBlankEntriesIgnored() {
        OperatorConfig c =
                ConfigLoader.load(env("COSTGUARD_WATCH_NAMESPACES", " a, ,b,,", "COSTGUARD_EXTRA_ALLOCATION_KEYS", ""));
        assertThat(c.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
        assertThat(c.allocationKeys()).hasSize(4);
        assertThat(List.copyOf(c.allocationKeys())).isEqualTo(OperatorConfig.DEFAULT_ALLOCATION_KEYS);
    }
}

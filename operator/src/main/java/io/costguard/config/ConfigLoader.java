package io.costguard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.costguard.config.OperatorConfig.ApplicationCost;
import io.costguard.config.OperatorConfig.CertificateMode;
import io.costguard.config.OperatorConfig.CostSettings;
import io.costguard.config.OperatorConfig.CostSource;
import io.costguard.config.OperatorConfig.LeaderElection;
import io.costguard.config.OperatorConfig.Performance;
import io.costguard.config.OperatorConfig.Pricing;
import io.costguard.config.OperatorConfig.PrometheusSettings;
import io.costguard.config.OperatorConfig.Webhook;
import io.costguard.config.OperatorConfig.WorkloadKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds {@link OperatorConfig} from the YAML file named by {@code COSTGUARD_CONFIG_FILE} (optional) and
 * environment variables, which win over the file. Every bad value is a {@link ConfigException} naming the
 * setting, where it came from, and what is accepted.
 */
public final class ConfigLoader {
    public static final String CONFIG_FILE_ENV = "COSTGUARD_CONFIG_FILE";
    private static final Pattern LABEL_KEY = Pattern.compile("^[a-z]([a-z0-9_]*[a-z0-9])?$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    private final Map<String, String> env;
    private final JsonNode file;
    private final String fileName;

    private ConfigLoader(Map<String, String> env, JsonNode file, String fileName) {
        this.env = env;
        this.file = file;
        this.fileName = fileName;
    }

    public static OperatorConfig fromEnvironment() {
        return load(System.getenv());
    }

    public static OperatorConfig load(Map<String, String> env) {
        String path = env.get(CONFIG_FILE_ENV);
        JsonNode tree = MissingNode.getInstance();
        if (path != null && !path.isBlank()) {
            try {
                tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of(path)));
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    tree = MissingNode.getInstance();
                } else if (!tree.isObject()) {
                    throw new ConfigException(
                            CONFIG_FILE_ENV + " " + path + ": the file must hold a YAML mapping of settings");
                }
            } catch (IOException e) {
                throw new ConfigException(
                        CONFIG_FILE_ENV + " " + path + ": cannot read it as YAML (" + firstLine(e) + ")");
            }
        }
        return new ConfigLoader(env, tree, path).build();
    }

    private OperatorConfig build() {
        URI urlWithUser = read(Settings.PROMETHEUS_URL);
        Optional<Path> token = Optional.ofNullable(read(Settings.PROMETHEUS_BEARER_TOKEN_FILE));
        Optional<OperatorConfig.BasicAuth> basicAuth = basicAuth(urlWithUser, token.isPresent());
        URI url = Redaction.withoutUserInfo(urlWithUser);
        Optional<Path> ca = Optional.ofNullable(read(Settings.PROMETHEUS_CA_FILE));
        Map<String, String> headers = headers();
        Duration timeout = read(Settings.PROMETHEUS_TIMEOUT);
        Duration interval = read(Settings.EVALUATION_INTERVAL);
        Duration staleAfter = read(Settings.STALE_AFTER);
        if (staleAfter.compareTo(Duration.ofHours(1)) <= 0) {
            throw bad(
                    "staleAfter",
                    "COSTGUARD_STALE_AFTER",
                    Durations.format(staleAfter),
                    "must be longer than 1h, since cost is read by complete hours");
        }
        String currency = read(Settings.PRICING_CURRENCY);
        double cpu = read(Settings.PRICING_CPU_CORE_HOUR);
        double mem = read(Settings.PRICING_MEMORY_GIB_HOUR);
        double gpu = read(Settings.PRICING_GPU_HOUR);
        double storage = read(Settings.PRICING_STORAGE_GIB_MONTH);
        Map<String, Double> storageClasses = storageClasses();
        CostSource source = read(Settings.COST_SOURCE);
        Duration rateWindow = read(Settings.COST_RATE_WINDOW);
        List<ApplicationCost> appCosts = applicationCosts();
        List<String> keys = new ArrayList<>(OperatorConfig.DEFAULT_ALLOCATION_KEYS);
        for (String extra : list(Settings.ALLOCATION_EXTRA_KEYS)) {
            if (!LABEL_KEY.matcher(extra).matches()) {
                throw bad(
                        "allocation.extraKeys",
                        "COSTGUARD_EXTRA_ALLOCATION_KEYS",
                        extra,
                        "must be a lower-case label key without prefix, e.g. cluster or cost_center");
            }
            if (!keys.contains(extra)) {
                keys.add(extra);
            }
        }
        Set<String> namespaces = new LinkedHashSet<>();
        for (String ns : list(Settings.WATCH_NAMESPACES)) {
            if (!DNS_LABEL.matcher(ns).matches()) {
                throw bad(
                        "watchNamespaces",
                        "COSTGUARD_WATCH_NAMESPACES",
                        ns,
                        "must be namespace names, comma-separated");
            }
            namespaces.add(ns);
        }
        boolean leader = read(Settings.LEADER_ELECTION_ENABLED);
        String lease = read(Settings.LEADER_ELECTION_LEASE_NAME);
        int port = read(Settings.HTTP_PORT);
        boolean ssa = read(Settings.KUBERNETES_SERVER_SIDE_APPLY);
        int reconcileConcurrency = read(Settings.KUBERNETES_RECONCILE_CONCURRENCY);
        String operatorNs = read(Settings.OPERATOR_NAMESPACE);
        String instance = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "costguard"));
        // for end-to-end tests that must cross a period boundary without waiting for the calendar
        Duration clockOffset = read(Settings.TESTING_CLOCK_OFFSET);
        Webhook webhook = webhook(keys);
        String histogram = read(Settings.PERFORMANCE_DURATION_HISTOGRAM);
        String statusLabel = read(Settings.PERFORMANCE_STATUS_CODE_LABEL);
        Duration perfWindow = read(Settings.PERFORMANCE_WINDOW);
        Duration rightsizingInterval = read(Settings.PERFORMANCE_RIGHTSIZING_INTERVAL);
        int readConcurrency = read(Settings.PERFORMANCE_READ_CONCURRENCY);
        int namespacesPerQuery = read(Settings.PERFORMANCE_NAMESPACES_PER_QUERY);
        return new OperatorConfig(
                new PrometheusSettings(url, token, ca, headers, timeout, basicAuth),
                interval,
                staleAfter,
                new Pricing(currency, cpu, mem, gpu, storage, storageClasses),
                new CostSettings(source, rateWindow, appCosts),
                keys,
                namespaces,
                new LeaderElection(leader, lease),
                port,
                ssa,
                reconcileConcurrency,
                operatorNs,
                instance,
                clockOffset,
                webhook,
                new Performance(
                        histogram, statusLabel, perfWindow, rightsizingInterval, readConcurrency, namespacesPerQuery),
                bench(),
                new OperatorConfig.Attribution(sharedCosts(keys), read(Settings.ATTRIBUTION_IDLE)));
    }

    private OperatorConfig.Bench bench() {
        String image = read(Settings.BENCH_IMAGE);
        Duration ttl = read(Settings.BENCH_TTL_AFTER_FINISHED);
        String cpu = read(Settings.BENCH_RESOURCES_CPU_REQUEST);
        String memory = read(Settings.BENCH_RESOURCES_MEMORY_REQUEST);
        String memoryLimit = read(Settings.BENCH_RESOURCES_MEMORY_LIMIT);
        Duration start = read(Settings.BENCH_START_TIMEOUT);
        Duration settle = read(Settings.BENCH_SETTLE);
        Duration costWait = read(Settings.BENCH_COST_WAIT);
        List<String> allowed = list(Settings.BENCH_ALLOWED_IMAGES);
        for (String entry : allowed) {
            if (entry.isEmpty()
                    || entry.chars().anyMatch(Character::isWhitespace)
                    || entry.indexOf('*') >= 0 && entry.indexOf('*') != entry.length() - 1) {
                throw bad(
                        "bench.allowedImages",
                        "COSTGUARD_BENCH_ALLOWED_IMAGES",
                        entry,
                        "must be image references (grafana/k6:1.3.0) or prefixes ending in * (registry.example.com/k6:*), comma-separated");
            }
        }
        return new OperatorConfig.Bench(
                image,
                ttl,
                cpu,
                memory,
                memoryLimit,
                start,
                settle,
                costWait,
                allowed.isEmpty() ? List.of(image) : allowed);
    }

    static String quantity(String raw) {
        java.math.BigDecimal amount;
        try {
            amount = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(raw));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a Kubernetes quantity; use e.g. 500m or 256Mi");
        }
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException(
                    "'" + raw + "' must be a positive Kubernetes quantity, e.g. 500m or 256Mi");
        }
        return raw;
    }

    private Webhook webhook(List<String> keys) {
        boolean enabled = read(Settings.WEBHOOK_ENABLED);
        int port = read(Settings.WEBHOOK_PORT);
        CertificateMode mode = read(Settings.WEBHOOK_CERTIFICATES_MODE);
        Path dir = read(Settings.WEBHOOK_CERTIFICATES_DIR);
        String secret = read(Settings.WEBHOOK_CERTIFICATES_SECRET_NAME);
        String service = read(Settings.WEBHOOK_CERTIFICATES_SERVICE_NAME);
        String configName = read(Settings.WEBHOOK_CERTIFICATES_WEBHOOK_CONFIGURATION_NAME);
        Duration validity = read(Settings.WEBHOOK_CERTIFICATES_VALIDITY);
        if (validity.compareTo(Duration.ofHours(1)) < 0) {
            throw bad(
                    "webhook.certificates.validity",
                    "COSTGUARD_WEBHOOK_CERT_VALIDITY",
                    Durations.format(validity),
                    "must be at least 1h");
        }
        Duration reload = read(Settings.WEBHOOK_CERTIFICATES_RELOAD_INTERVAL);
        String labelMode = read(Settings.WEBHOOK_LABELS_MODE);
        Map<String, String> patterns = new LinkedHashMap<>();
        JsonNode pnode = at("webhook.labels.patterns");
        if (pnode.isObject()) {
            var it = pnode.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!keys.contains(e.getKey())) {
                    throw new ConfigException("invalid setting webhook.labels.patterns." + e.getKey() + " in "
                            + fileName + ": not an allocation key (" + String.join(", ", keys) + ")");
                }
                try {
                    Pattern.compile(e.getValue().asText());
                } catch (java.util.regex.PatternSyntaxException ex) {
                    throw new ConfigException("invalid setting webhook.labels.patterns." + e.getKey() + " in "
                            + fileName + ": not a regular expression (" + firstLine(ex) + ")");
                }
                patterns.put(e.getKey(), e.getValue().asText());
            }
        } else if (!pnode.isMissingNode() && !pnode.isNull()) {
            throw new ConfigException("invalid setting webhook.labels.patterns in " + fileName
                    + ": expected a mapping of allocation key to regular expression");
        }
        boolean defaults = read(Settings.WEBHOOK_LABELS_NAMESPACE_DEFAULTS);
        List<String> exempt = new ArrayList<>();
        for (String ns : list(Settings.WEBHOOK_EXEMPT_NAMESPACES)) {
            if (!DNS_LABEL.matcher(ns).matches()) {
                throw bad(
                        "webhook.exemptNamespaces",
                        "COSTGUARD_EXEMPT_NAMESPACES",
                        ns,
                        "must be namespace names, comma-separated");
            }
            exempt.add(ns);
        }
        List<WorkloadKind> kinds = workloadKinds();
        Duration breakGlass = read(Settings.WEBHOOK_BREAK_GLASS_MAX_AGE);
        boolean preview = read(Settings.WEBHOOK_COST_PREVIEW);
        Optional<URI> opa = Optional.ofNullable(read(Settings.WEBHOOK_OPA_URL));
        String opaPath = read(Settings.WEBHOOK_OPA_PATH);
        Duration opaTimeout = read(Settings.WEBHOOK_OPA_TIMEOUT);
        Duration audit = read(Settings.WEBHOOK_AUDIT_INTERVAL);
        return new Webhook(
                enabled,
                port,
                mode,
                dir,
                secret,
                service,
                configName,
                validity,
                reload,
                labelMode,
                patterns,
                defaults,
                exempt,
                kinds,
                breakGlass,
                preview,
                opa,
                opaPath,
                opaTimeout,
                audit);
    }

    private List<WorkloadKind> workloadKinds() {
        JsonNode node = at("webhook.workloadKinds");
        if (node.isMissingNode() || node.isNull()) {
            return DEFAULT_WORKLOAD_KINDS;
        }
        if (!node.isArray()) {
            throw new ConfigException("invalid setting webhook.workloadKinds in " + fileName
                    + ": expected a list of {group, kind, templatePath}");
        }
        List<WorkloadKind> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String kind = item.path("kind").asText("");
            String path = item.path("templatePath").asText("");
            if (!kind.matches("^[A-Z][A-Za-z0-9]*$") || !(path.isEmpty() || path.startsWith("/"))) {
                throw new ConfigException(
                        "invalid setting webhook.workloadKinds[" + i + "] in " + fileName
                                + ": needs kind (e.g. Rollout), group (e.g. argoproj.io, \"\" for core) and templatePath (a JSON pointer such as /spec/template)");
            }
            out.add(new WorkloadKind(item.path("group").asText(""), kind, path));
        }
        return out;
    }

    /** The pinned k6 image BenchRuns use by default, and the only one they may name unless bench.allowedImages says more. */
    public static final String DEFAULT_BENCH_IMAGE = "grafana/k6:1.3.0";

    public static final List<WorkloadKind> DEFAULT_WORKLOAD_KINDS = List.of(
            new WorkloadKind("apps", "Deployment", "/spec/template"),
            new WorkloadKind("apps", "StatefulSet", "/spec/template"),
            new WorkloadKind("apps", "DaemonSet", "/spec/template"),
            new WorkloadKind("apps", "ReplicaSet", "/spec/template"),
            new WorkloadKind("batch", "Job", "/spec/template"),
            new WorkloadKind("batch", "CronJob", "/spec/jobTemplate/spec/template"),
            new WorkloadKind("", "Pod", ""),
            new WorkloadKind("argoproj.io", "Rollout", "/spec/template"));

    private <T> T read(Setting<T> setting) {
        return get(setting.key(), setting.env(), setting.fallback(), setting.parse());
    }

    private <T> T get(String yamlPath, String envName, String fallback, Function<String, T> parse) {
        String raw = env.get(envName);
        String origin = "environment variable " + envName;
        if (raw == null) {
            JsonNode node = at(yamlPath);
            if (node.isValueNode() && !node.isNull()) {
                raw = node.asText();
                origin = fileName + " " + yamlPath;
            } else if (!node.isMissingNode() && !node.isNull()) {
                throw new ConfigException("invalid setting " + yamlPath + " (" + envName + ") in " + fileName
                        + ": expected a single value");
            }
        }
        if (raw == null) {
            raw = fallback;
            origin = "default";
        }
        try {
            return parse.apply(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "invalid setting " + yamlPath + " (" + envName + ", from " + origin + "): " + e.getMessage());
        }
    }

    private ConfigException bad(String yamlPath, String envName, String value, String why) {
        return new ConfigException("invalid setting " + yamlPath + " (" + envName + "): '" + value + "' " + why);
    }

    private JsonNode at(String yamlPath) {
        return file.at("/" + yamlPath.replace('.', '/'));
    }

    private List<String> list(Setting<Void> setting) {
        String yamlPath = setting.key();
        String envName = setting.env();
        String raw = env.get(envName);
        if (raw != null) {
            return Arrays.stream(raw.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        JsonNode node = at(yamlPath);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(
                    "invalid setting " + yamlPath + " (" + envName + ") in " + fileName + ": expected a list");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText().trim()));
        return out;
    }

    private Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = env.get("COSTGUARD_PROMETHEUS_HEADERS");
        if (raw != null) {
            for (String pair : raw.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    // the pair is not echoed: it may be a header value
                    throw new ConfigException(
                            "invalid setting prometheus.headers (COSTGUARD_PROMETHEUS_HEADERS): pair "
                                    + (out.size() + 1)
                                    + " has no Name= part; write Name=value pairs, comma-separated, e.g. X-Scope-OrgID=tenant-a");
                }
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return out;
        }
        JsonNode node = at("prometheus.headers");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            throw new ConfigException("invalid setting prometheus.headers (COSTGUARD_PROMETHEUS_HEADERS) in " + fileName
                    + ": expected a mapping of header name to value");
        }
        return out;
    }

    private List<OperatorConfig.SharedCost> sharedCosts(List<String> keys) {
        JsonNode node = at("attribution.shared");
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException("invalid setting attribution.shared in " + fileName
                    + ": expected a list of {name, namespaces, selector, splitBy, driver, query, weights}");
        }
        List<OperatorConfig.SharedCost> out = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(sharedCost("attribution.shared[" + i + "]", node.get(i), keys, names));
        }
        return out;
    }

    private OperatorConfig.SharedCost sharedCost(String path, JsonNode item, List<String> keys, Set<String> names) {
        if (!item.isObject()) {
            throw new ConfigException("invalid setting " + path + " in " + fileName
                    + ": expected {name, namespaces, selector, splitBy, driver, query, weights}");
        }
        String name = item.path("name").asText("");
        if (!DNS_LABEL.matcher(name).matches() || !names.add(name)) {
            throw new ConfigException("invalid setting " + path + ".name in " + fileName
                    + ": needs a unique lower-case name, e.g. monitoring");
        }
        List<String> namespaces = new ArrayList<>();
        JsonNode ns = item.path("namespaces");
        if (ns.isArray()) {
            for (int j = 0; j < ns.size(); j++) {
                if (!DNS_LABEL.matcher(ns.get(j).asText("")).matches()) {
                    throw new ConfigException("invalid setting " + path + ".namespaces[" + j + "] in " + fileName
                            + ": '" + ns.get(j).asText("") + "' is not a namespace name");
                }
                namespaces.add(ns.get(j).asText());
            }
        } else if (!ns.isMissingNode() && !ns.isNull()) {
            throw new ConfigException("invalid setting " + path + ".namespaces in " + fileName
                    + ": expected a list of namespaces, e.g. [monitoring, ingress-nginx]");
        }
        Map<String, String> selector = new LinkedHashMap<>();
        JsonNode sel = item.path("selector");
        if (sel.isObject()) {
            var it = sel.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!keys.contains(e.getKey())
                        || !e.getValue().isValueNode()
                        || e.getValue().asText().isEmpty()) {
                    throw new ConfigException("invalid setting " + path + ".selector." + e.getKey() + " in " + fileName
                            + ": needs an allocation key (" + String.join(", ", keys)
                            + ") and a value, e.g. tenant: platform");
                }
                selector.put(e.getKey(), e.getValue().asText());
            }
        } else if (!sel.isMissingNode() && !sel.isNull()) {
            throw new ConfigException("invalid setting " + path + ".selector in " + fileName
                    + ": expected a mapping of allocation key to value, e.g. {tenant: platform}");
        }
        if (namespaces.isEmpty() && selector.isEmpty()) {
            throw new ConfigException("invalid setting " + path + " in " + fileName
                    + ": select the shared cost with namespaces, a selector, or both");
        }
        String splitBy = item.path("splitBy").asText("tenant");
        if (!keys.contains(splitBy)) {
            throw new ConfigException("invalid setting " + path + ".splitBy in " + fileName + ": '" + splitBy
                    + "' is not an allocation key (" + String.join(", ", keys) + ")");
        }
        String driverName = item.path("driver").asText("Weighted");
        ShareDriver driver = java.util.Arrays.stream(ShareDriver.values())
                .filter(d -> d.name().equals(driverName))
                .findFirst()
                .orElseThrow(() -> new ConfigException("invalid setting " + path + ".driver in " + fileName + ": '"
                        + driverName + "' is not one of Weighted, Even, Query"));
        String query = item.path("query").asText("");
        if (driver == ShareDriver.Query && query.isBlank()) {
            throw new ConfigException("invalid setting " + path + ".query in " + fileName
                    + ": the Query driver needs PromQL giving a share per " + splitBy
                    + " at each hour end, e.g. sum by ("
                    + splitBy + ") (increase(http_requests_total[1h]))");
        }
        if (driver != ShareDriver.Query && !query.isBlank()) {
            throw new ConfigException("invalid setting " + path + ".query in " + fileName
                    + ": only the Query driver reads a query; set driver: Query or remove the query");
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        JsonNode w = item.path("weights");
        if (w.isObject()) {
            var it = w.fields();
            while (it.hasNext()) {
                var e = it.next();
                try {
                    weights.put(
                            e.getKey(),
                            price(e.getValue().isValueNode() ? e.getValue().asText() : "?"));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException("invalid setting " + path + ".weights." + e.getKey() + " in " + fileName
                            + ": " + ex.getMessage().replace("price", "weight") + " (a weight of 0 or more, e.g. 2)");
                }
            }
        } else if (!w.isMissingNode() && !w.isNull()) {
            throw new ConfigException("invalid setting " + path + ".weights in " + fileName + ": expected a mapping of "
                    + splitBy + " value to weight, e.g. {alpha: 2, beta: 1}");
        }
        return new OperatorConfig.SharedCost(name, namespaces, selector, splitBy, driver, query, weights);
    }

    private Map<String, Double> storageClasses() {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode node = at("pricing.storageClasses");
        if (node.isObject()) {
            var it = node.fields();
            while (it.hasNext()) {
                var e = it.next();
                String path = "pricing.storageClasses." + e.getKey();
                if (!e.getKey().matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")) {
                    throw new ConfigException("invalid setting " + path + " in " + fileName
                            + ": not a storage class name (lower-case, e.g. fast-ssd)");
                }
                try {
                    out.put(
                            e.getKey(),
                            price(e.getValue().isValueNode() ? e.getValue().asText() : "?"));
                } catch (IllegalArgumentException ex) {
                    throw new ConfigException("invalid setting " + path + " in " + fileName + ": " + ex.getMessage()
                            + " (a price per GiB-month, e.g. 0.17)");
                }
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            throw new ConfigException("invalid setting pricing.storageClasses in " + fileName
                    + ": expected a mapping of storage class to price per GiB-month, e.g. {fast-ssd: 0.17}");
        }
        return out;
    }

    private List<ApplicationCost> applicationCosts() {
        JsonNode node = at("cost.applicationCosts");
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(
                    "invalid setting cost.applicationCosts in " + fileName + ": expected a list of {name, query}");
        }
        List<ApplicationCost> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String name = item.path("name").asText("");
            String query = item.path("query").asText("");
            if (!DNS_LABEL.matcher(name).matches() || query.isBlank()) {
                throw new ConfigException(
                        "invalid setting cost.applicationCosts[" + i + "] in " + fileName
                                + ": needs name (lower-case, e.g. llm) and query (PromQL giving the money spent in the hour ending at each step)");
            }
            out.add(new ApplicationCost(name, query));
        }
        return out;
    }

    /**
     * Basic auth from {@code prometheus.basicAuth.usernameFile} / {@code passwordFile}, or from the user and password in
     * the URL (taken out of it, so that it is never printed). One source of credentials only.
     */
    private Optional<OperatorConfig.BasicAuth> basicAuth(URI url, boolean bearerToken) {
        Path user = read(Settings.PROMETHEUS_BASIC_AUTH_USERNAME_FILE);
        Path password = read(Settings.PROMETHEUS_BASIC_AUTH_PASSWORD_FILE);
        if ((user == null) != (password == null)) {
            String missing = user == null
                    ? "prometheus.basicAuth.usernameFile (COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE)"
                    : "prometheus.basicAuth.passwordFile (COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE)";
            throw new ConfigException(
                    "invalid setting " + missing + ": basic auth needs both a username file and a password file");
        }
        Optional<OperatorConfig.BasicAuth> auth = Optional.empty();
        if (user != null) {
            auth = Optional.of(new OperatorConfig.BasicAuth.FromFiles(user, password));
        }
        if (url.getRawUserInfo() != null) {
            if (auth.isPresent()) {
                throw new ConfigException(
                        "invalid setting prometheus.url (COSTGUARD_PROMETHEUS_URL): it carries a user and password and "
                                + "prometheus.basicAuth is set too; keep one, preferably the files (mounted from a Secret)");
            }
            auth = Optional.of(OperatorConfig.BasicAuth.FromUrl.of(url.getUserInfo()));
        }
        if (auth.isPresent() && bearerToken) {
            throw new ConfigException(
                    "invalid setting prometheus.bearerTokenFile (COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE): basic auth is set too "
                            + "(prometheus.basicAuth or a user in prometheus.url); keep one");
        }
        return auth;
    }

    static URI httpUrl(String raw) {
        try {
            URI uri = URI.create(raw);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return URI.create(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(
                "'" + Redaction.text(raw) + "' is not an http(s) URL, e.g. http://prometheus.monitoring:9090");
    }

    static Path readableFile(String raw) {
        if (raw.isEmpty()) {
            return null;
        }
        Path p = Path.of(raw);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException("file '" + raw + "' does not exist or cannot be read");
        }
        return p;
    }

    static Function<String, Duration> positiveDuration() {
        return raw -> {
            Duration d = Durations.parse(raw);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + raw + "' must be longer than zero");
            }
            return d;
        };
    }

    static String currency(String raw) {
        if (!raw.matches("^[A-Z]{3}$")) {
            throw new IllegalArgumentException("'" + raw + "' is not an upper-case ISO 4217 code such as USD or EUR");
        }
        try {
            Currency.getInstance(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + raw + "' is not an ISO 4217 currency code");
        }
        return raw;
    }

    static double price(String raw) {
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a number; write a price such as 0.031611");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("'" + raw + "' must be a price of 0 or more");
        }
        return v;
    }

    static CostSource costSource(String raw) {
        for (CostSource s : CostSource.values()) {
            if (s.name().equals(raw)) {
                return s;
            }
        }
        throw new IllegalArgumentException("'" + raw + "' is not one of auto, priceSheet, openCost");
    }

    static boolean bool(String raw) {
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + raw + "' must be true or false");
        };
    }

    static int port(String raw) {
        try {
            int p = Integer.parseInt(raw);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + raw + "' is not a port number (0-65535; 0 picks a free port)");
    }

    static Function<String, Integer> count(int min, int max) {
        return raw -> {
            try {
                int n = Integer.parseInt(raw.trim());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("'" + raw + "' is not a whole number from " + min + " to " + max);
        };
    }

    static Function<String, String> dnsName(String what) {
        return raw -> {
            if (!raw.matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") || raw.length() > 253) {
                throw new IllegalArgumentException("'" + raw + "' is not a valid Kubernetes name");
            }
            return raw;
        };
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package io.costguard.config;

import io.costguard.config.OperatorConfig.CertificateMode;
import io.costguard.config.OperatorConfig.CostSource;
import io.costguard.config.Setting.Shape;
import io.costguard.config.Setting.Where;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting the operator reads, in one table: {@link ConfigLoader} reads them from here, and SettingsTableTest
 * checks that the README's configuration table and the chart's values.schema.json list exactly these.
 */
public final class Settings {
    private Settings() {}

    public static final Setting<URI> PROMETHEUS_URL = Setting.value(
            "prometheus.url",
            "COSTGUARD_PROMETHEUS_URL",
            "http://localhost:9090",
            Where.CONFIG,
            "Base URL of the Prometheus HTTP API (or Thanos, Mimir, VictoriaMetrics); a user:password@ is sent as basic auth",
            ConfigLoader::httpUrl);

    public static final Setting<Path> PROMETHEUS_BEARER_TOKEN_FILE = Setting.value(
            "prometheus.bearerTokenFile",
            "COSTGUARD_PROMETHEUS_BEARER_TOKEN_FILE",
            "",
            Where.CONFIG,
            "File holding a bearer token for Prometheus, read on every query",
            ConfigLoader::readableFile);

    public static final Setting<Path> PROMETHEUS_CA_FILE = Setting.value(
            "prometheus.caFile",
            "COSTGUARD_PROMETHEUS_CA_FILE",
            "",
            Where.CONFIG,
            "PEM file of the CA that signs Prometheus' certificate (default: the system trust store)",
            ConfigLoader::readableFile);

    public static final Setting<Path> PROMETHEUS_BASIC_AUTH_USERNAME_FILE = Setting.value(
            "prometheus.basicAuth.usernameFile",
            "COSTGUARD_PROMETHEUS_BASIC_AUTH_USERNAME_FILE",
            "",
            Where.CONFIG,
            "File holding the basic-auth user name for Prometheus, read on every query",
            ConfigLoader::readableFile);

    public static final Setting<Path> PROMETHEUS_BASIC_AUTH_PASSWORD_FILE = Setting.value(
            "prometheus.basicAuth.passwordFile",
            "COSTGUARD_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE",
            "",
            Where.CONFIG,
            "File holding the basic-auth password for Prometheus, read on every query",
            ConfigLoader::readableFile);

    public static final Setting<Void> PROMETHEUS_HEADERS = Setting.structured(
            "prometheus.headers",
            "COSTGUARD_PROMETHEUS_HEADERS",
            Shape.MAP,
            Where.CONFIG,
            "Extra HTTP headers on every Prometheus query (Name=value pairs in the environment); values never printed");

    public static final Setting<Duration> PROMETHEUS_TIMEOUT = Setting.value(
            "prometheus.timeout",
            "COSTGUARD_PROMETHEUS_TIMEOUT",
            "30s",
            Where.CONFIG,
            "Timeout of one Prometheus query",
            ConfigLoader.positiveDuration());

    public static final Setting<Duration> EVALUATION_INTERVAL = Setting.value(
            "evaluationInterval",
            "COSTGUARD_EVALUATION_INTERVAL",
            "60s",
            Where.CONFIG,
            "How often cost is read and budgets are evaluated",
            ConfigLoader.positiveDuration());

    public static final Setting<Duration> STALE_AFTER = Setting.value(
            "staleAfter",
            "COSTGUARD_STALE_AFTER",
            "3h",
            Where.CONFIG,
            "Cost data older than this is stale: budgets go Unknown and nothing is acted on (must exceed 1h)",
            ConfigLoader.positiveDuration());

    public static final Setting<String> PRICING_CURRENCY = Setting.value(
            "pricing.currency",
            "COSTGUARD_CURRENCY",
            "USD",
            Where.CONFIG,
            "ISO 4217 currency of every price and budget",
            ConfigLoader::currency);

    public static final Setting<Double> PRICING_CPU_CORE_HOUR = Setting.value(
            "pricing.cpuCoreHour",
            "COSTGUARD_PRICE_CPU_CORE_HOUR",
            "0.031611",
            Where.CONFIG,
            "Price of one CPU core for an hour (price-sheet source)",
            ConfigLoader::price);

    public static final Setting<Double> PRICING_MEMORY_GIB_HOUR = Setting.value(
            "pricing.memoryGiBHour",
            "COSTGUARD_PRICE_MEMORY_GIB_HOUR",
            "0.004237",
            Where.CONFIG,
            "Price of one GiB of memory for an hour (price-sheet source)",
            ConfigLoader::price);

    public static final Setting<Double> PRICING_GPU_HOUR = Setting.value(
            "pricing.gpuHour",
            "COSTGUARD_PRICE_GPU_HOUR",
            "0.95",
            Where.CONFIG,
            "Price of one GPU for an hour (price-sheet source)",
            ConfigLoader::price);

    public static final Setting<Double> PRICING_STORAGE_GIB_MONTH = Setting.value(
            "pricing.storageGiBMonth",
            "COSTGUARD_PRICE_STORAGE_GIB_MONTH",
            "0.04",
            Where.CONFIG,
            "Price of one GiB of persistent volume claim for a month of 730 hours, where OpenCost's pv_hourly_cost is absent",
            ConfigLoader::price);

    public static final Setting<Void> PRICING_STORAGE_CLASSES = Setting.structured(
            "pricing.storageClasses",
            null,
            Shape.MAP,
            Where.CONFIG,
            "Price per GiB-month by storage class, overriding pricing.storageGiBMonth (file only)");

    public static final Setting<CostSource> COST_SOURCE = Setting.value(
            "cost.source",
            "COSTGUARD_COST_SOURCE",
            "auto",
            Where.CONFIG,
            "Where cost comes from: auto, priceSheet or openCost",
            ConfigLoader::costSource);

    public static final Setting<Duration> COST_RATE_WINDOW = Setting.value(
            "cost.rateWindow",
            "COSTGUARD_RATE_WINDOW",
            "5m",
            Where.CONFIG,
            "Rate window of the usage queries (at least twice the scrape interval)",
            ConfigLoader.positiveDuration());

    public static final Setting<Void> COST_APPLICATION_COSTS = Setting.structured(
            "cost.applicationCosts",
            null,
            Shape.OBJECTS,
            Where.CONFIG,
            "Extra cost sources: {name, query} PromQL giving money per hour (file only)");

    public static final Setting<Void> ATTRIBUTION_SHARED = Setting.structured(
            "attribution.shared",
            null,
            Shape.OBJECTS,
            Where.CONFIG,
            "Shared costs split across an allocation key: {name, namespaces, selector, splitBy, driver, query, weights}"
                    + " (file only)");

    public static final Setting<OperatorConfig.IdleMode> ATTRIBUTION_IDLE = Setting.value(
            "attribution.idle",
            "COSTGUARD_ATTRIBUTION_IDLE",
            "Show",
            Where.CONFIG,
            "Idle node cost (OpenCost node prices): Show as its own bucket, Share by direct cost, or Hide",
            raw -> {
                for (OperatorConfig.IdleMode m : OperatorConfig.IdleMode.values()) {
                    if (m.name().equals(raw)) {
                        return m;
                    }
                }
                throw new IllegalArgumentException("'" + raw + "' is not one of Show, Share, Hide");
            });

    public static final Setting<Void> ALLOCATION_EXTRA_KEYS = Setting.structured(
            "allocation.extraKeys",
            "COSTGUARD_EXTRA_ALLOCATION_KEYS",
            Shape.LIST,
            Where.CONFIG,
            "Allocation label keys beyond tenant, feature, team, environment");

    public static final Setting<Void> WATCH_NAMESPACES = Setting.structured(
            "watchNamespaces",
            "COSTGUARD_WATCH_NAMESPACES",
            Shape.LIST,
            Where.CONFIG,
            "Namespaces the operator watches (default: all)");

    public static final Setting<Boolean> LEADER_ELECTION_ENABLED = Setting.value(
            "leaderElection.enabled",
            "COSTGUARD_LEADER_ELECTION",
            "false",
            Where.CONFIG,
            "Compete for a Lease so that only one replica acts",
            ConfigLoader::bool);

    public static final Setting<String> LEADER_ELECTION_LEASE_NAME = Setting.value(
            "leaderElection.leaseName",
            "COSTGUARD_LEADER_ELECTION_LEASE",
            "costguard-leader",
            Where.CONFIG,
            "Name of the Lease in the operator's namespace",
            ConfigLoader.dnsName("leaderElection.leaseName"));

    public static final Setting<Integer> HTTP_PORT = Setting.value(
            "http.port",
            "COSTGUARD_HTTP_PORT",
            "8080",
            Where.CONFIG,
            "Port of /metrics, /healthz and /readyz (0 picks a free port)",
            ConfigLoader::port);

    public static final Setting<Boolean> KUBERNETES_SERVER_SIDE_APPLY = Setting.value(
            "kubernetes.serverSideApply",
            "COSTGUARD_SERVER_SIDE_APPLY",
            "false",
            Where.CONFIG,
            "Write status and finalizers, and create k6 Jobs, with server-side apply (opt-in, untested here)",
            ConfigLoader::bool);

    public static final Setting<Integer> KUBERNETES_RECONCILE_CONCURRENCY = Setting.value(
            "kubernetes.reconcileConcurrency",
            "COSTGUARD_RECONCILE_CONCURRENCY",
            "10",
            Where.CONFIG,
            "Reconciles (and dependent-resource steps) run at once per operator (1-100); each holds its object in flight",
            ConfigLoader.count(1, 100));

    public static final Setting<String> OPERATOR_NAMESPACE = Setting.value(
            "operatorNamespace",
            "POD_NAMESPACE",
            "costguard-system",
            Where.CHART_ENV,
            "The operator's own namespace (the chart sets POD_NAMESPACE)",
            ConfigLoader.dnsName("operatorNamespace"));

    public static final Setting<Duration> TESTING_CLOCK_OFFSET = Setting.value(
            "testing.clockOffset",
            "COSTGUARD_TEST_CLOCK_OFFSET",
            "0s",
            Where.TESTING,
            "Shifts the operator's clock, for end-to-end tests only",
            raw -> raw.startsWith("-")
                    ? Durations.parse(raw.substring(1)).negated()
                    : "0s".equals(raw) ? Duration.ZERO : Durations.parse(raw));

    public static final Setting<Boolean> WEBHOOK_ENABLED = Setting.value(
            "webhook.enabled",
            "COSTGUARD_WEBHOOK_ENABLED",
            "false",
            Where.CHART_ENV,
            "Serve the admission webhook",
            ConfigLoader::bool);

    public static final Setting<Integer> WEBHOOK_PORT = Setting.value(
            "webhook.port",
            "COSTGUARD_WEBHOOK_PORT",
            "8443",
            Where.CHART_ENV,
            "Port of the admission webhook (TLS)",
            ConfigLoader::port);

    public static final Setting<CertificateMode> WEBHOOK_CERTIFICATES_MODE = Setting.value(
            "webhook.certificates.mode",
            "COSTGUARD_WEBHOOK_CERT_MODE",
            "files",
            Where.CHART_ENV,
            "files (a mounted Secret, e.g. from cert-manager) or generate",
            raw -> {
                for (CertificateMode m : CertificateMode.values()) {
                    if (m.name().equals(raw)) {
                        return m;
                    }
                }
                throw new IllegalArgumentException(
                        "'" + raw + "' is not one of files (a mounted Secret, e.g. from cert-manager), generate");
            });

    public static final Setting<Path> WEBHOOK_CERTIFICATES_DIR = Setting.value(
            "webhook.certificates.dir",
            "COSTGUARD_WEBHOOK_CERT_DIR",
            "/etc/costguard/tls",
            Where.CHART_ENV,
            "Directory holding tls.crt and tls.key in files mode",
            raw -> {
                Path dir = Path.of(raw);
                if (!dir.isAbsolute()) {
                    throw new IllegalArgumentException(
                            "'" + raw + "' must be an absolute path such as /etc/costguard/tls");
                }
                return dir;
            });

    public static final Setting<String> WEBHOOK_CERTIFICATES_SECRET_NAME = Setting.value(
            "webhook.certificates.secretName",
            "COSTGUARD_WEBHOOK_CERT_SECRET",
            "costguard-webhook-tls",
            Where.CHART_ENV,
            "Secret the generated certificate is kept in",
            ConfigLoader.dnsName("webhook.certificates.secretName"));

    public static final Setting<String> WEBHOOK_CERTIFICATES_SERVICE_NAME = Setting.value(
            "webhook.certificates.serviceName",
            "COSTGUARD_WEBHOOK_SERVICE",
            "costguard-webhook",
            Where.CHART_ENV,
            "Service name the generated certificate is issued for",
            ConfigLoader.dnsName("webhook.certificates.serviceName"));

    public static final Setting<String> WEBHOOK_CERTIFICATES_WEBHOOK_CONFIGURATION_NAME = Setting.value(
            "webhook.certificates.webhookConfigurationName",
            "COSTGUARD_WEBHOOK_CONFIGURATION",
            "costguard",
            Where.CHART_ENV,
            "ValidatingWebhookConfiguration whose caBundle generate mode keeps current",
            ConfigLoader.dnsName("webhook.certificates.webhookConfigurationName"));

    public static final Setting<Duration> WEBHOOK_CERTIFICATES_VALIDITY = Setting.value(
            "webhook.certificates.validity",
            "COSTGUARD_WEBHOOK_CERT_VALIDITY",
            "365d",
            Where.CONFIG,
            "Validity of a generated certificate (at least 1h)",
            ConfigLoader.positiveDuration());

    public static final Setting<Duration> WEBHOOK_CERTIFICATES_RELOAD_INTERVAL = Setting.value(
            "webhook.certificates.reloadInterval",
            "COSTGUARD_WEBHOOK_CERT_RELOAD",
            "30s",
            Where.CONFIG,
            "How often the certificate files are checked for a new certificate",
            ConfigLoader.positiveDuration());

    public static final Setting<String> WEBHOOK_LABELS_MODE = Setting.value(
            "webhook.labels.mode",
            "COSTGUARD_LABEL_MODE",
            "Enforce",
            Where.CONFIG,
            "What the label rule does with an unlabelled workload: Enforce, Warn or Audit",
            raw -> {
                if (!List.of("Enforce", "Warn", "Audit").contains(raw)) {
                    throw new IllegalArgumentException("'" + raw + "' is not one of Enforce, Warn, Audit");
                }
                return raw;
            });

    public static final Setting<Void> WEBHOOK_LABELS_PATTERNS = Setting.structured(
            "webhook.labels.patterns",
            null,
            Shape.MAP,
            Where.CONFIG,
            "Regular expression per allocation key that label values must match (file only)");

    public static final Setting<Boolean> WEBHOOK_LABELS_NAMESPACE_DEFAULTS = Setting.value(
            "webhook.labels.namespaceDefaults",
            "COSTGUARD_LABEL_NAMESPACE_DEFAULTS",
            "false",
            Where.CONFIG,
            "Take missing allocation labels from the namespace's labels",
            ConfigLoader::bool);

    public static final Setting<Void> WEBHOOK_EXEMPT_NAMESPACES = Setting.structured(
            "webhook.exemptNamespaces",
            "COSTGUARD_EXEMPT_NAMESPACES",
            Shape.LIST,
            Where.CONFIG,
            "Namespaces the webhook never judges (kube-system and the operator's always are)");

    public static final Setting<Void> WEBHOOK_WORKLOAD_KINDS = Setting.structured(
            "webhook.workloadKinds",
            null,
            Shape.OBJECTS,
            Where.CONFIG,
            "Kinds the label rule judges, as {group, kind, templatePath} (file only)");

    public static final Setting<Duration> WEBHOOK_BREAK_GLASS_MAX_AGE = Setting.value(
            "webhook.breakGlassMaxAge",
            "COSTGUARD_BREAK_GLASS_MAX_AGE",
            "1h",
            Where.CONFIG,
            "Longest a break-glass annotation may reach into the future",
            ConfigLoader.positiveDuration());

    public static final Setting<Boolean> WEBHOOK_COST_PREVIEW = Setting.value(
            "webhook.costPreview",
            "COSTGUARD_COST_PREVIEW",
            "true",
            Where.CONFIG,
            "Warn with the projected cost of a change at admission",
            ConfigLoader::bool);

    public static final Setting<URI> WEBHOOK_OPA_URL = Setting.value(
            "webhook.opa.url",
            "COSTGUARD_OPA_URL",
            "",
            Where.CONFIG,
            "Base URL of an OPA server whose decision joins the built-in rules (default: none)",
            raw -> raw.isEmpty() ? null : ConfigLoader.httpUrl(raw));

    public static final Setting<String> WEBHOOK_OPA_PATH = Setting.value(
            "webhook.opa.path",
            "COSTGUARD_OPA_PATH",
            "costguard/admission/deny",
            Where.CONFIG,
            "OPA data path of the deny decision",
            raw -> {
                if (!raw.matches("^[A-Za-z0-9_]+(/[A-Za-z0-9_]+)*$")) {
                    throw new IllegalArgumentException("'" + raw
                            + "' must be a data path such as costguard/admission (package costguard.admission)");
                }
                return raw;
            });

    public static final Setting<Duration> WEBHOOK_OPA_TIMEOUT = Setting.value(
            "webhook.opa.timeout",
            "COSTGUARD_OPA_TIMEOUT",
            "250ms",
            Where.CONFIG,
            "Timeout of one OPA call; on timeout the built-in rules decide alone",
            ConfigLoader.positiveDuration());

    public static final Setting<Duration> WEBHOOK_AUDIT_INTERVAL = Setting.value(
            "webhook.auditInterval",
            "COSTGUARD_AUDIT_INTERVAL",
            "10m",
            Where.CONFIG,
            "How often running workloads are audited against the label rule",
            ConfigLoader.positiveDuration());

    public static final Setting<String> PERFORMANCE_DURATION_HISTOGRAM = Setting.value(
            "performance.durationHistogram",
            "COSTGUARD_PERF_HISTOGRAM",
            "http_server_request_duration_seconds",
            Where.CONFIG,
            "Histogram of request durations (without _bucket/_count) PerfBaselines read",
            raw -> {
                if (!raw.matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$")) {
                    throw new IllegalArgumentException(
                            "'" + raw + "' is not a Prometheus metric name (without _bucket/_count)");
                }
                return raw;
            });

    public static final Setting<String> PERFORMANCE_STATUS_CODE_LABEL = Setting.value(
            "performance.statusCodeLabel",
            "COSTGUARD_PERF_STATUS_LABEL",
            "http_response_status_code",
            Where.CONFIG,
            "Label of that histogram holding the HTTP status code",
            raw -> {
                if (!raw.matches("^[a-zA-Z_][a-zA-Z0-9_]*$")) {
                    throw new IllegalArgumentException("'" + raw + "' is not a Prometheus label name");
                }
                return raw;
            });

    public static final Setting<Duration> PERFORMANCE_WINDOW = Setting.value(
            "performance.window",
            "COSTGUARD_PERF_WINDOW",
            "5m",
            Where.CONFIG,
            "Window of the PerfBaseline rate queries",
            ConfigLoader.positiveDuration());

    public static final Setting<Duration> PERFORMANCE_RIGHTSIZING_INTERVAL = Setting.value(
            "performance.rightsizingInterval",
            "COSTGUARD_RIGHTSIZING_INTERVAL",
            "1h",
            Where.CONFIG,
            "How often rightsizing recommendations are recomputed",
            ConfigLoader.positiveDuration());

    public static final Setting<Integer> PERFORMANCE_READ_CONCURRENCY = Setting.value(
            "performance.readConcurrency",
            "COSTGUARD_PERF_READ_CONCURRENCY",
            "4",
            Where.CONFIG,
            "Namespaces whose PerfBaseline signals are read from Prometheus at once (1-32)",
            ConfigLoader.count(1, 32));

    public static final Setting<Integer> PERFORMANCE_NAMESPACES_PER_QUERY = Setting.value(
            "performance.namespacesPerQuery",
            "COSTGUARD_PERF_NAMESPACES_PER_QUERY",
            "10",
            Where.CONFIG,
            "Namespaces one PerfBaseline signal query reads (1-100; 1 is a query per namespace and signal)",
            ConfigLoader.count(1, 100));

    public static final Setting<String> BENCH_IMAGE = Setting.value(
            "bench.image",
            "COSTGUARD_BENCH_IMAGE",
            ConfigLoader.DEFAULT_BENCH_IMAGE,
            Where.CONFIG,
            "k6 image BenchRuns use by default",
            raw -> {
                if (raw.isBlank() || raw.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException(
                            "'" + raw + "' is not an image reference, e.g. grafana/k6:1.3.0");
                }
                return raw;
            });

    public static final Setting<Void> BENCH_ALLOWED_IMAGES = Setting.structured(
            "bench.allowedImages",
            "COSTGUARD_BENCH_ALLOWED_IMAGES",
            Shape.LIST,
            Where.CONFIG,
            "Images a BenchRun may name (an entry ending in * is a prefix; default: bench.image only)");

    public static final Setting<Duration> BENCH_TTL_AFTER_FINISHED = Setting.value(
            "bench.ttlAfterFinished",
            "COSTGUARD_BENCH_TTL",
            "1h",
            Where.CONFIG,
            "How long a finished k6 Job is kept",
            ConfigLoader.positiveDuration());

    public static final Setting<String> BENCH_RESOURCES_CPU_REQUEST = Setting.value(
            "bench.resources.cpuRequest",
            "COSTGUARD_BENCH_CPU_REQUEST",
            "500m",
            Where.CONFIG,
            "CPU request of the k6 pod",
            ConfigLoader::quantity);

    public static final Setting<String> BENCH_RESOURCES_MEMORY_REQUEST = Setting.value(
            "bench.resources.memoryRequest",
            "COSTGUARD_BENCH_MEMORY_REQUEST",
            "256Mi",
            Where.CONFIG,
            "Memory request of the k6 pod",
            ConfigLoader::quantity);

    public static final Setting<String> BENCH_RESOURCES_MEMORY_LIMIT = Setting.value(
            "bench.resources.memoryLimit",
            "COSTGUARD_BENCH_MEMORY_LIMIT",
            "1Gi",
            Where.CONFIG,
            "Memory limit of the k6 pod",
            ConfigLoader::quantity);

    public static final Setting<Duration> BENCH_START_TIMEOUT = Setting.value(
            "bench.startTimeout",
            "COSTGUARD_BENCH_START_TIMEOUT",
            "3m",
            Where.CONFIG,
            "How long a k6 pod may take to start",
            ConfigLoader.positiveDuration());

    public static final Setting<Duration> BENCH_SETTLE = Setting.value(
            "bench.settle",
            "COSTGUARD_BENCH_SETTLE",
            "1m",
            Where.CONFIG,
            "Wait after a run before its cost is read",
            raw -> "0s".equals(raw) ? Duration.ZERO : Durations.parse(raw));

    public static final Setting<Duration> BENCH_COST_WAIT = Setting.value(
            "bench.costWait",
            "COSTGUARD_BENCH_COST_WAIT",
            "10m",
            Where.CONFIG,
            "How long to wait for a run's cost data",
            ConfigLoader.positiveDuration());

    /** All of them, in the README's order. */
    public static final List<Setting<?>> ALL = List.of(
            PROMETHEUS_URL,
            PROMETHEUS_BEARER_TOKEN_FILE,
            PROMETHEUS_CA_FILE,
            PROMETHEUS_BASIC_AUTH_USERNAME_FILE,
            PROMETHEUS_BASIC_AUTH_PASSWORD_FILE,
            PROMETHEUS_HEADERS,
            PROMETHEUS_TIMEOUT,
            EVALUATION_INTERVAL,
            STALE_AFTER,
            PRICING_CURRENCY,
            PRICING_CPU_CORE_HOUR,
            PRICING_MEMORY_GIB_HOUR,
            PRICING_GPU_HOUR,
            PRICING_STORAGE_GIB_MONTH,
            PRICING_STORAGE_CLASSES,
            COST_SOURCE,
            COST_RATE_WINDOW,
            COST_APPLICATION_COSTS,
            ATTRIBUTION_SHARED,
            ATTRIBUTION_IDLE,
            ALLOCATION_EXTRA_KEYS,
            WATCH_NAMESPACES,
            LEADER_ELECTION_ENABLED,
            LEADER_ELECTION_LEASE_NAME,
            HTTP_PORT,
            KUBERNETES_SERVER_SIDE_APPLY,
            KUBERNETES_RECONCILE_CONCURRENCY,
            OPERATOR_NAMESPACE,
            TESTING_CLOCK_OFFSET,
            WEBHOOK_ENABLED,
            WEBHOOK_PORT,
            WEBHOOK_CERTIFICATES_MODE,
            WEBHOOK_CERTIFICATES_DIR,
            WEBHOOK_CERTIFICATES_SECRET_NAME,
            WEBHOOK_CERTIFICATES_SERVICE_NAME,
            WEBHOOK_CERTIFICATES_WEBHOOK_CONFIGURATION_NAME,
            WEBHOOK_CERTIFICATES_VALIDITY,
            WEBHOOK_CERTIFICATES_RELOAD_INTERVAL,
            WEBHOOK_LABELS_MODE,
            WEBHOOK_LABELS_PATTERNS,
            WEBHOOK_LABELS_NAMESPACE_DEFAULTS,
            WEBHOOK_EXEMPT_NAMESPACES,
            WEBHOOK_WORKLOAD_KINDS,
            WEBHOOK_BREAK_GLASS_MAX_AGE,
            WEBHOOK_COST_PREVIEW,
            WEBHOOK_OPA_URL,
            WEBHOOK_OPA_PATH,
            WEBHOOK_OPA_TIMEOUT,
            WEBHOOK_AUDIT_INTERVAL,
            PERFORMANCE_DURATION_HISTOGRAM,
            PERFORMANCE_STATUS_CODE_LABEL,
            PERFORMANCE_WINDOW,
            PERFORMANCE_RIGHTSIZING_INTERVAL,
            PERFORMANCE_READ_CONCURRENCY,
            PERFORMANCE_NAMESPACES_PER_QUERY,
            BENCH_IMAGE,
            BENCH_ALLOWED_IMAGES,
            BENCH_TTL_AFTER_FINISHED,
            BENCH_RESOURCES_CPU_REQUEST,
            BENCH_RESOURCES_MEMORY_REQUEST,
            BENCH_RESOURCES_MEMORY_LIMIT,
            BENCH_START_TIMEOUT,
            BENCH_SETTLE,
            BENCH_COST_WAIT);
}

package io.costguard.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionPolicy;
import io.costguard.admission.AdmissionRules;
import io.costguard.admission.ClusterFeed;
import io.costguard.admission.KubeNotices;
import io.costguard.admission.OpaClient;
import io.costguard.admission.OwnResourceRule;
import io.costguard.admission.ReviewCodec;
import io.costguard.admission.WorkloadAuditRun;
import io.costguard.api.TolerantReading;
import io.costguard.baseline.BaselineWiring;
import io.costguard.baseline.PerfBaselineReconciler;
import io.costguard.baseline.PerfCollector;
import io.costguard.baseline.PerfMetrics;
import io.costguard.baseline.SignalQueries;
import io.costguard.baseline.WorkloadAccess;
import io.costguard.bench.BenchMetrics;
import io.costguard.bench.BenchRunReconciler;
import io.costguard.bench.BenchSpecValidator;
import io.costguard.bench.BenchWiring;
import io.costguard.bench.K6Job;
import io.costguard.bench.RunCost;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.budget.BudgetWiring;
import io.costguard.budget.CostBudgetReconciler;
import io.costguard.config.OperatorConfig;
import io.costguard.config.Redaction;
import io.costguard.cost.CostCollector;
import io.costguard.cost.CostQueries;
import io.costguard.cost.HourlyCostLedger;
import io.costguard.flags.FlagSwitch;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.http.ServerLimits;
import io.costguard.kube.EventRecorder;
import io.costguard.kube.ListPages;
import io.costguard.kube.NamespaceTrust;
import io.costguard.metrics.AllocationCost;
import io.costguard.metrics.CostCycleReport;
import io.costguard.metrics.Leadership;
import io.costguard.metrics.OperatorMetrics;
import io.costguard.metrics.SharedCostMetrics;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.webhook.CertificateFiles;
import io.costguard.webhook.CertificateSource;
import io.costguard.webhook.GeneratedCertificates;
import io.costguard.webhook.KeyMaterial;
import io.costguard.webhook.WebhookProbe;
import io.costguard.webhook.WebhookServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator from its configuration, and starts and stops it. Nothing here decides anything. */
public final class OperatorApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

    private final OperatorConfig config;
    private final KubernetesClient client;
    private final Clock clock;
    /** What /metrics serves; the leader-only metrics join it while this replica leads. */
    private final PrometheusRegistry registry;

    private final Leadership leadership;
    private final OperatorMetrics metrics;
    private final AllocationCost allocationCost;
    private final SharedCostMetrics sharedCost;
    private final AdmissionMetrics admissionMetrics;
    private volatile AdmissionRules rules;
    private final CostCollector collector;
    private final PerfCollector perf;
    private final PerfMetrics perfMetrics;
    private final BenchMetrics benchMetrics;
    private final RunCost runCost;
    private final FreezeRegistry freezes = new FreezeRegistry();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private Operator operator;

    /** The JOSDK operator, once started (null before). */
    Operator operator() {
        return operator;
    }

    private PerfBaselineReconciler baselines;
    /** Whether a performance read has asked for every cached PerfBaseline (done before the first one). */
    private final AtomicBoolean cachedDemanded = new AtomicBoolean();

    private NamespaceTrust trust;
    private HealthServer http;
    private ScheduledExecutorService scheduler;
    private ClusterFeed feed;
    private KubeNotices notices;
    private volatile WebhookServer webhook;
    private volatile WebhookProbe webhookProbe;
    /** The threads PerfBaseline signals are read on, one namespace each; null when read on the cycle's thread. */
    private final ExecutorService perfReads;

    public OperatorApp(OperatorConfig config, KubernetesClient client, Clock clock) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        PrometheusRegistry leaderOnly = new PrometheusRegistry();
        this.leadership = new Leadership(registry, leaderOnly);
        this.metrics = new OperatorMetrics(leaderOnly);
        this.allocationCost = new AllocationCost(leaderOnly, config.allocationKeys());
        this.sharedCost = new SharedCostMetrics(leaderOnly, config.allocationKeys());
        this.admissionMetrics = new AdmissionMetrics(registry);
        PrometheusClient prometheus = new PrometheusClient(config.prometheus(), metrics);
        CostQueries costQueries = new CostQueries(config);
        this.collector = new CostCollector(
                prometheus, costQueries, new HourlyCostLedger(config.allocationKeys()), clock, config);
        this.perfMetrics = new PerfMetrics(leaderOnly);
        this.benchMetrics = new BenchMetrics(leaderOnly);
        this.runCost = new RunCost(prometheus, costQueries);
        int readers = config.performance().readConcurrency();
        this.perfReads = readers <= 1 ? null : Executors.newFixedThreadPool(readers, daemons("costguard-perf-read-"));
        this.perf = new PerfCollector(
                prometheus,
                new SignalQueries(config.performance(), costQueries),
                clock,
                config.performance().rightsizingInterval(),
                perfReads == null ? Runnable::run : perfReads,
                config.performance().namespacesPerQuery());
    }

    /** Frozen scopes, for the admission webhook. */
    public FreezeRegistry freezes() {
        return freezes;
    }

    /** The PerfBaseline controller's reconciler. */
    public PerfBaselineReconciler baselines() {
        return baselines;
    }

    public PerfCollector perf() {
        return perf;
    }

    public CostCollector collector() {
        return collector;
    }

    /** The operator's own metrics, for tests and benchmarks that read one without scraping all of them. */
    public OperatorMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http.port();
    }

    /** The certificate the webhook serves now. */
    public KeyMaterial webhookCertificate() {
        return webhook.serving();
    }

    /** The webhook's HTTPS port, or -1 when it is disabled. */
    public int webhookPort() {
        return webhook == null ? -1 : webhook.port();
    }

    public void start() throws IOException {
        // ready once the webhook serves (its feed still loading is its own concern), else once the controllers run
        http = new HealthServer(config.httpPort(), registry, this::healthy, () -> started.get() || webhook != null);
        trust = new NamespaceTrust(client, config.operatorNamespace());
        String instance = config.instance();
        CostBudgetReconciler budgets = BudgetWiring.reconciler(
                config,
                collector,
                trust,
                new EventRecorder(client, instance),
                metrics,
                clock,
                new FlagSwitch(client),
                freezes,
                client.getKubernetesSerialization());

        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
                    .withResourceCloner(TolerantReading.cloner(client.getKubernetesSerialization()))
                    .withConcurrentReconciliationThreads(config.reconcileConcurrency())
                    .withConcurrentWorkflowExecutorThreads(config.reconcileConcurrency())
                    .withStopOnInformerErrorDuringStartup(false);
            if (config.leaderElection().enabled()) {
                // Only the leader reads cost and reconciles. A leader that loses its lease exits and is restarted by
                // Kubernetes; not from inside our own shutdown, where System.exit would wait for itself forever.
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        config.leaderElection().leaseName(),
                        config.operatorNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        instance,
                        new LeaderCallbacks(this::startCycles, this::stoppedLeading, leader -> {
                            if (!instance.equals(leader)) {
                                LOG.info("{} follows the leader {}", instance, leader);
                            }
                        }),
                        false));
            }
        });
        operator.register(budgets, c -> {
            c.withItemStore(budgets.itemStore()).withInformerListLimit(ListPages.SIZE);
            // the evaluation cycle reaches every budget and PerfBaseline: JOSDK's own periodic reconcile would only
            // add a timer per object (20,000 timer tasks and their resource ids at full scale)
            c.withReconciliationMaxInterval(null);
            if (!config.watchNamespaces().isEmpty()) {
                c.settingNamespaces(config.watchNamespaces());
            }
        });
        // one cache of workloads: the PerfBaseline controller registers it, BenchRuns follow it
        WorkloadAccess workloads = new WorkloadAccess(client);
        baselines = BaselineWiring.reconciler(
                perf,
                workloads,
                client,
                new EventRecorder(client, instance),
                perfMetrics,
                metrics,
                clock,
                config.evaluationInterval());
        operator.register(baselines, c -> {
            c.withItemStore(baselines.itemStore()).withInformerListLimit(ListPages.SIZE);
            c.withReconciliationMaxInterval(null);
            if (!config.watchNamespaces().isEmpty()) {
                c.settingNamespaces(config.watchNamespaces());
            }
        });
        BenchRunReconciler benchRuns = BenchWiring.reconciler(
                client,
                runCost,
                new K6Job(config.bench(), config.allocationKeys()),
                workloads,
                new EventRecorder(client, instance),
                benchMetrics,
                metrics,
                clock,
                config.bench());
        operator.register(benchRuns, c -> {
            c.withInformerListLimit(ListPages.SIZE);
            if (!config.watchNamespaces().isEmpty()) {
                c.settingNamespaces(config.watchNamespaces());
            }
        });

        if (config.webhook().enabled()) {
            startWebhook();
        }
        collector.onCycle(new CostCycleReport(config, collector, metrics, allocationCost, sharedCost));
        // a thread each for the cost cycle, the performance cycle and the audit: none waits for another's reads
        scheduler = Executors.newScheduledThreadPool(3, daemons("costguard-cycle-"));
        operator.start();
        if (!config.leaderElection().enabled()) {
            startCycles();
        }
        started.set(true);
        if (!config.clockOffset().isZero()) {
            LOG.warn("the clock is shifted by {} (testing.clockOffset): for tests only", config.clockOffset());
        }
        LOG.info(
                "costguard started: Prometheus {}, every {}s, prices {} {}/core-hour {} {}/GiB-hour, keys {}, namespaces {}",
                Redaction.url(config.prometheus().url()),
                config.evaluationInterval().toSeconds(),
                config.pricing().cpuCoreHour(),
                config.pricing().currency(),
                config.pricing().memoryGiBHour(),
                config.pricing().currency(),
                config.allocationKeys(),
                config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces());
    }

    /** Liveness: the informers are healthy and, when it is on, the webhook answers a request on its own port. */
    private boolean healthy() {
        WebhookProbe probe = webhookProbe;
        return (operator == null || operator.getRuntimeInfo().allEventSourcesAreHealthy())
                && (probe == null || probe.answers());
    }

    private void startWebhook() throws IOException {
        OperatorConfig.Webhook w = config.webhook();
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        BudgetSpecValidator validator = BudgetSpecValidator.from(config);
        rules = AdmissionRules.from(config);
        feed = new ClusterFeed(client, trust, freezes, validator, config.watchNamespaces(), rules.workloads());
        notices = new KubeNotices(new EventRecorder(client, config.instance()), clock);
        Optional<OpaClient> opa =
                w.opaUrl().map(url -> new OpaClient(url, w.opaPath(), w.opaTimeout(), mapper, admissionMetrics));
        AdmissionPolicy policy = new AdmissionPolicy(
                rules.labels(),
                rules.freeze(),
                w.costPreview() ? Optional.of(rules.preview()) : Optional.empty(),
                new OwnResourceRule(
                        mapper,
                        validator,
                        config.operatorNamespace(),
                        new BenchSpecValidator(config.bench().allowedImages())),
                opa,
                feed,
                clock,
                admissionMetrics,
                notices);
        CertificateSource certificates = w.certificateMode() == OperatorConfig.CertificateMode.generate
                ? new GeneratedCertificates(
                        client,
                        config.operatorNamespace(),
                        w.secretName(),
                        w.serviceName(),
                        w.webhookConfigurationName(),
                        w.certificateValidity(),
                        clock)
                : new CertificateFiles(w.certificateDir());
        webhook = new WebhookServer(
                w.port(),
                certificates,
                w.reloadInterval(),
                new ReviewCodec(mapper),
                policy,
                admissionMetrics,
                ServerLimits.WEBHOOK);
        webhookProbe = new WebhookProbe(webhook.port(), Duration.ofSeconds(2), Duration.ofSeconds(5));
        opa.ifPresent(o -> LOG.info(
                "admission asks OPA at {} (timeout {}ms)",
                Redaction.url(o.endpoint()),
                w.opaTimeout().toMillis()));
    }

    /** Daemon threads named {@code prefix} and a number from 1. */
    private static java.util.concurrent.ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void stoppedLeading() {
        if (closing.get()) {
            return;
        }
        leadership.leading(false);
        LOG.warn("{} lost the leader lease; exiting so that Kubernetes restarts it as a follower", config.instance());
        Thread exit = new Thread(() -> System.exit(1), "costguard-lost-lease");
        exit.start();
    }

    private void startCycles() {
        leadership.leading(true);
        LOG.info(
                "{} reads cost every {}s",
                config.instance(),
                config.evaluationInterval().toSeconds());
        scheduler.scheduleWithFixedDelay(
                this::costCycle, 0, config.evaluationInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::performanceCycle, 0, config.evaluationInterval().toMillis(), TimeUnit.MILLISECONDS);
        WorkloadAuditRun audit = new WorkloadAuditRun(
                client,
                () -> rules != null ? rules : AdmissionRules.from(config),
                config.watchNamespaces(),
                trust,
                admissionMetrics);
        scheduler.scheduleWithFixedDelay(
                audit, 5_000, config.webhook().auditInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void costCycle() {
        try {
            collector.collect();
        } catch (RuntimeException e) {
            failed("cost", e);
        }
    }

    /** Independent of the cost cycle: the PerfBaselines' signals and cost come from Prometheus, not the ledger. */
    private void performanceCycle() {
        try {
            if (cachedDemanded.compareAndSet(false, true)) {
                baselines.demandCached();
            }
            PerfCollector.CycleStats stats = perf.collect();
            perfMetrics.cycle(stats.queries(), stats.duration(), stats.targets());
        } catch (RuntimeException e) {
            failed("performance", e);
        }
    }

    private void failed(String cycle, RuntimeException e) {
        if (closing.get()) {
            // the process is stopping: a cycle caught mid-way by the shutdown of its executors is not an error
            LOG.info("{} cycle stopped by shutdown", cycle);
        } else {
            LOG.error(cycle + " cycle failed", e);
        }
    }

    @Override
    public void close() {
        closing.set(true);
        started.set(false);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (perfReads != null) {
            perfReads.shutdownNow();
        }
        if (webhook != null) {
            webhook.close();
        }
        if (notices != null) {
            notices.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (operator != null) {
            operator.stop();
        }
        if (trust != null) {
            trust.close();
        }
        if (http != null) {
            http.close();
        }
    }
}

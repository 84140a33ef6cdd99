package io.costguard.benchmark;

import io.costguard.app.OperatorApp;
import io.costguard.baseline.PerfCollector;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.kube.LeanObjects;
import io.costguard.testing.MutableClock;
import io.costguard.testing.TestTls;
import io.costguard.webhook.WebhookProbe;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole operator at scale in one JVM: 10,000 CostBudgets over 5,000 allocation-key combinations, 10,000
 * PerfBaselines over 500 namespaces (a Deployment each) and 200 BenchRuns waiting for their scripts, with the
 * webhook on. The operator runs as in a cluster ({@link OperatorApp}: JOSDK controllers, informer caches, status
 * patches, events); Prometheus and the Kubernetes API are stand-ins in a child process ({@link ScaleStandIns}), so
 * the CPU measured is the operator's. Prints the time until the webhook serves and until the first full cycle is
 * done, then per steady cycle (the clock moves a minute) Prometheus queries, API reads (GET by name, lists), status
 * patches, CPU and wall, separately for the budgets and the PerfBaselines; the RSS high-water mark; and, as the
 * reference for what the caches replaced, the cost of the GETs the reconciles used to make, measured in the same run.
 * Last, the heap a cached Deployment and ConfigMap take, full and lean.
 *
 * <p>Run: {@code scripts/benchmark.sh scale [CYCLES [NAMESPACES PER_NAMESPACE BUDGETS BENCHRUNS]]} (docs/benchmarks.md).
 */
public final class ScaleBenchmark {
    /** API requests by the operator's client: GETs of one object, lists, patches, creates. */
    static final AtomicLong GETS = new AtomicLong();

    static final AtomicLong LISTS = new AtomicLong();
    static final AtomicLong PATCHES = new AtomicLong();
    static final AtomicLong CREATES = new AtomicLong();

    public static void main(String[] args) throws Exception {
        // as the operator's Main does before its webhook server starts: this class starts the operator without Main
        io.costguard.Main.httpServersAnswerAtOnce();
        int steadyCycles = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int namespaces = args.length > 4 ? Integer.parseInt(args[1]) : 500;
        int perNamespace = args.length > 4 ? Integer.parseInt(args[2]) : 20;
        int budgets = args.length > 4 ? Integer.parseInt(args[3]) : 10_000;
        int benchRuns = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int baselines = namespaces * perNamespace;
        long loading = System.nanoTime();
        // -Dbench.standInJfr=FILE: a JFR recording of the stand-ins' process, to tell their work from the operator's
        String standInJfr = System.getProperty("bench.standInJfr");
        Process standIns = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        standInJfr == null
                                ? "-Dbench.noJfr=true"
                                : "-XX:StartFlightRecording=dumponexit=true,filename=" + standInJfr,
                        // the first line on stdout is the stand-ins' URLs: JFR's start message goes nowhere
                        "-Xlog:jfr+startup=error",
                        "-Xmx3g",
                        "-XX:+UseParallelGC",
                        // as the operator's Main does: without it the JDK's HTTP server answers ~40 ms late (Nagle's
                        // algorithm against delayed ACKs), which a real API server (Go: TCP_NODELAY by default) does
                        // not
                        "-Dsun.net.httpserver.nodelay=true",
                        "-Djava.util.logging.config.file=operator/src/test/resources/logging.properties",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ScaleStandIns.class.getName(),
                        Integer.toString(namespaces),
                        Integer.toString(perNamespace),
                        Integer.toString(budgets),
                        Integer.toString(benchRuns))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String[] urls = new BufferedReader(new InputStreamReader(standIns.getInputStream()))
                .readLine()
                .split(" ");
        System.out.printf(
                Locale.ROOT,
                "stand-ins loaded in %.0f s: %d namespaces, %d Deployments and ConfigMaps, %d PerfBaselines, "
                        + "%d CostBudgets, %d BenchRuns%n",
                (System.nanoTime() - loading) / 1e9,
                namespaces,
                baselines,
                baselines,
                budgets,
                benchRuns);
        Path tls = Files.createTempDirectory("costguard-scale-tls");
        TestTls.write(tls, TestTls.issue().serving());
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(urls[1])
                        .withOauthToken("local")
                        .withNamespace("default")
                        .withRequestTimeout(120_000)
                        .withOnlyHttpWatches(true) // the stand-in serves watches as HTTP streams
                        .build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count", new Counting()))
                .build();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T06:10:00Z"));
        Map<String, String> env = new HashMap<>();
        env.put("COSTGUARD_PROMETHEUS_URL", urls[0]);
        env.put("COSTGUARD_PROMETHEUS_TIMEOUT", "120s");
        env.put(
                "COSTGUARD_EVALUATION_INTERVAL",
                "1h"); // the first cycle runs at start, the steady ones when this class says
        env.put("COSTGUARD_HTTP_PORT", "0");
        env.put("COSTGUARD_WEBHOOK_ENABLED", "true");
        env.put("COSTGUARD_WEBHOOK_PORT", "0");
        env.put("COSTGUARD_WEBHOOK_CERT_DIR", tls.toString());
        env.put("POD_NAMESPACE", "costguard-system");
        // a reference run sets 1 here: a query per namespace and signal, as before namespaces were read together
        String perQuery = System.getenv("COSTGUARD_PERF_NAMESPACES_PER_QUERY");
        if (perQuery != null) {
            env.put("COSTGUARD_PERF_NAMESPACES_PER_QUERY", perQuery);
        }
        String reconcilers = System.getenv("COSTGUARD_RECONCILE_CONCURRENCY");
        if (reconcilers != null) {
            env.put("COSTGUARD_RECONCILE_CONCURRENCY", reconcilers);
        }
        OperatorConfig config = ConfigLoader.load(env);
        OperatorApp app = new OperatorApp(config, client, clock);
        AtomicReference<long[]> costCycle = new AtomicReference<>();
        AtomicReference<long[]> perfCycle = new AtomicReference<>();
        // registered before the controllers' own listeners: the counts before the cycle's reconciles are triggered
        app.collector()
                .onCycle(s ->
                        costCycle.compareAndSet(null, new long[] {System.nanoTime(), reconciles(app, "CostBudget")}));
        app.perf()
                .onCycle(s ->
                        perfCycle.compareAndSet(null, new long[] {System.nanoTime(), reconciles(app, "PerfBaseline")}));

        // -Dbench.jfr=PREFIX: JFR recordings of the start and first cycle (PREFIX-first.jfr) and of the steady cycles
        String jfr = System.getProperty("bench.jfr");
        jdk.jfr.Recording recording = jfr == null ? null : startRecording();
        long t0 = System.nanoTime();
        long cpu0 = CycleBenchmark.processCpuNanos();
        Duration standInCpu0 = standInCpu(standIns);
        Thread starter = new Thread(
                () -> {
                    try {
                        app.start();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "start");
        starter.start();
        double webhookSeconds = waitForWebhook(app, t0);
        while (costCycle.get() == null
                || perfCycle.get() == null
                || reconciles(app, "CostBudget") < costCycle.get()[1] + budgets
                || reconciles(app, "PerfBaseline") < perfCycle.get()[1] + baselines) {
            Thread.sleep(50);
        }
        double firstCycleSeconds = (System.nanoTime() - t0) / 1e9;
        double firstCpu = (CycleBenchmark.processCpuNanos() - cpu0) / 1e9;
        starter.join();
        System.out.printf(
                Locale.ROOT,
                "first cycle: cost read done after %.1f s, performance read done after %.1f s, all reconciled after"
                        + " %.1f s; the stand-ins' process used %.1f s CPU meanwhile; the operator's API requests:"
                        + " %d GETs of one object, %d lists, %d patches or updates, %d creates; CPU by thread (live"
                        + " threads, from /proc): %s%n",
                (costCycle.get()[0] - t0) / 1e9,
                (perfCycle.get()[0] - t0) / 1e9,
                firstCycleSeconds,
                standInCpu(standIns).minus(standInCpu0).toMillis() / 1e3,
                GETS.get(),
                LISTS.get(),
                PATCHES.get(),
                CREATES.get(),
                ThreadCpu.byName());
        quiet();
        if (recording != null) {
            recording.dump(Path.of(jfr + "-first.jfr"));
            recording.close();
            recording = startRecording();
        }
        System.out.printf(
                Locale.ROOT,
                "start: webhook serving after %.1f s; first full cycle (cost and performance read, every "
                        + "budget and PerfBaseline reconciled after it) after %.1f s, %.1f s CPU%n",
                webhookSeconds,
                firstCycleSeconds,
                firstCpu);

        System.out.printf(
                Locale.ROOT,
                "%n%-6s %-13s %8s %6s %6s %8s %10s %12s %10s %s%n",
                "cycle",
                "kind",
                "queries",
                "GETs",
                "lists",
                "patches",
                "cpu-ms",
                "gc+jit-ms",
                "wall-ms",
                "left alone (settled)");
        double[] budgetSum = new double[3];
        double[] perfSum = new double[3];
        long[] getsSum = new long[1];
        for (int cycle = 1; cycle <= steadyCycles; cycle++) {
            clock.advance(Duration.ofMinutes(1));
            double[] b = phase(
                    app,
                    cycle,
                    "CostBudget",
                    budgets,
                    () -> app.collector().collect(),
                    () -> app.collector().lastCycle().queries(),
                    getsSum);
            AtomicReference<PerfCollector.CycleStats> stats = new AtomicReference<>();
            double[] p = phase(
                    app,
                    cycle,
                    "PerfBaseline",
                    baselines,
                    () -> stats.set(app.perf().collect()),
                    () -> stats.get().queries(),
                    getsSum);
            for (int i = 0; i < 3; i++) {
                budgetSum[i] += b[i];
                perfSum[i] += p[i];
            }
        }
        // once every rightsizingInterval a cycle re-reads every namespace's week of CPU usage: not a steady cycle,
        // measured apart (the clock moves by the interval, the PerfBaseline phase alone)
        clock.advance(config.performance().rightsizingInterval());
        System.out.printf(
                Locale.ROOT,
                "usage re-read: the clock moved by rightsizingInterval (%s); the cycle below reads every namespace's"
                        + " CPU usage again%n",
                config.performance().rightsizingInterval());
        AtomicReference<PerfCollector.CycleStats> reread = new AtomicReference<>();
        phase(
                app,
                steadyCycles + 1,
                "PerfBaseline",
                baselines,
                () -> reread.set(app.perf().collect()),
                () -> reread.get().queries(),
                new long[1]);
        // what the process spends with no cycle running (lease renewals, informers, timers, the webhook's feed,
        // BenchRuns waiting), a share of every phase's CPU over its wall time
        long idleCpu = CycleBenchmark.processCpuNanos();
        long idleWall = System.nanoTime();
        Thread.sleep(10_000);
        double idlePerSecond =
                (CycleBenchmark.processCpuNanos() - idleCpu) / 1e6 / ((System.nanoTime() - idleWall) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "idle, no cycle running: %.0f ms CPU per second of wall (in each phase above: about that times its wall)%n",
                idlePerSecond);
        if (recording != null) {
            recording.dump(Path.of(jfr + "-steady.jfr"));
            recording.close();
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS"))
                .reduce((x, y) -> x + ", " + y)
                .orElse("?");
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        // -Dbench.histogram=FILE: the live heap by class after the steady cycles (what jcmd GC.class_histogram prints)
        String histogram = System.getProperty("bench.histogram");
        // -Dbench.heapdump=FILE.hprof: the live heap after the steady cycles, for finding who holds what
        String heapDump = System.getProperty("bench.heapdump");
        if (heapDump != null) {
            ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(heapDump, true);
        }
        if (histogram != null) {
            Files.writeString(Path.of(histogram), classHistogram());
            // with -XX:NativeMemoryTracking=summary: where the memory beside the heap goes
            if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking="))) {
                Files.writeString(Path.of(histogram + ".nmt"), diagnosticCommand("vmNativeMemory", "summary"));
            }
            for (String plural : List.of("costbudgets", "perfbaselines")) {
                System.out.printf(
                        Locale.ROOT,
                        "%s as JSON in the API: %.1f MB%n",
                        plural,
                        apiBytes(client, "/apis/costguard.io/v1alpha1/" + plural) / 1e6);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nsteady state, mean of %d cycles: CostBudgets %.0f ms CPU (%.0f ms of it GC and JIT), %.0f ms wall; "
                        + "PerfBaselines %.0f ms CPU (%.0f ms of it GC and JIT), %.0f ms wall; GETs of one object in all "
                        + "steady cycles: %d%n",
                steadyCycles,
                budgetSum[0] / steadyCycles,
                budgetSum[2] / steadyCycles,
                budgetSum[1] / steadyCycles,
                perfSum[0] / steadyCycles,
                perfSum[2] / steadyCycles,
                perfSum[1] / steadyCycles,
                getsSum[0]);
        System.out.printf(
                Locale.ROOT,
                "memory: %s; heap after GC %.0f MiB (max %.0f MiB)%n",
                hwm,
                heap / 1048576.0,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1048576.0);

        // the reference: what the PerfBaseline reconciles did before the caches, one GET of the workload each
        int sample = Math.min(1_000, baselines);
        long refCpu = CycleBenchmark.processCpuNanos();
        long refWall = System.nanoTime();
        for (int i = 0; i < sample; i++) {
            client.apps()
                    .deployments()
                    .inNamespace("ns-" + (i % namespaces))
                    .withName("w" + (i / namespaces % perNamespace))
                    .get();
        }
        double perGetCpu = (CycleBenchmark.processCpuNanos() - refCpu) / 1e6 / sample;
        double perGetWall = (System.nanoTime() - refWall) / 1e6 / sample;
        System.out.printf(
                Locale.ROOT,
                "reference, same run: %d GETs of a Deployment cost %.2f ms CPU and %.2f ms wall each; the old path "
                        + "made %d per cycle = %.0f ms CPU, %.0f ms wall (sequential), plus %d BenchRuns x 2 GETs every 5 s%n",
                sample,
                perGetCpu,
                perGetWall,
                baselines,
                perGetCpu * baselines,
                perGetWall * baselines,
                benchRuns);
        app.close();
        standIns.destroy();
        client.close();
        cachedObjectSizes();
        // some non-daemon thread of the closed clients outlives close() and kept the JVM up; the figures are out
        System.exit(0);
    }

    /** Bytes of the API's answer to a GET of {@code path}, counted as they stream (not held: 22 MB at full size). */
    private static long apiBytes(KubernetesClient client, String path) throws Exception {
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = response.body()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static String classHistogram() throws Exception {
        return diagnosticCommand("gcClassHistogram");
    }

    /** What {@code jcmd <pid> <command> <args>} prints, from inside the process. */
    private static String diagnosticCommand(String operation, String... args) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        operation,
                        new Object[] {args},
                        new String[] {String[].class.getName()});
    }

    private static Duration standInCpu(Process standIns) {
        return standIns.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static jdk.jfr.Recording startRecording() throws Exception {
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        r.start();
        return r;
    }

    /** One kind's share of a cycle: its collector's read, then every resource's reconcile and the watch events after. */
    static double[] phase(
            OperatorApp app,
            int cycle,
            String kind,
            int resources,
            Runnable collect,
            java.util.function.IntSupplier queries,
            long[] getsSum)
            throws InterruptedException {
        long gets = GETS.get();
        long lists = LISTS.get();
        long patches = PATCHES.get();
        long cpu = CycleBenchmark.processCpuNanos();
        long gcJit = gcAndJitMillis();
        long wall = System.nanoTime();
        long before = reconciles(app, kind);
        long leftBefore = app.metrics().unchanged(kind);
        collect.run();
        // every resource is either reconciled or left alone by the cycle (its last reconcile saw the same inputs)
        while (reconciles(app, kind) + app.metrics().unchanged(kind) < before + leftBefore + resources) {
            Thread.sleep(20);
        }
        long left = app.metrics().unchanged(kind) - leftBefore;
        long done = quiet();
        double cpuMs = (CycleBenchmark.processCpuNanos() - cpu) / 1e6;
        double gcJitMs = gcAndJitMillis() - gcJit;
        double wallMs = (done - wall) / 1e6;
        getsSum[0] += GETS.get() - gets;
        System.out.printf(
                Locale.ROOT,
                "%-6d %-13s %8d %6d %6d %8d %10.0f %12.0f %10.0f %d%n",
                cycle,
                kind,
                queries.getAsInt(),
                GETS.get() - gets,
                LISTS.get() - lists,
                PATCHES.get() - patches,
                cpuMs,
                gcJitMs,
                wallMs,
                left);
        return new double[] {cpuMs, wallMs, gcJitMs};
    }

    /**
     * Milliseconds the JVM spent collecting garbage and compiling so far: the part of the process's CPU that is not
     * the cycle's own work (the JIT still compiles the cycle's code in the first minutes; serial collections run on
     * the thread that allocates).
     */
    static long gcAndJitMillis() {
        long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
        return gc + ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Waits until the client has sent nothing for 500 ms (the status patches' watch events are handled); the last request's time. */
    static long quiet() throws InterruptedException {
        long last = System.nanoTime();
        long seen = -1;
        while (true) {
            long now = PATCHES.get() + GETS.get() + LISTS.get() + CREATES.get();
            if (now != seen) {
                seen = now;
                last = System.nanoTime();
            } else if (System.nanoTime() - last > 500_000_000L) {
                return last;
            }
            Thread.sleep(20);
        }
    }

    static double waitForWebhook(OperatorApp app, long t0) throws InterruptedException {
        WebhookProbe probe = null;
        while (true) {
            int port;
            try {
                port = app.webhookPort();
            } catch (RuntimeException e) {
                port = -1;
            }
            if (port > 0) {
                probe = probe != null ? probe : new WebhookProbe(port, Duration.ofSeconds(2), Duration.ZERO);
                if (probe.answers()) {
                    return (System.nanoTime() - t0) / 1e9;
                }
            }
            Thread.sleep(20);
        }
    }

    static long reconciles(OperatorApp app, String kind) {
        return app.metrics().reconciles(kind);
    }

    /**
     * Heap per object of 4,000 Deployments and ConfigMaps as parsed from the API, then as the caches keep them (4,000:
     * the parsed Deployments and their JSON fit the benchmark's 256 MiB heap; 10,000 did not).
     */
    static void cachedObjectSizes() {
        int n = 4_000;
        List<String> deployments = new ArrayList<>();
        List<String> configMaps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Deployment d = ScaleStandIns.deployment("ns-" + (i / 20), "w" + (i % 20));
            d.getMetadata().setResourceVersion(Integer.toString(1000 + i));
            d.getMetadata().setUid(java.util.UUID.randomUUID().toString());
            deployments.add(Serialization.asJson(d));
            configMaps.add(Serialization.asJson(new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("w" + i + "-config")
                    .withNamespace("ns")
                    .withResourceVersion("1")
                    .addToLabels("app", "w" + i)
                    .endMetadata()
                    .addToData("application.yaml", "server:\n  port: 8080\n".repeat(40))
                    .build()));
        }
        long json = deployments.stream().mapToLong(String::length).sum() / n;
        long base = usedAfterGc();
        List<Deployment> full = new ArrayList<>();
        deployments.forEach(s -> full.add(Serialization.unmarshal(s, Deployment.class)));
        long fullBytes = (usedAfterGc() - base) / n;
        List<LeanObjects.Workload> lean = new ArrayList<>();
        // as the workload caches keep them: namespaces, selectors and container shapes shared
        io.costguard.kube.SharedValues shared = new io.costguard.kube.SharedValues();
        full.forEach(d -> lean.add(LeanObjects.compact(d, shared)));
        full.clear();
        long leanBytes = (usedAfterGc() - base) / n;
        lean.clear();
        List<ConfigMap> maps = new ArrayList<>();
        configMaps.forEach(s -> maps.add(Serialization.unmarshal(s, ConfigMap.class)));
        long mapBytes = (usedAfterGc() - base) / n;
        List<LeanObjects.ConfigMapKeys> leanMaps = new ArrayList<>();
        maps.forEach(c -> leanMaps.add(LeanObjects.compact(c)));
        maps.clear();
        long leanMapBytes = (usedAfterGc() - base) / n;
        System.out.printf(
                Locale.ROOT,
                "cached object sizes (heap per object, %d each): Deployment as parsed %d B (%d B of JSON), as cached %d B; "
                        + "ConfigMap as parsed %d B, as cached (key names) %d B%n",
                leanMaps.size(),
                fullBytes,
                json,
                leanBytes,
                mapBytes,
                leanMapBytes);
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Counts the operator's API requests by what they do; watches are neither reads nor lists here. */
    static final class Counting implements Interceptor {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
            String path = request.uri().getPath();
            String query = request.uri().getQuery() == null ? "" : request.uri().getQuery();
            switch (request.method()) {
                case "GET" -> {
                    if (query.contains("watch=true")) {
                        return;
                    }
                    // /api/v1/namespaces/NS/KIND/NAME or /apis/G/V/namespaces/NS/KIND/NAME: one object; else a list
                    String[] parts = path.split("/");
                    int ns = java.util.Arrays.asList(parts).indexOf("namespaces");
                    boolean one = ns > 0 && parts.length == ns + 4
                            || ns < 0 && parts.length == (path.startsWith("/api/") ? 5 : 6);
                    (one ? GETS : LISTS).incrementAndGet();
                }
                case "PATCH", "PUT" -> PATCHES.incrementAndGet();
                case "POST" -> CREATES.incrementAndGet();
                default -> {}
            }
        }
    }
}

package io.costguard.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated cluster: tenants, features, teams and environments across namespaces, with one noisy
 * workload (spiky usage), one growing one (a replica more every few days) and one unlabelled pod
 * (unattributed cost). Deterministic for a seed.
 */
public final class SyntheticCluster {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private final List<SyntheticPod> pods;
    private final Instant start;
    private final Instant end;

    private SyntheticCluster(List<SyntheticPod> pods, Instant start, Instant end) {
        this.pods = List.copyOf(pods);
        this.start = start;
        this.end = end;
    }

    /** A cluster of the given pods, e.g. an end-to-end test's own workload with a planted spike. */
    public static SyntheticCluster of(List<SyntheticPod> pods, Instant start, Instant end) {
        return new SyntheticCluster(pods, start, end);
    }

    public List<SyntheticPod> pods() {
        return pods;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    /**
     * What the price sheet charges a tenant's pods over whole hours in [from, until): max(request, usage) of CPU and
     * memory at the given prices, hour by hour, as the operator attributes it. For tests that check its figures.
     */
    public double spentBy(String tenant, Instant from, Instant until, double cpuCoreHour, double memoryGiBHour) {
        double spent = 0;
        for (SyntheticPod p : pods) {
            if (tenant.equals(p.labels().get("tenant"))) {
                for (long h = from.getEpochSecond(); h < until.getEpochSecond(); h += 3600) {
                    if (p.aliveAt(h)) {
                        spent += Math.max(p.cpuRequestCores(), p.cpuUsageCores(h)) * cpuCoreHour
                                + Math.max(p.memoryRequestBytes(), p.memoryUsageBytes(h))
                                        / (1024.0 * 1024 * 1024)
                                        * memoryGiBHour;
                    }
                }
            }
        }
        return spent;
    }

    /** The demo's cluster between {@code start} and {@code end} (both whole hours). */
    public static SyntheticCluster demo(Instant start, Instant end, long seed) {
        List<SyntheticPod> pods = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        // tenant alpha, production: an API (request-bound) and a search service whose usage grows past its request
        for (int i = 0; i < 3; i++) {
            pods.add(pod(
                    "team-alpha",
                    "expense-api-" + i,
                    labels("alpha", "expenses", "alpha", "prod"),
                    2.0,
                    4 * GIB,
                    start,
                    end,
                    steady(0.45, 0.25, random.nextLong())));
        }
        for (int i = 0; i < 2; i++) {
            pods.add(pod(
                    "team-alpha",
                    "ai-search-" + i,
                    labels("alpha", "ai-search", "alpha", "prod"),
                    1.5,
                    6 * GIB,
                    start,
                    end,
                    steady(1.35, 0.3, random.nextLong())));
        }
        pods.add(pod(
                "team-alpha",
                "expense-api-staging",
                labels("alpha", "expenses", "alpha", "staging"),
                0.5,
                1 * GIB,
                start,
                end,
                steady(0.3, 0.1, random.nextLong())));
        // tenant beta: a noisy batch workload with bursts far above its request on some days
        for (int i = 0; i < 2; i++) {
            pods.add(pod(
                    "team-beta",
                    "etl-worker-" + i,
                    labels("beta", "reports", "beta", "prod"),
                    1.0,
                    2 * GIB,
                    start,
                    end,
                    noisy(random.nextLong())));
        }
        pods.add(pod(
                "team-beta",
                "reports-web",
                labels("beta", "reports", "beta", "prod"),
                0.5,
                1 * GIB,
                start,
                end,
                steady(0.5, 0.2, random.nextLong())));
        // tenant gamma: growing, a replica more every 4 days
        long days = Duration.between(start, end).toDays();
        for (int i = 0; i * 4L < Math.max(days, 1); i++) {
            Instant podStart = start.plus(Duration.ofDays(4L * i));
            pods.add(pod(
                    "team-gamma",
                    "checkout-" + i,
                    labels("gamma", "checkout", "gamma", "prod"),
                    1.0,
                    2 * GIB,
                    podStart,
                    end,
                    steady(0.6, 0.2, random.nextLong())));
        }
        // shared platform pods: one with its labels, one without a team (unattributed)
        pods.add(pod(
                "platform",
                "ingress",
                labels("shared", "ingress", "platform", "prod"),
                1.0,
                1 * GIB,
                start,
                end,
                steady(0.7, 0.1, random.nextLong())));
        Map<String, String> partial = new LinkedHashMap<>(labels("shared", "cache", "platform", "prod"));
        partial.remove("team");
        pods.add(pod(
                "platform", "legacy-cache", partial, 0.5, 8 * GIB, start, end, steady(0.5, 0.05, random.nextLong())));
        return new SyntheticCluster(pods, start, end);
    }

    /** A small cluster for end-to-end tests: two tenants in one namespace and one unattributed pod. */
    public static SyntheticCluster small(Instant start, Instant end, long seed) {
        List<SyntheticPod> pods = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2; i++) {
            pods.add(pod(
                    "team-alpha",
                    "api-" + i,
                    labels("alpha", "search", "alpha", "prod"),
                    2.0,
                    4 * GIB,
                    start,
                    end,
                    steady(0.5, 0.3, random.nextLong())));
        }
        pods.add(pod(
                "team-alpha",
                "ranker",
                labels("alpha", "ranking", "alpha", "prod"),
                1.0,
                2 * GIB,
                start,
                end,
                steady(1.4, 0.3, random.nextLong())));
        pods.add(pod(
                "team-alpha",
                "late-joiner",
                labels("alpha", "search", "alpha", "prod"),
                1.0,
                2 * GIB,
                start.plus(Duration.ofDays(3)),
                end,
                steady(0.5, 0.2, random.nextLong())));
        pods.add(pod(
                "team-alpha",
                "beta-api",
                labels("beta", "search", "beta", "prod"),
                1.0,
                2 * GIB,
                start,
                end,
                steady(0.5, 0.2, random.nextLong())));
        Map<String, String> unlabelled = new LinkedHashMap<>();
        pods.add(pod(
                "team-alpha",
                "debug-shell",
                unlabelled,
                0.25,
                0.5 * GIB,
                start,
                end,
                steady(0.2, 0.05, random.nextLong())));
        return new SyntheticCluster(pods, start, end);
    }

    private static SyntheticPod pod(
            String ns,
            String name,
            Map<String, String> labels,
            double cpu,
            double mem,
            Instant start,
            Instant end,
            SyntheticPod.UsageProfile usage) {
        return new SyntheticPod(ns, name, labels, cpu, mem, start, end, usage);
    }

    private static Map<String, String> labels(String tenant, String feature, String team, String environment) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tenant", tenant);
        m.put("feature", feature);
        m.put("team", team);
        m.put("environment", environment);
        return m;
    }

    /**
     * Usage around {@code mean} times the request with a daily cycle and hourly noise; stays on one side of
     * 1.0 so that the billed quantity is always either the request or the usage.
     */
    static SyntheticPod.UsageProfile steady(double mean, double dailySwing, long seed) {
        return hourStart -> {
            int hourOfDay = (int) Math.floorMod(hourStart / 3600, 24);
            double daily = 1 + dailySwing * Math.sin((hourOfDay - 8) * Math.PI / 12);
            double noise = 1 + 0.05 * (new SplittableRandom(seed ^ hourStart).nextDouble() - 0.5);
            double f = mean * daily * noise;
            return mean < 1 ? Math.min(f, 0.95) : Math.max(f, 1.05);
        };
    }

    /** Mostly 0.4 of the request, with bursts of 2-4 times the request for a few hours on about one day in five. */
    static SyntheticPod.UsageProfile noisy(long seed) {
        return hourStart -> {
            long day = Math.floorDiv(hourStart, 86400);
            SplittableRandom dayRandom = new SplittableRandom(seed ^ (day * 0x9E3779B97F4A7C15L));
            boolean burstDay = dayRandom.nextInt(5) == 0;
            int burstFrom = dayRandom.nextInt(18);
            int hourOfDay = (int) Math.floorMod(hourStart / 3600, 24);
            if (burstDay && hourOfDay >= burstFrom && hourOfDay < burstFrom + 5) {
                return 2 + 2 * new SplittableRandom(seed ^ hourStart).nextDouble();
            }
            return 0.4;
        };
    }
}

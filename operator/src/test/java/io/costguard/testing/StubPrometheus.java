package io.costguard.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Prometheus' range-query API: answers every compute query_range with the configured series, each
 * with a constant value per step, and the storage and node cost sources with no series. Can be switched off (HTTP 503) to play an outage.
 */
public final class StubPrometheus implements AutoCloseable {
    private final HttpServer server;
    private final List<Map<String, String>> series = new CopyOnWriteArrayList<>();
    private final Map<Map<String, String>, Double> values = new HashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean empty;
    private volatile long dataUntil = Long.MAX_VALUE;
    private volatile long spikeFrom;
    private volatile long spikeTo;
    private volatile double spikeFactor = 1;
    private volatile Map<String, Double> tenantFactors = Map.of();
    private volatile long holeFrom;
    private volatile long holeTo;
    private final List<long[]> ranges = new CopyOnWriteArrayList<>();

    public StubPrometheus() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query_range", ex -> {
            queries.incrementAndGet();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new HashMap<>();
            for (String kv : body.split("&")) {
                int eq = kv.indexOf('=');
                form.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
            String answer;
            int code = 200;
            if (down) {
                code = 503;
                answer = "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"stub is down\"}";
            } else {
                long start = Long.parseLong(form.get("start"));
                long end = Long.parseLong(form.get("end"));
                long step = Long.parseLong(form.get("step"));
                ranges.add(new long[] {start, end});
                end = Math.min(end, dataUntil);
                StringBuilder b =
                        new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
                boolean first = true;
                // the configured series are compute cost: no persistent volume claims, no OpenCost node prices
                String query = form.getOrDefault("query", "");
                boolean storage =
                        query.contains("kube_persistentvolumeclaim") || query.contains("node_total_hourly_cost");
                for (Map<String, String> labels : empty || storage ? List.<Map<String, String>>of() : series) {
                    b.append(first ? "" : ",").append("{\"metric\":{");
                    first = false;
                    boolean firstLabel = true;
                    for (Map.Entry<String, String> e : labels.entrySet()) {
                        b.append(firstLabel ? "" : ",")
                                .append('"')
                                .append(e.getKey())
                                .append("\":\"")
                                .append(e.getValue())
                                .append('"');
                        firstLabel = false;
                    }
                    b.append("},\"values\":[");
                    boolean firstPoint = true;
                    for (long t = start; t <= end; t += step) {
                        if (t > holeFrom && t <= holeTo) {
                            continue;
                        }
                        b.append(firstPoint ? "" : ",")
                                .append('[')
                                .append(t)
                                .append(",\"")
                                .append(valueAt(labels, t))
                                .append("\"]");
                        firstPoint = false;
                    }
                    b.append("]}");
                }
                answer = b.append("]}}").toString();
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Adds a series whose value at every step is {@code perHour} (money in the hour ending there). */
    public StubPrometheus costSeries(
            double perHour, String namespace, String tenant, String feature, String team, String environment) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("namespace", namespace);
        labels.put("label_tenant", tenant);
        labels.put("label_feature", feature);
        labels.put("label_team", team);
        labels.put("label_environment", environment);
        series.add(labels);
        values.put(labels, perHour);
        return this;
    }

    /** Every series' value is multiplied by {@code factor} at the steps in (from, to], i.e. for the hours [from, to). */
    public void spike(java.time.Instant from, java.time.Instant to, double factor) {
        spikeFrom = from.getEpochSecond();
        spikeTo = to.getEpochSecond();
        spikeFactor = factor;
    }

    /** Like {@link #spike}, but each tenant's series by its own factor ({@code label_tenant} to factor; others 1). */
    public void spikeTenants(java.time.Instant from, java.time.Instant to, Map<String, Double> factors) {
        spikeFrom = from.getEpochSecond();
        spikeTo = to.getEpochSecond();
        spikeFactor = 1;
        tenantFactors = Map.copyOf(factors);
    }

    /** No series has a point at the steps in (from, to], i.e. the hours [from, to) are missing: a scrape outage. */
    public void hole(java.time.Instant from, java.time.Instant to) {
        holeFrom = from.getEpochSecond();
        holeTo = to.getEpochSecond();
    }

    private double valueAt(Map<String, String> labels, long t) {
        double v = values.get(labels);
        double factor = tenantFactors.getOrDefault(labels.get("label_tenant"), spikeFactor);
        return t > spikeFrom && t <= spikeTo ? v * factor : v;
    }

    /** No samples after {@code t}: plays a Prometheus whose scrapes stopped. */
    public void dataUntil(java.time.Instant t) {
        dataUntil = t.getEpochSecond();
    }

    /** [start, end] of every range query answered, in epoch seconds. */
    public List<long[]> ranges() {
        return ranges;
    }

    /** Answers 200 with no series at all: plays a Prometheus that lost its data (a new, empty TSDB). */
    public void empty(boolean empty) {
        this.empty = empty;
    }

    public void down(boolean down) {
        this.down = down;
    }

    public int queries() {
        return queries.get();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

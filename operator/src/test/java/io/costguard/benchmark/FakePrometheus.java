package io.costguard.benchmark;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in Prometheus for the cycle benchmark, run as its own process so that its work does not count
 * as the operator's: answers query_range with {@code combos} series of hourly cost, streamed.
 * Usage: FakePrometheus PORT COMBOS
 */
public final class FakePrometheus {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int combos = Integer.parseInt(args[1]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/v1/query_range", ex -> {
            Map<String, String> form = new HashMap<>();
            for (String kv : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                int eq = kv.indexOf('=');
                form.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
            String query = form.getOrDefault("query", "");
            // the combinations are compute cost; storage has none here and node cost is one cluster-wide series
            boolean nodes = query.contains("node_total_hourly_cost");
            int series = query.contains("kube_persistentvolumeclaim") ? 0 : nodes ? 1 : combos;
            long start = Long.parseLong(form.get("start"));
            long end = Long.parseLong(form.get("end"));
            long step = Long.parseLong(form.get("step"));
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            try (BufferedWriter out =
                    new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8), 1 << 16)) {
                out.write("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
                for (int i = 0; i < series; i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write("{\"metric\":{" + (nodes ? "" : labels(i)) + "},\"values\":[");
                    for (long t = start; t <= end; t += step) {
                        if (t > start) {
                            out.write(',');
                        }
                        out.write("[" + t + ",\"" + (nodes ? Double.toString(combos * 0.08) : value(i, t)) + "\"]");
                    }
                    out.write("]}");
                }
                out.write("]}}");
            }
        });
        server.start();
        System.out.println("ready");
    }

    /** 5,000 combinations: 250 namespaces, 20 label combinations each. */
    static String labels(int i) {
        int ns = i / 20;
        int c = i % 20;
        return "\"namespace\":\"ns-" + ns + "\",\"label_tenant\":\"t" + (c % 5) + "\",\"label_feature\":\"f" + (c / 5)
                + "\",\"label_team\":\"team-" + (ns % 40) + "\",\"label_environment\":\""
                + (c % 2 == 0 ? "prod" : "staging") + "\"";
    }

    static String value(int i, long t) {
        return Double.toString(cost(i, t));
    }

    /** The cost of combination {@code i} in the hour ending at {@code t}, as {@link #value} writes it. */
    public static double cost(int i, long t) {
        return 0.01 + (i % 97) * 0.001 + ((t / 3600) % 24) * 0.0001;
    }
}

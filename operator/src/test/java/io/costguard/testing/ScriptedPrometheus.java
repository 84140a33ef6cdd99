package io.costguard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToDoubleBiFunction;

/**
 * A stand-in for Prometheus' query API that answers by what a query contains: the first rule whose text occurs in
 * the query gives the series (instant: one value each; range: a value per step from a function of labels and time).
 * Unmatched queries get an empty result. Logs every query; can reject queries (bad_data) or be down (503).
 */
public final class ScriptedPrometheus implements AutoCloseable {
    public record Sample(Map<String, String> labels, double value) {}

    private record Rule(
            String contains,
            Supplier<List<Sample>> instant,
            List<Map<String, String>> rangeSeries,
            ToDoubleBiFunction<Map<String, String>, Long> rangeValue,
            String rejection,
            boolean steady) {}

    private final HttpServer server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private final Map<String, List<Stepped>> evaluated = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.time.Duration> delays = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService pool;

    public ScriptedPrometheus() throws IOException {
        this(1);
    }

    /** Answering up to {@code threads} queries at once, as Prometheus does. */
    public ScriptedPrometheus(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        if (threads > 1) {
            pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            server.setExecutor(pool);
        } else {
            pool = null;
        }
        server.createContext("/api/v1/query", ex -> answer(ex, false));
        server.createContext("/api/v1/query_range", ex -> answer(ex, true));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Instant queries containing {@code text} get these samples (evaluated per query). */
    public ScriptedPrometheus instant(String text, Supplier<List<Sample>> samples) {
        rules.add(new Rule(text, samples, null, null, null, false));
        version.incrementAndGet();
        return this;
    }

    /** Instant and range queries containing {@code text} get these samples; a range query the same value at every step. */
    public ScriptedPrometheus steady(String text, Supplier<List<Sample>> samples) {
        rules.add(new Rule(text, samples, null, null, null, true));
        version.incrementAndGet();
        return this;
    }

    /** Range queries containing {@code text} get these series with a value per step. */
    public ScriptedPrometheus range(
            String text, List<Map<String, String>> series, ToDoubleBiFunction<Map<String, String>, Long> value) {
        rules.add(new Rule(text, null, series, value, null, false));
        version.incrementAndGet();
        return this;
    }

    /** Queries containing {@code text} are rejected as Prometheus rejects a parse error. */
    public ScriptedPrometheus reject(String text, String error) {
        rules.add(0, new Rule(text, null, null, null, error, false));
        version.incrementAndGet();
        return this;
    }

    /** Queries containing {@code text} are answered {@code delay} late (give the stand-in several threads). */
    public ScriptedPrometheus delay(String text, java.time.Duration delay) {
        delays.put(text, delay);
        return this;
    }

    public void clear() {
        rules.clear();
        version.incrementAndGet();
        evaluated.clear();
    }

    public void down(boolean down) {
        this.down = down;
    }

    public List<String> queries() {
        return List.copyOf(log);
    }

    public void resetLog() {
        log.clear();
    }

    private void answer(HttpExchange ex, boolean range) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String kv : body.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                form.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String query = form.getOrDefault("query", "");
        log.add(query);
        for (Map.Entry<String, java.time.Duration> d : delays.entrySet()) {
            if (query.contains(d.getKey())) {
                try {
                    Thread.sleep(d.getValue().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        int code = 200;
        String answer;
        List<Out> series = null;
        String rejection = null;
        Subquery subquery = range ? null : Subquery.of(query);
        // an instant query over a subquery reads the range rules, as Prometheus evaluates the inner query at each step
        boolean steps = range || subquery != null;
        Rule rule = rule(query, steps);
        java.util.regex.Matcher several = SEVERAL_NAMESPACES.matcher(query);
        if (rule == null && several.find()) {
            // namespace=~"a|b": the union of what each namespace's query gets, each series with its namespace
            series = new ArrayList<>();
            for (String ns : several.group(1).split("\\|")) {
                String one = query.replace(several.group(0), "namespace=\"" + ns + "\"");
                Rule r = rule(one, steps);
                if (r != null && r.rejection() != null) {
                    rejection = r.rejection();
                    break;
                }
                for (Out o : series(r, steps)) {
                    Map<String, String> labels = new java.util.LinkedHashMap<>(o.labels());
                    labels.putIfAbsent("namespace", ns);
                    series.add(new Out(labels, o.value()));
                }
            }
        } else if (rule != null && rule.rejection() != null) {
            rejection = rule.rejection();
        } else {
            series = series(rule, steps);
        }
        if (series != null) {
            series = relabelled(query, series);
        }
        if (series != null && subquery != null) {
            series = subquery.over(
                    series, System.identityHashCode(rule), Long.parseLong(form.getOrDefault("time", "0")), evaluated);
        }
        if (down) {
            code = 503;
            answer = "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"stand-in is down\"}";
        } else if (rejection != null) {
            code = 400;
            answer = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"" + rejection.replace("\"", "'")
                    + "\"}";
        } else if (range) {
            long start = Long.parseLong(form.get("start"));
            long end = Long.parseLong(form.get("end"));
            long step = Long.parseLong(form.get("step"));
            ShownValues shown = new ShownValues();
            StringBuilder b =
                    new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
            for (int i = 0; i < series.size(); i++) {
                b.append(i == 0 ? "" : ",")
                        .append("{\"metric\":")
                        .append(labels(series.get(i).labels()))
                        .append(",\"values\":[");
                boolean first = true;
                for (long t = start; t <= end; t += step) {
                    double v = series.get(i).value().applyAsDouble(t);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    b.append(first ? "" : ",")
                            .append('[')
                            .append(t)
                            .append(",\"")
                            .append(shown.text(v))
                            .append("\"]");
                    first = false;
                }
                b.append("]}");
            }
            answer = b.append("]}}").toString();
        } else {
            long time = Long.parseLong(form.getOrDefault("time", "0"));
            StringBuilder b =
                    new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
            for (int i = 0; i < series.size(); i++) {
                b.append(i == 0 ? "" : ",")
                        .append("{\"metric\":")
                        .append(labels(series.get(i).labels()))
                        .append(",\"value\":[")
                        .append(time)
                        .append(",\"")
                        .append(series.get(i).value().applyAsDouble(time))
                        .append("\"]}");
            }
            answer = b.append("]}}").toString();
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code namespace=~"a|b|..."} of plain names, as the operator reads several namespaces in one query. */
    private static final java.util.regex.Pattern SEVERAL_NAMESPACES =
            java.util.regex.Pattern.compile("namespace=~\"([a-z0-9-]+(?:\\|[a-z0-9-]+)+)\"");

    /** {@code sum by (a, b) (label_replace(...} at the start of a query: the labels kept. */
    private static final java.util.regex.Pattern SUM_OF_RELABELLED =
            java.util.regex.Pattern.compile("^sum by \\(([^)]*)\\) \\(label_replace\\(");
    /** {@code "target", "$1", "pod", "regex"}: a label_replace of the pod label. */
    private static final java.util.regex.Pattern POD_REPLACE =
            java.util.regex.Pattern.compile("\"([a-zA-Z_]+)\", \"\\$1\", \"pod\", \"([^\"]+)\"");

    /**
     * What Prometheus makes of {@code sum by (kept) (label_replace(...(per-pod answer, "x", "$1", "pod", "re")...))}:
     * each label_replace sets its label from the pod name when the (anchored) regex matches, then series with the same
     * kept labels are summed (a step where none has a value stays empty). Other queries are answered as scripted.
     */
    private static List<Out> relabelled(String query, List<Out> perPod) {
        java.util.regex.Matcher sum = SUM_OF_RELABELLED.matcher(query);
        if (!sum.find()) {
            return perPod;
        }
        List<String> kept = List.of(sum.group(1).split(",\\s*"));
        List<String> targets = new ArrayList<>();
        List<java.util.regex.Pattern> patterns = new ArrayList<>();
        java.util.regex.Matcher replace = POD_REPLACE.matcher(query);
        while (replace.find()) {
            targets.add(replace.group(1));
            patterns.add(java.util.regex.Pattern.compile(replace.group(2)));
        }
        Map<Map<String, String>, List<Out>> groups = new java.util.LinkedHashMap<>();
        for (Out o : perPod) {
            Map<String, String> labels = new HashMap<>(o.labels());
            String pod = labels.get("pod");
            for (int i = 0; i < targets.size() && pod != null; i++) {
                java.util.regex.Matcher m = patterns.get(i).matcher(pod);
                if (m.matches()) {
                    labels.put(targets.get(i), m.group(1));
                }
            }
            Map<String, String> out = new java.util.LinkedHashMap<>();
            for (String k : kept) {
                if (labels.containsKey(k)) {
                    out.put(k, labels.get(k));
                }
            }
            groups.computeIfAbsent(out, k -> new ArrayList<>()).add(o);
        }
        List<Out> summed = new ArrayList<>();
        groups.forEach((labels, members) -> summed.add(new Out(labels, t -> {
            double total = Double.NaN;
            for (Out m : members) {
                double v = m.value().applyAsDouble(t);
                total = Double.isNaN(v) ? total : Double.isNaN(total) ? v : total + v;
            }
            return total;
        })));
        return summed;
    }

    /**
     * {@code quantile_over_time(q, inner[range:step])}, {@code count_over_time(inner[range:step])} or
     * {@code min_over_time(timestamp(inner)[range:step])}: the inner query is evaluated at the multiples of step in
     * [time - range, time] (Prometheus 2's closed range) and each series becomes one value; series without a value at
     * any step are left out, as Prometheus does.
     */
    private record Subquery(String function, double q, String inner, long range, long step) {
        private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile(
                "^(quantile_over_time\\(([0-9.]+), |count_over_time\\(|min_over_time\\(timestamp\\()(.*)\\[([0-9a-z]+):([0-9a-z]+)\\]\\)$");

        static Subquery of(String query) {
            java.util.regex.Matcher m = FORM.matcher(query);
            if (!m.matches()) {
                return null;
            }
            String function = m.group(1).substring(0, m.group(1).indexOf('('));
            String inner = function.equals("min_over_time") && m.group(3).endsWith(")")
                    ? m.group(3).substring(0, m.group(3).length() - 1)
                    : m.group(3);
            return new Subquery(
                    function,
                    m.group(2) == null ? 0 : Double.parseDouble(m.group(2)),
                    inner,
                    io.costguard.config.Durations.parse(m.group(4)).getSeconds(),
                    io.costguard.config.Durations.parse(m.group(5)).getSeconds());
        }

        List<Out> over(List<Out> series, int rule, long time, Map<String, List<Stepped>> evaluated) {
            // the three figures of one inner query at one time are asked together: its steps are evaluated once (for
            // the same rule: another query text may match another one)
            String key = rule + "|" + inner + "@" + time + "/" + range + ":" + step;
            List<Stepped> all = evaluated.get(key);
            if (all == null) {
                all = steps(series, time);
                if (evaluated.size() > 64) {
                    evaluated.clear();
                }
                evaluated.put(key, all);
            }
            List<Out> out = new ArrayList<>();
            for (Stepped s : all) {
                double value;
                if (function.equals("count_over_time")) {
                    value = s.values().length;
                } else if (function.equals("min_over_time")) {
                    value = s.earliest();
                } else {
                    // Prometheus' quantile: linear between the closest ranks of the sorted values
                    double[] sorted = s.values().clone();
                    java.util.Arrays.sort(sorted);
                    int n = sorted.length;
                    double rank = q * (n - 1);
                    int lower = (int) Math.max(0, Math.floor(rank));
                    int upper = Math.min(n - 1, lower + 1);
                    double weight = rank - Math.floor(rank);
                    value = sorted[lower] * (1 - weight) + sorted[upper] * weight;
                }
                double answer = value;
                out.add(new Out(s.labels(), t -> answer));
            }
            return out;
        }

        private List<Stepped> steps(List<Out> series, long time) {
            List<Stepped> all = new ArrayList<>();
            long first = time - range;
            first = first % step == 0 ? first : first + step - Math.floorMod(first, step);
            for (Out s : series) {
                double[] values = new double[(int) ((time - first) / step) + 1];
                int n = 0;
                long earliest = -1;
                for (long t = first; t <= time; t += step) {
                    double v = s.value().applyAsDouble(t);
                    if (!Double.isNaN(v)) {
                        values[n++] = v;
                        earliest = earliest < 0 ? t : earliest;
                    }
                }
                if (n > 0) {
                    all.add(new Stepped(s.labels(), java.util.Arrays.copyOf(values, n), earliest));
                }
            }
            return all;
        }
    }

    /** A series' values at the steps of a subquery that had one, and the first such step. */
    private record Stepped(Map<String, String> labels, double[] values, long earliest) {}

    /** One series of an answer: its labels and its value at a time. */
    private record Out(Map<String, String> labels, java.util.function.LongToDoubleFunction value) {}

    /**
     * A value as Prometheus writes it, each distinct one formatted once per answer: a benchmark's range answers
     * repeat a few thousand values millions of times, and formatting them was most of the stand-in's CPU.
     */
    private static final class ShownValues {
        private final Map<Long, String> texts = new HashMap<>();

        String text(double v) {
            String known = texts.get(Double.doubleToRawLongBits(v));
            if (known != null) {
                return known;
            }
            String text = Double.toString(v);
            if (texts.size() < 65_536) {
                texts.put(Double.doubleToRawLongBits(v), text);
            }
            return text;
        }
    }

    /** {@code namespace="x"} in a rule's text or a query. */
    private static final java.util.regex.Pattern ONE_NAMESPACE =
            java.util.regex.Pattern.compile("namespace=\"([^\"]+)\"");

    /**
     * The rules by the namespace their text names: a rule naming {@code namespace="x"} can match only a query naming
     * it, so a benchmark's thousands of per-namespace rules are not each searched for in every query. Rebuilt after
     * the rules change.
     */
    private record RuleIndex(
            long version, List<Rule> all, List<Integer> general, Map<String, List<Integer>> byNamespace) {
        static RuleIndex of(long version, List<Rule> rules) {
            List<Rule> all = List.copyOf(rules);
            List<Integer> general = new ArrayList<>();
            Map<String, List<Integer>> byNamespace = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                java.util.regex.Matcher m = ONE_NAMESPACE.matcher(all.get(i).contains());
                if (m.find()) {
                    byNamespace
                            .computeIfAbsent(m.group(1), k -> new ArrayList<>())
                            .add(i);
                } else {
                    general.add(i);
                }
            }
            return new RuleIndex(version, all, general, byNamespace);
        }

        /** Indexes of the rules that may match {@code query}, in the rules' order. */
        java.util.stream.IntStream candidates(String query) {
            java.util.stream.IntStream.Builder named = java.util.stream.IntStream.builder();
            java.util.regex.Matcher m = ONE_NAMESPACE.matcher(query);
            while (m.find()) {
                byNamespace.getOrDefault(m.group(1), List.of()).forEach(named::add);
            }
            return java.util.stream.IntStream.concat(general.stream().mapToInt(Integer::intValue), named.build())
                    .sorted()
                    .distinct();
        }
    }

    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    private volatile RuleIndex index = RuleIndex.of(0, List.of());

    private Rule rule(String query, boolean range) {
        RuleIndex known = index;
        long now = version.get();
        if (known.version() != now) {
            known = RuleIndex.of(now, rules);
            index = known;
        }
        List<Rule> all = known.all();
        return known.candidates(query)
                .mapToObj(all::get)
                .filter(r -> query.contains(r.contains())
                        && (r.rejection() != null
                                || (range ? r.rangeSeries() != null || r.steady() : r.instant() != null)))
                .findFirst()
                .orElse(null);
    }

    private static List<Out> series(Rule rule, boolean range) {
        if (rule == null) {
            return List.of();
        }
        List<Out> out = new ArrayList<>();
        if (range && !rule.steady()) {
            for (Map<String, String> labels : rule.rangeSeries()) {
                out.add(new Out(labels, t -> rule.rangeValue().applyAsDouble(labels, t)));
            }
        } else {
            for (Sample sample : new ArrayList<>(rule.instant().get())) {
                out.add(new Out(sample.labels(), t -> sample.value()));
            }
        }
        return out;
    }

    private static String labels(Map<String, String> labels) {
        StringBuilder b = new StringBuilder("{");
        labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
        return b.append('}').toString();
    }

    @Override
    public void close() {
        server.stop(0);
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}

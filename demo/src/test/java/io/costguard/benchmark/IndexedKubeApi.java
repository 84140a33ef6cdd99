package io.costguard.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A Kubernetes API stand-in for the scale benchmark whose objects are indexed by kind, namespace and name, so a GET,
 * patch or watch event costs the same at 35,000 objects as at 10 (fabric8's mock server matches every request against
 * every stored object). It answers what the operator's client sends: GET of one object, lists with label and field
 * selectors and paging ({@code limit}/{@code continue}, one resourceVersion across the pages), HTTP watches from a
 * resourceVersion (410 Gone when it is older than the kept history, so the informer relists), create, update, JSON /
 * merge / strategic-merge / apply patches with optimistic concurrency, the {@code status} subresource (a write to the
 * main resource keeps status, a status write keeps everything else; generation moves only with spec) and delete.
 * Watches are HTTP streams only: clients must set {@code onlyHttpWatches}; a WebSocket upgrade is refused with 503.
 */
public final class IndexedKubeApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final byte[] NEWLINE = {'\n'};

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "indexed-kube-api");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong(1000);
    private final AtomicLong requests = new AtomicLong();
    private final Set<String> unknown = ConcurrentHashMap.newKeySet();
    private final int history;
    private volatile boolean closed;

    /** Keeps the last {@code history} events of each kind for watches that resume from a resourceVersion. */
    public IndexedKubeApi(int history) throws IOException {
        this.history = history;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests answered so far, watches included. */
    public long requests() {
        return requests.get();
    }

    /** Stores an object as if it had been created through the API (no watch is open yet when loading). */
    public void load(HasMetadata resource) {
        String apiVersion = resource.getApiVersion();
        String key = apiVersion + "/" + resource.getPlural();
        ObjectNode node;
        try {
            node = (ObjectNode) JSON.readTree(Serialization.asJson(resource));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String ns = resource.getMetadata().getNamespace();
        synchronized (this) {
            Kind kind = kind(key, resource.getKind());
            create(kind, ns, node);
        }
    }

    // ---- routing

    /** apiVersion/plural, the namespace or null, the name or null, the subresource or null. */
    record Route(String kind, String namespace, String name, String sub) {}

    static Route route(String path) {
        String[] p = path.replaceAll("^/+|/+$", "").split("/");
        int i;
        String groupVersion;
        if (p.length >= 2 && p[0].equals("api")) {
            groupVersion = p[1];
            i = 2;
        } else if (p.length >= 3 && p[0].equals("apis")) {
            groupVersion = p[1] + "/" + p[2];
            i = 3;
        } else {
            return null;
        }
        int left = p.length - i;
        if (left <= 0) {
            return null;
        }
        if (p[i].equals("namespaces") && left >= 3) {
            return new Route(
                    groupVersion + "/" + p[i + 2], p[i + 1], left >= 4 ? p[i + 3] : null, left >= 5 ? p[i + 4] : null);
        }
        return new Route(groupVersion + "/" + p[i], null, left >= 2 ? p[i + 1] : null, left >= 3 ? p[i + 2] : null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            if ("websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
                // the client falls back to an HTTP watch on 503
                send(exchange, 503, status(503, "ServiceUnavailable", "WebSocket watches are not served here"));
                return;
            }
            if (path.equals("/version")) {
                send(exchange, 200, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}".getBytes());
                return;
            }
            Route route = route(path);
            if (route == null) {
                notFound(exchange, method + " " + path);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            switch (method) {
                case "GET" -> {
                    if (route.name() != null) {
                        get(exchange, route);
                    } else if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
                        watch(exchange, route, query);
                    } else {
                        list(exchange, route, query);
                    }
                }
                case "POST" -> post(exchange, route, body);
                case "PUT" -> write(exchange, route, body, null);
                case "PATCH" -> write(exchange, route, body, contentType == null ? "" : contentType);
                case "DELETE" -> delete(exchange, route);
                default -> notFound(exchange, method + " " + path);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, status(500, "InternalError", String.valueOf(e)));
        }
    }

    // ---- reads

    private void get(HttpExchange exchange, Route route) throws IOException {
        Kind kind = kinds.get(route.kind());
        Stored s = kind == null ? null : kind.objects.get(key(route.namespace(), route.name()));
        if (s == null) {
            send(exchange, 404, status(404, "NotFound", route.kind() + " \"" + route.name() + "\" not found"));
        } else {
            send(exchange, 200, s.json);
        }
    }

    private void list(HttpExchange exchange, Route route, Map<String, String> query) throws IOException {
        Kind kind = kinds.get(route.kind());
        long limit = query.containsKey("limit") ? Long.parseLong(query.get("limit")) : Long.MAX_VALUE;
        String from = query.get("continue");
        // one resourceVersion for every page, taken before the first page is read: a write after it is in the watch
        long listVersion;
        String after;
        if (from != null && !from.isEmpty()) {
            int bar = from.indexOf('|');
            listVersion = Long.parseLong(from.substring(0, bar));
            after = from.substring(bar + 1);
        } else {
            listVersion = version.get();
            after = null;
        }
        Predicate<Stored> wanted = filter(route.namespace(), query);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        String kindName = kind == null ? "List" : kind.listKind();
        out.writeBytes(
                ("{\"apiVersion\":\"" + apiVersion(route.kind()) + "\",\"kind\":\"" + kindName + "\",\"items\":[")
                        .getBytes(StandardCharsets.UTF_8));
        String next = null;
        if (kind != null) {
            NavigableMap<String, Stored> range = route.namespace() == null
                    ? kind.objects
                    : kind.objects.subMap(route.namespace() + "/", true, route.namespace() + "0", false);
            if (after != null) {
                range = range.tailMap(after, false);
            }
            long n = 0;
            String last = null;
            for (Map.Entry<String, Stored> e : range.entrySet()) {
                if (!wanted.test(e.getValue())) {
                    continue;
                }
                if (n == limit) {
                    next = listVersion + "|" + last;
                    break;
                }
                if (n > 0) {
                    out.write(',');
                }
                out.writeBytes(e.getValue().json);
                last = e.getKey();
                n++;
            }
        }
        String meta = "],\"metadata\":{\"resourceVersion\":\"" + listVersion + "\""
                + (next == null ? "" : ",\"continue\":\"" + next.replace("\"", "\\\"") + "\"") + "}}";
        out.writeBytes(meta.getBytes(StandardCharsets.UTF_8));
        send(exchange, 200, out.toByteArray());
    }

    private void watch(HttpExchange exchange, Route route, Map<String, String> query) throws IOException {
        Kind kind;
        synchronized (this) {
            kind = kind(route.kind(), null);
        }
        Predicate<Stored> wanted = filter(route.namespace(), query);
        long timeout = query.containsKey("timeoutSeconds") ? Long.parseLong(query.get("timeoutSeconds")) : 1800;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        String from = query.getOrDefault("resourceVersion", "0");
        Watcher watcher = new Watcher(wanted);
        List<byte[]> replay = new ArrayList<>();
        synchronized (this) {
            if (from.isEmpty() || from.equals("0")) {
                kind.objects.values().stream().filter(wanted).forEach(s -> replay.add(event("ADDED", s.json)));
            } else {
                long since = Long.parseLong(from);
                if (since < kind.trimmedThrough) {
                    replay.add(event("ERROR", status(410, "Expired", "too old resource version: " + since)));
                } else {
                    for (Event e : kind.history) {
                        if (e.version > since && wanted.test(e.object)) {
                            replay.add(event(e.type, e.object.json));
                        }
                    }
                }
            }
            kind.watchers.add(watcher);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (byte[] line : replay) {
                out.write(line);
            }
            out.flush();
            while (!closed && System.nanoTime() < deadline) {
                byte[] line = watcher.lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                out.write(line);
                for (byte[] more = watcher.lines.poll(); more != null; more = watcher.lines.poll()) {
                    out.write(more);
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        } finally {
            kind.watchers.remove(watcher);
        }
    }

    // ---- writes

    private void post(HttpExchange exchange, Route route, byte[] body) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(body);
        if (route.kind().endsWith("/selfsubjectrulesreviews")) {
            ObjectNode status = node.putObject("status").put("incomplete", false);
            ObjectNode rule = status.putArray("resourceRules").addObject();
            rule.putArray("verbs").add("*");
            rule.putArray("apiGroups").add("*");
            rule.putArray("resources").add("*");
            send(exchange, 201, JSON.writeValueAsBytes(node));
            return;
        }
        ObjectNode meta = node.with("metadata");
        if (!meta.hasNonNull("name") && meta.hasNonNull("generateName")) {
            meta.put(
                    "name",
                    meta.get("generateName").asText()
                            + UUID.randomUUID().toString().substring(0, 5));
        }
        String name = meta.path("name").asText();
        synchronized (this) {
            Kind kind = kind(route.kind(), node.path("kind").asText(null));
            if (kind.objects.containsKey(key(route.namespace(), name))) {
                send(exchange, 409, status(409, "AlreadyExists", route.kind() + " \"" + name + "\" already exists"));
                return;
            }
            Stored s = create(kind, route.namespace(), node);
            send(exchange, 201, s.json);
        }
    }

    /** PUT when {@code patchType} is null, else PATCH of that content type. */
    private void write(HttpExchange exchange, Route route, byte[] body, String patchType) throws IOException {
        if (route.name() == null) {
            notFound(exchange, "write without a name: " + route);
            return;
        }
        boolean apply = patchType != null && patchType.startsWith("application/apply-patch");
        synchronized (this) {
            Kind kind = kind(route.kind(), null);
            String key = key(route.namespace(), route.name());
            Stored current = kind.objects.get(key);
            if (current == null) {
                if (apply && route.sub() == null) {
                    ObjectNode node = (ObjectNode) YAML.readTree(body);
                    node.with("metadata").put("name", route.name());
                    kind.kindName = kind.kindName != null
                            ? kind.kindName
                            : node.path("kind").asText(null);
                    send(exchange, 201, create(kind, route.namespace(), node).json);
                    return;
                }
                send(exchange, 404, status(404, "NotFound", route.kind() + " \"" + route.name() + "\" not found"));
                return;
            }
            JsonNode next;
            if (patchType == null) {
                next = JSON.readTree(body);
            } else if (patchType.startsWith("application/json-patch")) {
                try {
                    next = JsonPatch.apply(JSON.readTree(body), current.node.deepCopy());
                } catch (RuntimeException e) {
                    send(exchange, 422, status(422, "Invalid", "JSON patch does not apply: " + e.getMessage()));
                    return;
                }
            } else {
                JsonNode patch = apply ? YAML.readTree(body) : JSON.readTree(body);
                next = merge(current.node.deepCopy(), patch);
            }
            String asked = next.path("metadata").path("resourceVersion").asText("");
            if (!asked.isEmpty() && !apply && !asked.equals(Long.toString(current.version))) {
                send(
                        exchange,
                        409,
                        status(
                                409,
                                "Conflict",
                                "Operation cannot be fulfilled on " + route.kind() + " \"" + route.name()
                                        + "\": the object has been modified; please apply your changes to the latest"
                                        + " version and try again"));
                return;
            }
            ObjectNode result = (ObjectNode) next;
            if ("status".equals(route.sub())) {
                ObjectNode kept = current.node.deepCopy();
                if (result.has("status")) {
                    kept.set("status", result.get("status"));
                } else {
                    kept.remove("status");
                }
                result = kept;
            } else {
                if (current.node.has("status")) {
                    result.set("status", current.node.get("status"));
                } else {
                    result.remove("status");
                }
                long generation =
                        current.node.path("metadata").path("generation").asLong(1);
                boolean specChanged = !current.node.path("spec").equals(result.path("spec"));
                result.with("metadata").put("generation", specChanged ? generation + 1 : generation);
            }
            ObjectNode meta = result.with("metadata");
            JsonNode old = current.node.path("metadata");
            for (String fixed : List.of("uid", "creationTimestamp", "namespace", "name")) {
                if (old.has(fixed)) {
                    meta.set(fixed, old.get(fixed));
                }
            }
            Stored s = store(kind, route.namespace(), result, "MODIFIED");
            send(exchange, 200, s.json);
        }
    }

    private void delete(HttpExchange exchange, Route route) throws IOException {
        synchronized (this) {
            Kind kind = kind(route.kind(), null);
            Stored removed = kind.objects.remove(key(route.namespace(), route.name()));
            if (removed == null) {
                send(exchange, 404, status(404, "NotFound", route.kind() + " \"" + route.name() + "\" not found"));
                return;
            }
            long v = version.incrementAndGet();
            ObjectNode gone = removed.node.deepCopy();
            gone.with("metadata").put("resourceVersion", Long.toString(v));
            Stored s = new Stored(gone, bytes(gone), v, removed.namespace, removed.labels, removed.name);
            publish(kind, new Event("DELETED", s, v));
            send(exchange, 200, s.json);
        }
    }

    /** Called holding this object's lock. */
    private Stored create(Kind kind, String namespace, ObjectNode node) {
        ObjectNode meta = node.with("metadata");
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        meta.put("uid", UUID.randomUUID().toString());
        meta.put(
                "creationTimestamp",
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        meta.put("generation", 1);
        if (!node.has("apiVersion")) {
            node.put("apiVersion", apiVersion(kind.key));
        }
        if (!node.has("kind") && kind.kindName != null) {
            node.put("kind", kind.kindName);
        }
        return store(kind, namespace, node, "ADDED");
    }

    /** Called holding this object's lock. */
    private Stored store(Kind kind, String namespace, ObjectNode node, String type) {
        long v = version.incrementAndGet();
        node.with("metadata").put("resourceVersion", Long.toString(v));
        Map<String, String> labels = new HashMap<>();
        node.path("metadata")
                .path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        String name = node.path("metadata").path("name").asText();
        Stored s = new Stored(node, bytes(node), v, namespace, Map.copyOf(labels), name);
        kind.objects.put(key(namespace, name), s);
        publish(kind, new Event(type, s, v));
        return s;
    }

    private void publish(Kind kind, Event e) {
        kind.history.addLast(e);
        if (kind.history.size() > history) {
            kind.trimmedThrough = kind.history.removeFirst().version;
        }
        if (!kind.watchers.isEmpty()) {
            byte[] line = event(e.type, e.object.json);
            for (Watcher w : kind.watchers) {
                if (w.wanted.test(e.object)) {
                    w.lines.add(line);
                }
            }
        }
    }

    /** RFC 7386 merge patch; strategic merge and apply patches are read the same way (lists are replaced). */
    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isNull()) {
                result.remove(f.getKey());
            } else {
                result.set(f.getKey(), merge(result.get(f.getKey()), f.getValue()));
            }
        }
        return result;
    }

    // ---- selectors

    static Predicate<Stored> filter(String namespace, Map<String, String> query) {
        Predicate<Stored> p = s -> namespace == null || namespace.equals(s.namespace);
        String labels = query.get("labelSelector");
        if (labels != null && !labels.isEmpty()) {
            for (String term : splitTerms(labels)) {
                p = p.and(labelTerm(term.trim()));
            }
        }
        String fields = query.get("fieldSelector");
        if (fields != null && !fields.isEmpty()) {
            for (String term : fields.split(",")) {
                boolean not = term.contains("!=");
                String[] kv = term.split(not ? "!=" : "==?", 2);
                Predicate<Stored> match = switch (kv[0]) {
                    case "metadata.name" -> s -> s.name.equals(kv[1]);
                    case "metadata.namespace" -> s -> kv[1].equals(s.namespace);
                    default -> throw new IllegalArgumentException("field selector not served: " + term);
                };
                p = p.and(not ? match.negate() : match);
            }
        }
        return p;
    }

    /** Splits a label selector at commas outside parentheses. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static Predicate<Stored> labelTerm(String term) {
        java.util.regex.Matcher set = java.util.regex.Pattern.compile("(\\S+)\\s+(in|notin)\\s+\\((.*)\\)")
                .matcher(term);
        if (set.matches()) {
            String key = set.group(1);
            Set<String> values = Set.of(set.group(3).replace(" ", "").split(","));
            return set.group(2).equals("in")
                    ? s -> values.contains(s.labels.get(key))
                    : s -> !values.contains(s.labels.get(key));
        }
        if (term.startsWith("!")) {
            return s -> !s.labels.containsKey(term.substring(1));
        }
        if (term.contains("!=")) {
            String[] kv = term.split("!=", 2);
            return s -> !kv[1].equals(s.labels.get(kv[0]));
        }
        if (term.contains("=")) {
            String[] kv = term.split("==?", 2);
            return s -> kv[1].equals(s.labels.get(kv[0]));
        }
        return s -> s.labels.containsKey(term);
    }

    // ---- plumbing

    private Kind kind(String key, String kindName) {
        Kind k = kinds.computeIfAbsent(key, Kind::new);
        if (k.kindName == null && kindName != null && !kindName.isEmpty()) {
            k.kindName = kindName;
        }
        return k;
    }

    private static String key(String namespace, String name) {
        return (namespace == null ? "" : namespace) + "/" + name;
    }

    private static String apiVersion(String kindKey) {
        return kindKey.substring(0, kindKey.lastIndexOf('/'));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] event(String type, byte[] object) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(object.length + 32);
        out.writeBytes(("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(object);
        out.write('}');
        out.writeBytes(NEWLINE);
        return out.toByteArray();
    }

    private static byte[] status(int code, String reason, String message) {
        ObjectNode s = JSON.createObjectNode()
                .put("apiVersion", "v1")
                .put("kind", "Status")
                .put("status", "Failure")
                .put("code", code)
                .put("reason", reason)
                .put("message", message);
        s.putObject("metadata");
        return bytes(s);
    }

    private void notFound(HttpExchange exchange, String what) throws IOException {
        if (unknown.add(what)) {
            System.err.println("IndexedKubeApi: not served: " + what);
        }
        send(exchange, 404, status(404, "NotFound", "not served: " + what));
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }

    /** One stored version of an object, with its JSON as served and what selectors look at. */
    record Stored(
            ObjectNode node, byte[] json, long version, String namespace, Map<String, String> labels, String name) {}

    record Event(String type, Stored object, long version) {}

    private static final class Watcher {
        final Predicate<Stored> wanted;
        final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();

        Watcher(Predicate<Stored> wanted) {
            this.wanted = wanted;
        }
    }

    private static final class Kind {
        final String key;
        final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
        final ArrayDeque<Event> history = new ArrayDeque<>();
        final List<Watcher> watchers = new CopyOnWriteArrayList<>();
        volatile String kindName;
        /** The newest version no longer in the history: a watch from before it must relist. */
        long trimmedThrough;

        Kind(String key) {
            this.key = key;
        }

        String listKind() {
            return kindName == null ? "List" : kindName + "List";
        }
    }
}

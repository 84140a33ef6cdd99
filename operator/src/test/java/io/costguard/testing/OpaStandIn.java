package io.costguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Speaks OPA's Data API ({@code POST /v1/data/<path>} with {@code {"input": ...}}, answering {@code {"result": ...}}
 * or {@code {}} when the rule is undefined), with a Java function in place of the policy. It can be made slow, made
 * to fail with an HTTP status, or stopped, to test what happens when OPA misbehaves.
 */
public final class OpaStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String path;
    private volatile Function<JsonNode, JsonNode> policy;
    private volatile long delayMillis;
    private volatile int status = 200;
    private final List<JsonNode> inputs = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    /** {@code policy} maps the input to the rule's value, or to null for an undefined result. */
    public OpaStandIn(String path, Function<JsonNode, JsonNode> policy) throws IOException {
        this.path = "/v1/data/" + path;
        this.policy = policy;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/v1/data/", ex -> {
            try (ex) {
                JsonNode body = JSON.readTree(ex.getRequestBody());
                authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                if (delayMillis > 0) {
                    try {
                        Thread.sleep(delayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] answer;
                int code = status;
                if (!ex.getRequestURI().getPath().equals(this.path)) {
                    answer = "{}".getBytes();
                } else if (!"POST".equals(ex.getRequestMethod()) || body == null || !body.has("input")) {
                    code = 400;
                    answer =
                            "{\"code\":\"invalid_parameter\",\"message\":\"expected {\\\"input\\\": ...}\"}".getBytes();
                } else {
                    inputs.add(body.get("input"));
                    JsonNode result = this.policy.apply(body.get("input"));
                    ObjectNode out = JSON.createObjectNode();
                    if (result != null) {
                        out.set("result", result);
                    }
                    answer = JSON.writeValueAsBytes(out);
                }
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(code, answer.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(answer);
                }
            } catch (IOException e) {
                // the client went away (timed out): nothing to answer
            }
        });
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "opa-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The Authorization header of each request, "null" when there was none. */
    public List<String> authorizations() {
        return authorizations;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void policy(Function<JsonNode, JsonNode> p) {
        policy = p;
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    public void status(int code) {
        status = code;
    }

    public List<JsonNode> inputs() {
        return inputs;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.config.OperatorConfig;
import io.costguard.config.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks OPA's Data API ({@code POST /v1/data/<path>} with {@code {"input": <AdmissionReview>}}). The policy's value
 * may be a set of deny messages, a boolean (true = allow), or an object {@code {allowed, reason}} or
 * {@code {deny: [...]}}; an undefined result (200 without {@code result}) is no objection. Anything else, and a
 * slow or absent OPA, is {@link Unavailable}: the built-in rules still decide.
 */
public final class OpaClient {
    /** What OPA said. */
    public sealed interface Answer permits NoObjection, Denied, Unavailable {}

    public record NoObjection() implements Answer {}

    public record Denied(List<String> reasons) implements Answer {}

    /** OPA could not answer in time or at all; {@code kind} is a short label for metrics. */
    public record Unavailable(String kind, String detail) implements Answer {}

    /** Latency and failures, for metrics. */
    public interface Observer {
        void opa(Duration latency, Answer answer);
    }

    private final HttpClient http;
    /** Without the user and password of the configured URL: those go into {@code authorization}. */
    private final URI endpoint;

    private final String shownEndpoint;
    private final java.util.Optional<String> authorization;
    private final Duration timeout;
    private final ObjectMapper mapper;
    private final Observer observer;

    public OpaClient(URI base, String path, Duration timeout, ObjectMapper mapper, Observer observer) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.endpoint =
                URI.create(Redaction.withoutUserInfo(base).toString().replaceAll("/+$", "") + "/v1/data/" + path);
        this.shownEndpoint = Redaction.url(endpoint);
        // a user and password in the URL are sent as basic auth, never printed
        this.authorization = java.util.Optional.ofNullable(base.getUserInfo())
                .map(OperatorConfig.BasicAuth.FromUrl::of)
                .map(u -> OperatorConfig.BasicAuth.header(u.username(), u.password()));
        this.timeout = timeout;
        this.mapper = mapper;
        this.observer = observer;
    }

    public URI endpoint() {
        return endpoint;
    }

    public CompletableFuture<Answer> ask(JsonNode review) {
        long start = System.nanoTime();
        byte[] body;
        try {
            ObjectNode input = mapper.createObjectNode();
            input.set("input", review);
            body = mapper.writeValueAsBytes(input);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new Unavailable("encode", e.getMessage()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        authorization.ifPresent(a -> request.header("Authorization", a));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    Answer a = error != null ? failure(error) : read(response);
                    observer.opa(Duration.ofNanos(System.nanoTime() - start), a);
                    return a;
                });
    }

    private Answer read(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            return new Unavailable(
                    "http_" + response.statusCode(),
                    "OPA answered HTTP " + response.statusCode() + " for " + shownEndpoint);
        }
        JsonNode root;
        try {
            root = mapper.readTree(response.body());
        } catch (IOException e) {
            return new Unavailable("bad_response", "OPA's answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Unavailable("bad_response", "OPA's answer is not a JSON object");
        }
        JsonNode result = root.get("result");
        if (result == null) {
            return new NoObjection();
        }
        return interpret(result);
    }

    /** The policy's value as a decision. */
    static Answer interpret(JsonNode result) {
        if (result.isBoolean()) {
            return result.asBoolean() ? new NoObjection() : new Denied(List.of("denied by the OPA policy"));
        }
        if (result.isArray()) {
            return messages(result);
        }
        if (result.isObject()) {
            if (result.has("deny") && result.get("deny").isArray()) {
                return messages(result.get("deny"));
            }
            if (result.has("allowed") && result.get("allowed").isBoolean()) {
                if (result.get("allowed").asBoolean()) {
                    return new NoObjection();
                }
                String reason =
                        result.path("reason").asText(result.path("message").asText(""));
                return new Denied(List.of(reason.isEmpty() ? "denied by the OPA policy" : reason));
            }
            if (result.isEmpty()) {
                return new NoObjection();
            }
        }
        return new Unavailable(
                "bad_result", "the OPA policy's value is neither a set of messages, a boolean, nor {allowed, reason}");
    }

    private static Answer messages(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(m -> out.add(m.isTextual() ? m.asText() : m.toString()));
        return out.isEmpty() ? new NoObjection() : new Denied(out);
    }

    private Answer failure(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return new Unavailable("timeout", "OPA did not answer within " + timeout.toMillis() + "ms");
        }
        if (e instanceof java.net.ConnectException) {
            return new Unavailable("unreachable", "OPA at " + shownEndpoint + " refused the connection");
        }
        return new Unavailable(
                "error",
                "OPA at " + shownEndpoint + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + Redaction.text(e.getMessage())));
    }
}

package io.costguard.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.costguard.config.OperatorConfig.BasicAuth;
import io.costguard.config.OperatorConfig.PrometheusSettings;
import io.costguard.config.Redaction;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Prometheus HTTP API client (instant and range queries). Works with Prometheus-compatible backends
 * (Thanos, Mimir, VictoriaMetrics) through the same API. Results are parsed as a stream, so a large
 * matrix never exists as a JSON tree. Never throws for remote failures: every failure is a typed outcome.
 */
public final class PrometheusClient {
    private static final JsonFactory JSON = new JsonFactory();

    private final PrometheusSettings settings;
    private final HttpClient http;
    private final QueryObserver observer;
    /** The URL as messages show it (statuses and Events are read by tenants). */
    private final String shownUrl;
    /** Values that must not appear in a message even if a server or library echoes them. */
    private final List<String> secrets;

    /** Receives the latency and outcome of every query, for the operator's own metrics. */
    public interface QueryObserver {
        void observe(String purpose, String type, Duration latency, FailureKind failureOrNull);

        QueryObserver NONE = (purpose, type, latency, failure) -> {};
    }

    public PrometheusClient(PrometheusSettings settings, QueryObserver observer) {
        this.settings = settings;
        this.observer = observer;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(
                        settings.timeout().compareTo(Duration.ofSeconds(10)) < 0
                                ? settings.timeout()
                                : Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL);
        settings.caFile().ifPresent(ca -> b.sslContext(trusting(ca)));
        this.http = b.build();
        this.shownUrl = Redaction.url(settings.url());
        List<String> known = new ArrayList<>(settings.headers().values());
        if (settings.basicAuth().orElse(null) instanceof BasicAuth.FromUrl u) {
            known.add(u.username());
            known.add(u.password());
        }
        this.secrets = List.copyOf(known);
    }

    public URI baseUrl() {
        return settings.url();
    }

    /** Range query over [start, end] with the given step; {@code purpose} labels the metrics (e.g. the cost source). */
    public QueryOutcome queryRange(String purpose, String query, Instant start, Instant end, Duration step) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("start", Long.toString(start.getEpochSecond()));
        form.put("end", Long.toString(end.getEpochSecond()));
        form.put("step", Long.toString(Math.max(1, step.getSeconds())));
        return execute(purpose, "range", "/api/v1/query_range", form);
    }

    /** Instant query at {@code time}. */
    public QueryOutcome query(String purpose, String query, Instant time) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("time", Long.toString(time.getEpochSecond()));
        return execute(purpose, "instant", "/api/v1/query", form);
    }

    private QueryOutcome execute(String purpose, String type, String path, Map<String, String> form) {
        long t0 = System.nanoTime();
        QueryOutcome outcome = send(path, form);
        Duration latency = Duration.ofNanos(System.nanoTime() - t0);
        observer.observe(purpose, type, latency, outcome instanceof QueryOutcome.Failure f ? f.kind() : null);
        return outcome;
    }

    private QueryOutcome send(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        settings.headers().forEach(req::header);
        if (settings.bearerTokenFile().isPresent()) {
            try {
                req.header(
                        "Authorization",
                        "Bearer "
                                + Files.readString(settings.bearerTokenFile().get())
                                        .trim());
            } catch (IOException e) {
                return QueryOutcome.failure(
                        FailureKind.Unreachable,
                        "cannot read bearer token file "
                                + settings.bearerTokenFile().get() + ": " + e.getMessage());
            }
        }
        if (settings.basicAuth().isPresent()) {
            try {
                req.header("Authorization", basic(settings.basicAuth().get()));
            } catch (IOException e) {
                return QueryOutcome.failure(
                        FailureKind.Unreachable, "cannot read a basic auth file (" + e.getMessage() + ")");
            }
        }
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            return QueryOutcome.failure(FailureKind.Unreachable, "connecting to " + shownUrl + " timed out");
        } catch (HttpTimeoutException e) {
            return QueryOutcome.failure(
                    FailureKind.Timeout,
                    "no answer from " + shownUrl + " within "
                            + settings.timeout().toSeconds() + "s");
        } catch (ConnectException e) {
            return QueryOutcome.failure(
                    FailureKind.Unreachable, "cannot connect to " + shownUrl + " (connection refused)");
        } catch (IOException e) {
            return QueryOutcome.failure(
                    FailureKind.Unreachable,
                    "cannot reach " + shownUrl + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + Redaction.text(e.getMessage(), secrets)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return QueryOutcome.failure(FailureKind.Timeout, "interrupted");
        }
        QueryOutcome outcome;
        try (InputStream in = resp.body()) {
            outcome = parse(resp.statusCode(), in);
        } catch (IOException e) {
            return QueryOutcome.failure(
                    FailureKind.Unreachable,
                    "reading the answer of " + shownUrl + " failed: " + Redaction.text(e.getMessage(), secrets));
        }
        // a proxy or backend may echo the request (an auth error quoting the header, a redirect URL) into its error
        return outcome instanceof QueryOutcome.Failure f
                ? QueryOutcome.failure(f.kind(), Redaction.text(f.message(), secrets))
                : outcome;
    }

    /** The Authorization header value; files are read on every query, so a rotated Secret takes effect at once. */
    private static String basic(BasicAuth auth) throws IOException {
        if (auth instanceof BasicAuth.FromFiles f) {
            return BasicAuth.header(
                    Files.readString(f.usernameFile()).strip(),
                    Files.readString(f.passwordFile()).strip());
        }
        BasicAuth.FromUrl u = (BasicAuth.FromUrl) auth;
        return BasicAuth.header(u.username(), u.password());
    }

    static QueryOutcome parse(int status, InputStream in) throws IOException {
        String promStatus = null;
        String errorType = null;
        String error = null;
        List<Series> series = new ArrayList<>();
        long samples = 0;
        boolean nan = false;
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return QueryOutcome.failure(
                        FailureKind.HttpError, "HTTP " + status + " without a Prometheus API answer");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "status" -> promStatus = p.getText();
                    case "errorType" -> errorType = p.getText();
                    case "error" -> error = p.getText();
                    case "data" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String dataField = p.currentName();
                            p.nextToken();
                            if ("result".equals(dataField) && p.currentToken() == JsonToken.START_ARRAY) {
                                int sizeHint = 16;
                                AnswerStrings strings = new AnswerStrings();
                                long[] lastTimes = null;
                                while (p.nextToken() == JsonToken.START_OBJECT) {
                                    Series s = readSeries(p, sizeHint, strings);
                                    // the series of a range answer share their steps: one array for all of them
                                    if (lastTimes != null && java.util.Arrays.equals(lastTimes, s.timestamps())) {
                                        s = new Series(s.labels(), lastTimes, s.values());
                                    }
                                    lastTimes = s.timestamps();
                                    sizeHint = Math.max(16, s.size());
                                    for (double v : s.values()) {
                                        if (Double.isNaN(v) || Double.isInfinite(v)) {
                                            nan = true;
                                        }
                                    }
                                    samples += s.size();
                                    series.add(s);
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return QueryOutcome.failure(
                    FailureKind.HttpError, "HTTP " + status + " with a body that is not Prometheus API JSON");
        } catch (NumberFormatException e) {
            return QueryOutcome.failure(
                    FailureKind.HttpError, "HTTP " + status + " with a sample value that is not a number");
        }
        if ("error".equals(promStatus)) {
            FailureKind kind = switch (String.valueOf(errorType)) {
                case "timeout", "canceled" -> FailureKind.Timeout;
                case "bad_data", "execution" -> FailureKind.BadQuery;
                default -> FailureKind.HttpError;
            };
            return QueryOutcome.failure(kind, (errorType == null ? "" : errorType + ": ") + error);
        }
        if (status != 200 || !"success".equals(promStatus)) {
            return QueryOutcome.failure(FailureKind.HttpError, "HTTP " + status + (error == null ? "" : ": " + error));
        }
        if (nan) {
            return QueryOutcome.failure(FailureKind.NaNValues, "the result holds NaN or infinite values");
        }
        return new QueryOutcome.Success(series, samples);
    }

    /**
     * One series of a result. {@code sizeHint} is the length of the previous series in the same answer: range
     * answers hold series of one length, so the arrays are sized once instead of grown and copied.
     */
    private static Series readSeries(JsonParser p, int sizeHint, AnswerStrings strings) throws IOException {
        Map<String, String> labels = Map.of();
        long[] ts = new long[0];
        double[] vs = new double[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "metric" -> {
                    List<String> kv = new ArrayList<>(8);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        // names come canonical from the parser's symbol table; values repeat across series
                        String k = p.currentName();
                        p.nextToken();
                        kv.add(k);
                        kv.add(
                                p.currentToken() == JsonToken.VALUE_STRING
                                        ? strings.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                                        : p.getText());
                    }
                    labels = AnswerStrings.labels(kv);
                }
                case "values" -> {
                    int n = 0;
                    long[] t = new long[sizeHint];
                    double[] v = new double[sizeHint];
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        if (n == t.length) {
                            t = java.util.Arrays.copyOf(t, n * 2);
                            v = java.util.Arrays.copyOf(v, n * 2);
                        }
                        p.nextToken();
                        t[n] = timestamp(p);
                        p.nextToken();
                        v[n] = value(p);
                        p.nextToken();
                        n++;
                    }
                    ts = n == t.length ? t : java.util.Arrays.copyOf(t, n);
                    vs = n == v.length ? v : java.util.Arrays.copyOf(v, n);
                }
                case "value" -> {
                    p.nextToken();
                    ts = new long[] {timestamp(p)};
                    p.nextToken();
                    vs = new double[] {value(p)};
                    p.nextToken();
                }
                default -> p.skipChildren();
            }
        }
        return new Series(labels, ts, vs);
    }

    /** Epoch seconds, whole (Prometheus sends them as numbers, with milliseconds as a fraction). */
    private static long timestamp(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NUMBER_INT
                ? p.getLongValue()
                : (long) Math.floor(p.getDoubleValue());
    }

    /**
     * A sample value: Prometheus sends it as a string ("0.25", "NaN", "+Inf", "-Inf"). Read from the parser's buffer
     * with Jackson's fast double parser: the cycles parse millions of them.
     */
    private static double value(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return Double.parseDouble(p.getText());
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        if (length > 0 && (chars[offset] == 'N' || chars[offset] == '+' || chars[offset + length - 1] == 'f')) {
            return switch (p.getText()) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(p.getText());
            };
        }
        return NumberInput.parseDouble(chars, offset, length, true);
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new io.costguard.config.ConfigException(
                    "invalid setting prometheus.caFile (COSTGUARD_PROMETHEUS_CA_FILE): cannot load PEM certificates from "
                            + caFile + ": " + e.getMessage());
        }
    }
}

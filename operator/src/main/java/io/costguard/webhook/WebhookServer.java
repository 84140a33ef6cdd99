package io.costguard.webhook;

import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionPolicy;
import io.costguard.admission.ReviewCodec;
import io.costguard.admission.Verdict;
import io.costguard.http.BodyReader;
import io.costguard.http.BoundedServer;
import io.costguard.http.Replies;
import io.costguard.http.ServerLimits;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating webhook over HTTPS ({@link TlsPolicy}): {@code POST /validate} takes an AdmissionReview and answers
 * it; {@code GET /healthz} answers "ok" for the liveness self-probe. The serving certificate comes from a
 * {@link CertificateSource} and is swapped for new handshakes when it rotates. A body that is not a v1
 * AdmissionReview gets 400 with the reason; one larger than the limit 413; one not fully sent within the deadline
 * 408. Slow and stalled clients are bounded by {@link ServerLimits}: they hold a connection each, never a thread.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    /** An object and its old version, each at most the API server's 3 MiB request limit, with room for the envelope. */
    public static final int MAX_BODY = ServerLimits.WEBHOOK.maxBody();

    private final BoundedServer server;
    private final ScheduledExecutorService reloader;
    private final ReloadingKeyManager keys;
    private final ReviewCodec codec;
    private final AdmissionPolicy policy;
    private final AdmissionMetrics metrics;
    private final CertificateSource certificates;
    private final ServerLimits limits;

    public WebhookServer(
            int port,
            CertificateSource certificates,
            Duration reloadInterval,
            ReviewCodec codec,
            AdmissionPolicy policy,
            AdmissionMetrics metrics,
            ServerLimits limits)
            throws IOException {
        this.codec = codec;
        this.policy = policy;
        this.metrics = metrics;
        this.certificates = certificates;
        this.limits = limits;
        this.keys = new ReloadingKeyManager(certificates.initial());
        metrics.certificateExpiry(keys.current().notAfter());
        SSLContext tls;
        try {
            tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[] {keys}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        BoundedServer.Tls policyOfTls = new BoundedServer.Tls(
                tls, TlsPolicy.PROTOCOLS.toArray(String[]::new), TlsPolicy.CIPHER_SUITES.toArray(String[]::new));
        server = BoundedServer.start(
                "costguard-webhook", port, limits, Optional.of(policyOfTls), new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        dispatch(request, response, callback);
                        return true;
                    }
                });
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "costguard-webhook-certificates");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(
                this::reload, reloadInterval.toMillis(), reloadInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "admission webhook listening on :{} (TLS, certificate valid until {})",
                port(),
                keys.current().notAfter());
    }

    public int port() {
        return server.port();
    }

    public KeyMaterial serving() {
        return keys.current();
    }

    void reload() {
        try {
            KeyMaterial next = certificates.refresh();
            if (next != null) {
                keys.replace(next);
                metrics.certificateExpiry(next.notAfter());
                LOG.info("webhook serving certificate reloaded, valid until {}", next.notAfter());
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook certificate refresh failed, the current one is still served: {}", e.getMessage());
        }
    }

    private void dispatch(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if ("/healthz".equals(path) && "GET".equals(request.getMethod())) {
            Replies.text(response, callback, 200, "ok\n", false);
            return;
        }
        if (!"/validate".equals(path)) {
            Replies.text(response, callback, 404, "POST an admission.k8s.io/v1 AdmissionReview to /validate\n", false);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            Replies.text(response, callback, 405, "POST an admission.k8s.io/v1 AdmissionReview to /validate\n", false);
            return;
        }
        long start = System.nanoTime();
        BodyReader.read(request, limits.maxBody(), limits.requestDeadline(), outcome -> {
            try {
                answer(outcome, start, response, callback);
            } catch (RuntimeException e) {
                LOG.error("admission answer failed", e);
                Replies.text(
                        response,
                        callback,
                        500,
                        "costguard failed to judge this request; the operator log has the cause\n",
                        true);
            }
        });
    }

    private void answer(BodyReader.Outcome outcome, long start, Response response, Callback callback) {
        if (outcome instanceof BodyReader.Body b) {
            judge(b.bytes(), start, response, callback);
        } else if (outcome instanceof BodyReader.TooLarge t) {
            metrics.malformed();
            Replies.text(response, callback, 413, "the AdmissionReview is larger than " + t.limit() + " bytes\n", true);
        } else if (outcome instanceof BodyReader.TimedOut t) {
            metrics.malformed();
            Replies.text(
                    response, callback, 408, "the AdmissionReview was not sent in time: " + t.reason() + "\n", true);
        } else {
            metrics.malformed();
            Replies.text(
                    response,
                    callback,
                    400,
                    "the AdmissionReview could not be read: " + ((BodyReader.Failed) outcome).reason() + "\n",
                    true);
        }
    }

    private void judge(byte[] body, long start, Response response, Callback callback) {
        ReviewCodec.Outcome outcome = codec.parse(body);
        if (outcome instanceof ReviewCodec.Malformed m) {
            metrics.malformed();
            Replies.text(response, callback, 400, m.message() + "\n", false);
            return;
        }
        ReviewCodec.Parsed parsed = (ReviewCodec.Parsed) outcome;
        Verdict verdict;
        try {
            verdict = policy.decide(parsed.request(), parsed.problem());
        } catch (RuntimeException e) {
            // a bug, not a bad request: the webhook's failurePolicy decides what the API server does
            LOG.error("admission decision failed for {}", parsed.request().describe(), e);
            Replies.text(
                    response,
                    callback,
                    500,
                    "costguard failed to judge this request; the operator log has the cause\n",
                    false);
            return;
        }
        byte[] answer = codec.encode(parsed.request().uid(), verdict);
        metrics.duration(System.nanoTime() - start);
        Replies.send(response, callback, 200, "application/json", answer, false);
    }

    @Override
    public void close() {
        reloader.shutdownNow();
        server.close();
    }
}

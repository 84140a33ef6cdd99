package io.costguard.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionPolicy;
import io.costguard.admission.ReviewCodec;
import io.costguard.admission.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating webhook over HTTPS (TLS 1.3 and 1.2): {@code POST /validate} takes an AdmissionReview and answers
 * it. The serving certificate comes from a {@link CertificateSource} and is swapped for new handshakes when it
 * rotates. A body that is not a v1 AdmissionReview gets 400 with the reason; one larger than the limit gets 413.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  /** An object and its old version, each at most the API server's 3 MiB request limit, with room for the envelope. */
  public static final int MAX_BODY = 8 * 1024 * 1024;

  private final HttpsServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService reloader;
  private final ReloadingKeyManager keys;
  private final ReviewCodec codec;
  private final AdmissionPolicy policy;
  private final AdmissionMetrics metrics;
  private final CertificateSource certificates;

  public WebhookServer(int port, CertificateSource certificates, Duration reloadInterval, ReviewCodec codec, AdmissionPolicy policy,
      AdmissionMetrics metrics) throws IOException {
    this.codec = codec;
    this.policy = policy;
    this.metrics = metrics;
    this.certificates = certificates;
    this.keys = new ReloadingKeyManager(certificates.initial());
    metrics.certificateExpiry(keys.current().notAfter());
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[] {keys}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    server = HttpsServer.create(new InetSocketAddress(port), 256);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = tls.getDefaultSSLParameters();
        p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        p.setNeedClientAuth(false);
        params.setSSLParameters(p);
      }
    });
    server.createContext("/validate", this::handle);
    int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "costguard-webhook");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
    server.start();
    reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "costguard-webhook-certificates");
      t.setDaemon(true);
      return t;
    });
    reloader.scheduleWithFixedDelay(this::reload, reloadInterval.toMillis(), reloadInterval.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("admission webhook listening on :{} (TLS, certificate valid until {})", port(), keys.current().notAfter());
  }

  public int port() {
    return server.getAddress().getPort();
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

  private void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        text(ex, 405, "POST an admission.k8s.io/v1 AdmissionReview to /validate\n");
        return;
      }
      byte[] body = read(ex.getRequestBody());
      if (body == null) {
        metrics.malformed();
        text(ex, 413, "the AdmissionReview is larger than " + MAX_BODY + " bytes\n");
        return;
      }
      ReviewCodec.Outcome outcome = codec.parse(body);
      if (outcome instanceof ReviewCodec.Malformed m) {
        metrics.malformed();
        text(ex, 400, m.message() + "\n");
        return;
      }
      ReviewCodec.Parsed parsed = (ReviewCodec.Parsed) outcome;
      Verdict verdict;
      try {
        verdict = policy.decide(parsed.request(), parsed.problem());
      } catch (RuntimeException e) {
        // a bug, not a bad request: the webhook's failurePolicy decides what the API server does
        LOG.error("admission decision failed for {}", parsed.request().describe(), e);
        text(ex, 500, "costguard failed to judge this request: " + e + "\n");
        return;
      }
      byte[] answer = codec.encode(parsed.request().uid(), verdict);
      metrics.duration(System.nanoTime() - start);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, answer.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buf = new byte[16384];
    int n;
    int total = 0;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > MAX_BODY) {
        in.transferTo(OutputStream.nullOutputStream());
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void text(HttpExchange ex, int status, String message) throws IOException {
    byte[] b = message.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    reloader.shutdownNow();
    server.stop(0);
    workers.shutdownNow();
  }
}

package io.costguard.e2e;

import static io.costguard.e2e.AdmissionIT.ALPHA;
import static io.costguard.e2e.AdmissionIT.BETA;
import static io.costguard.e2e.AdmissionIT.deployment;
import static io.costguard.e2e.AdmissionIT.freePort;
import static io.costguard.e2e.AdmissionIT.review;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.costguard.demo.OperatorProcess;
import io.costguard.testing.StalledClients;
import io.costguard.testing.TestTls;
import io.costguard.webhook.CertificateAuthority;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults and hostile clients against the packaged jar: what must hold on a guardrail's worst day. Each case asserts
 * the outcome the operator promises, not merely that it survives.
 */
@Timeout(240)
class FaultIT extends AlphaOverBudget {
  final StalledClients clients = new StalledClients();

  @AfterEach
  void closeSockets() {
    clients.close();
  }

  @Test
  void stalledAndSlowClientsOnBothPortsNeverDelayOthersAndTlsTakesOnlyAeadSuites() throws Exception {
    Path kubeconfig = setUp(Instant.now());
    CertificateAuthority.Issued issued = TestTls.issue();
    Path tls = work.resolve("tls");
    TestTls.write(tls, issued.serving());
    int port = freePort();
    int http = freePort();
    Map<String, String> env = webhookEnv(kubeconfig, port, http, tls);
    operator = OperatorProcess.start(jar(), env, work.resolve("operator.log"));
    SSLContext trust = TestTls.trusting(issued.ca().chain());
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() ->
        assertThat(review(trust, port, "CREATE", deployment("api", ALPHA, "api:2", null), null).path("allowed").asBoolean()).isFalse());
    long before = worstOf(10, () -> review(trust, port, "CREATE", deployment("web", BETA, "web:1", null), null));

    // 4 TLS clients that send headers and 1 byte of a 100-byte body, then 196 more, 20 that never handshake,
    // and 2 + 20 unfinished GETs on the HTTP port
    List<SSLSocket> stalled = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      stalled.add(clients.review(trust, port));
    }
    for (int i = 0; i < 20; i++) {
      clients.silent(port);
    }
    for (int i = 0; i < 22; i++) {
      clients.unfinishedGet(http, i % 2 == 0 ? "/healthz" : "/metrics");
    }

    long during = worstOf(20, () -> {
      JsonNode r = review(trust, port, "CREATE", deployment("web", BETA, "web:1", null), null);
      assertThat(r.path("allowed").asBoolean()).isTrue();
      return r;
    });
    assertThat(during).as("worst review with 242 stalled connections open, vs %d ms without", before).isLessThan(Math.max(2_000, before * 5));
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    assertThat(get(plain, http, "/healthz").statusCode()).as("liveness, which also asks the webhook port").isEqualTo(200);
    assertThat(get(plain, http, "/metrics").body()).contains("costguard_admission_decisions_total");

    // the stalled reads are ended by the server within its deadline (10 s), with 408
    SSLSocket first = stalled.get(0);
    first.setSoTimeout(20_000);
    String answer = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(answer).startsWith("HTTP/1.1 408");

    // TLS 1.2 with CBC suites only is refused; AEAD on 1.2 and TLS 1.3 are served
    SSLSocket cbc = clients.add((SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port));
    cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
    cbc.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"});
    assertThatThrownBy(cbc::startHandshake).isInstanceOf(SSLHandshakeException.class);
    SSLSocket gcm = clients.add((SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port));
    gcm.setEnabledProtocols(new String[] {"TLSv1.2"});
    gcm.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"});
    gcm.startHandshake();
    assertThat(gcm.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    assertThat(operator.alive()).isTrue();
  }

  interface Call {
    Object run() throws Exception;
  }

  static long worstOf(int n, Call call) throws Exception {
    long worst = 0;
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      call.run();
      worst = Math.max(worst, (System.nanoTime() - start) / 1_000_000);
    }
    return worst;
  }

  static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

package io.costguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionPolicyFactory;
import io.costguard.admission.ReviewCodec;
import io.costguard.app.HealthServer;
import io.costguard.http.ServerLimits;
import io.costguard.testing.StalledClients;
import io.costguard.testing.TestTls;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and stalled clients on both ports cost a connection each, never another client's answer; stalled reads end
 * after the deadline; TLS takes only AEAD suites on 1.2.
 */
class BoundedClientsTest {
    static final String REVIEW = WebhookServerTest.REVIEW;

    @TempDir
    Path dir;

    final List<AutoCloseable> open = new ArrayList<>();
    final StalledClients clients = new StalledClients();

    @AfterEach
    void close() throws Exception {
        clients.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    WebhookServer webhook(CertificateAuthority.Issued issued, ServerLimits limits) throws Exception {
        TestTls.write(dir, issued.serving());
        WebhookServer server = new WebhookServer(
                0,
                new CertificateFiles(dir),
                Duration.ofMinutes(5),
                new ReviewCodec(new ObjectMapper()),
                AdmissionPolicyFactory.plain(),
                new AdmissionMetrics(new PrometheusRegistry()),
                limits);
        open.add(server);
        return server;
    }

    @Test
    void aReviewIsAnsweredPromptlyWith200StalledConnectionsOpen() throws Exception {
        CertificateAuthority.Issued issued = TestTls.issue();
        WebhookServer server = webhook(issued, ServerLimits.WEBHOOK);
        SSLContext tls = TestTls.trusting(issued.ca().chain());
        for (int i = 0; i < 200; i++) {
            clients.review(tls, server.port());
        }
        for (int i = 0; i < 20; i++) {
            clients.silent(server.port()); // not even a handshake
        }
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = WebhookServerTest.post(client, server.port(), REVIEW);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(200);
            // the JDK server this replaced made every other client wait for the stalled ones (130 s and more)
            assertThat(millis).as("answer time with 220 stalled connections").isLessThan(3_000);
        }
        assertThat(new WebhookProbe(server.port(), Duration.ofSeconds(2), Duration.ZERO).answers())
                .isTrue();
    }

    @Test
    void aStalledBodyIsCutOffAfterTheDeadlineAndAStalledHandshakeAfterTheIdleTimeout() throws Exception {
        CertificateAuthority.Issued issued = TestTls.issue();
        WebhookServer server =
                webhook(issued, ServerLimits.WEBHOOK.withIdleTimeout(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        SSLContext tls = TestTls.trusting(issued.ca().chain());
        SSLSocket stalled = clients.review(tls, server.port());
        stalled.setSoTimeout(5_000);
        long start = System.nanoTime();
        String answer = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(answer).contains("not sent in time");
        assertThat(millis).isBetween(500L, 4_000L);

        Socket quiet = clients.silent(server.port());
        quiet.setSoTimeout(5_000);
        assertThat(quiet.getInputStream().read())
                .as("the server closes a connection that never starts its handshake")
                .isEqualTo(-1);
    }

    @Test
    void theHttpPortAnswersProbesAndScrapesWhileClientsStallOnIt() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        io.prometheus.metrics.core.metrics.Counter.builder()
                .name("costguard_test_total")
                .help("a test counter")
                .register(registry)
                .inc();
        HealthServer http = new HealthServer(0, registry, () -> true, () -> true);
        open.add(http);
        for (int i = 0; i < 50; i++) {
            clients.unfinishedGet(http.port(), "/healthz");
        }
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String path : List.of("/healthz", "/readyz", "/metrics")) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            if (path.equals("/metrics")) {
                assertThat(r.body()).contains("costguard_test_total 1.0");
            }
        }
    }

    @Test
    void tls12OffersOnlyAeadSuitesAndTheGeneratedCertificateOnlySigns() throws Exception {
        CertificateAuthority.Issued issued = TestTls.issue();
        WebhookServer server = webhook(issued, ServerLimits.WEBHOOK);
        SSLContext tls = TestTls.trusting(issued.ca().chain());

        SSLSocket cbc = clients.add((SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port()));
        cbc.setEnabledProtocols(new String[] {"TLSv1.2"});
        cbc.setEnabledCipherSuites(new String[] {
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"
        });
        assertThatThrownBy(cbc::startHandshake).isInstanceOf(SSLHandshakeException.class);

        SSLSocket gcm = clients.add((SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port()));
        gcm.setEnabledProtocols(new String[] {"TLSv1.2"});
        gcm.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        gcm.startHandshake();
        assertThat(gcm.getSession().getProtocol()).isEqualTo("TLSv1.2");

        SSLSocket v13 = clients.add((SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.port()));
        v13.setEnabledProtocols(new String[] {"TLSv1.3"});
        v13.startHandshake();
        assertThat(v13.getSession().getProtocol()).isEqualTo("TLSv1.3");

        X509Certificate leaf = issued.serving().leaf();
        boolean[] usage = leaf.getKeyUsage();
        assertThat(usage[0]).as("digitalSignature").isTrue();
        assertThat(usage[2])
                .as("keyEncipherment (meaningless for an ECDSA key)")
                .isFalse();
        for (int i = 1; i < usage.length; i++) {
            assertThat(usage[i]).as("key usage bit " + i).isFalse();
        }
    }

    @Test
    void theProbeSaysNoWhenThePortDoesNotAnswer() throws Exception {
        try (ServerSocket deaf = new ServerSocket()) {
            deaf.bind(new InetSocketAddress("127.0.0.1", 0));
            long start = System.nanoTime();
            assertThat(new WebhookProbe(deaf.getLocalPort(), Duration.ofMillis(300), Duration.ZERO).answers())
                    .isFalse();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        }
    }
}

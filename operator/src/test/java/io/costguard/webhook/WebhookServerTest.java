package io.costguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionPolicyFactory;
import io.costguard.admission.ReviewCodec;
import io.costguard.testing.TestTls;
import io.costguard.testing.Waits;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook over real HTTPS in-process: answers, 400 for malformed bodies, and certificate rotation without restart. */
class WebhookServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String REVIEW =
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"abc\",\"operation\":\"CREATE\","
                    + "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"namespace\":\"team-a\",\"object\":{\"metadata\":{\"name\":\"p\"}}}}";

    @TempDir
    Path dir;

    WebhookServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    WebhookServer start(CertificateAuthority.Issued issued) throws Exception {
        TestTls.write(dir, issued.serving());
        return new WebhookServer(
                0,
                new CertificateFiles(dir),
                Duration.ofMillis(100),
                new ReviewCodec(JSON),
                AdmissionPolicyFactory.plain(),
                new AdmissionMetrics(new PrometheusRegistry()),
                io.costguard.http.ServerLimits.WEBHOOK);
    }

    static HttpResponse<String> post(HttpClient client, int port, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/validate"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersReviewsOverTlsAndRejectsMalformedBodiesWith400() throws Exception {
        CertificateAuthority.Issued issued = TestTls.issue();
        server = start(issued);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestTls.trusting(issued.ca().chain()))
                .build();
        HttpResponse<String> ok = post(client, server.port(), REVIEW);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode response = JSON.readTree(ok.body()).path("response");
        assertThat(response.path("uid").asText()).isEqualTo("abc");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asText()).contains("Pod p lacks cost-allocation labels");
        assertThat(ok.sslSession().orElseThrow().getProtocol()).isIn("TLSv1.3", "TLSv1.2");

        HttpResponse<String> bad = post(client, server.port(), "{\"kind\":\"AdmissionReview\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("admission.k8s.io/v1");
        HttpResponse<String> get = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/validate"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        // the server answers 413 from the declared length and closes without reading the body; a client still
        // sending the body when the connection closes may lose that answer to a TCP reset, so this one declares
        // the length, sends no body and reads the answer
        javax.net.ssl.SSLContext tls = TestTls.trusting(issued.ca().chain());
        try (java.net.Socket socket = tls.getSocketFactory().createSocket("localhost", server.port())) {
            socket.getOutputStream()
                    .write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + (WebhookServer.MAX_BODY + 10) + "\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("larger than " + WebhookServer.MAX_BODY);
        }
    }

    @Test
    void aRotatedCertificateIsServedWithoutRestartAndABrokenOneIsIgnored() throws Exception {
        CertificateAuthority.Issued first = TestTls.issue();
        server = start(first);
        CertificateAuthority.Issued second = TestTls.issue();
        HttpClient both = HttpClient.newBuilder()
                .sslContext(
                        TestTls.trusting(List.of(first.ca().leaf(), second.ca().leaf())))
                .build();
        assertThat(served(both)).isEqualTo(first.serving().leaf());

        TestTls.write(dir, second.serving());
        Awaitility.await()
                .atMost(Waits.FOLLOW_UP)
                .untilAsserted(() -> assertThat(served(fresh(second)))
                        .isEqualTo(second.serving().leaf()));

        Files.writeString(dir.resolve("tls.key"), "garbage");
        Thread.sleep(400);
        assertThat(served(fresh(second))).isEqualTo(second.serving().leaf());
        HttpClient onlyFirst = HttpClient.newBuilder()
                .sslContext(TestTls.trusting(first.ca().chain()))
                .build();
        assertThatThrownBy(() -> post(onlyFirst, server.port(), REVIEW))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void missingFilesSayWhereAndWhatToDo() {
        assertThatThrownBy(() -> new CertificateFiles(dir.resolve("nowhere")).initial())
                .hasMessageContaining("webhook.certificates.dir")
                .hasMessageContaining("webhook.certificates.mode: generate");
    }

    /** A new client, so the handshake is new and not a resumed session. */
    private HttpClient fresh(CertificateAuthority.Issued issued) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(TestTls.trusting(issued.ca().chain()))
                .build();
    }

    private X509Certificate served(HttpClient client) throws Exception {
        HttpResponse<String> r = post(client, server.port(), REVIEW);
        return (X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}

package io.costguard.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the webhook answers: a TLS handshake and {@code GET /healthz} on its own port over loopback, within a
 * timeout. Liveness uses it, so a wedged webhook gets the pod restarted. A result is reused for {@code reuseFor}, so
 * frequent probes do not turn into a handshake each.
 */
public final class WebhookProbe {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookProbe.class);

    private final int port;
    private final Duration timeout;
    private final Duration reuseFor;
    private final SSLContext tls;
    private long checkedAt;
    private boolean lastAnswer = true;

    public WebhookProbe(int port, Duration timeout, Duration reuseFor) {
        this.port = port;
        this.timeout = timeout;
        this.reuseFor = reuseFor;
        try {
            tls = SSLContext.getInstance("TLS");
            // the probe asks its own process over loopback whether it answers; who signed the certificate is not the
            // question
            tls.init(null, new TrustManager[] {new AnyServer()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    public synchronized boolean answers() {
        long now = System.nanoTime();
        if (checkedAt != 0 && now - checkedAt < reuseFor.toNanos()) {
            return lastAnswer;
        }
        boolean ok = probe();
        if (!ok && lastAnswer) {
            LOG.warn("the admission webhook on :{} did not answer within {} ms", port, timeout.toMillis());
        }
        lastAnswer = ok;
        checkedAt = System.nanoTime();
        return ok;
    }

    private boolean probe() {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), millis);
            raw.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, "localhost", port, true)) {
                socket.setSoTimeout(millis);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return statusLine(socket.getInputStream()).startsWith("HTTP/1.1 200");
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n' && line.length() < 200) {
            line.append((char) c);
        }
        return line.toString();
    }

    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

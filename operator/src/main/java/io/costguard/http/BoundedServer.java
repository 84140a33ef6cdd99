package io.costguard.http;

import java.io.IOException;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP/1.1 server (plain, or TLS with the given context and policy) whose clients are bounded by
 * {@link ServerLimits}. Handlers read bodies with {@link BodyReader}, so no thread waits on a client.
 */
public final class BoundedServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private BoundedServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** A TLS policy: the protocols and cipher suites a handshake may use. */
    public record Tls(SSLContext context, String[] protocols, String[] cipherSuites) {}

    public static BoundedServer start(String name, int port, ServerLimits limits, Optional<Tls> tls, Handler handler)
            throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 2);
        threads.setName(name);
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(16 * 1024);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (tls.isPresent()) {
            // the API server connects by service name, probes and tests by address: the certificate's names are the
            // client's business, not a reason to refuse a request
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            secure.setSniRequired(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls.get().context());
            ssl.setIncludeProtocols(tls.get().protocols());
            ssl.setIncludeCipherSuites(tls.get().cipherSuites());
            ssl.setExcludeCipherSuites();
            ssl.setRenegotiationAllowed(false);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
        } else {
            connector = new ServerConnector(server, 1, 1, h1);
        }
        connector.setName(name);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(256);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setHandler(handler);
        server.setStopTimeout(1000);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            Throwable cause = e.getCause() != null && e instanceof RuntimeException ? e.getCause() : e;
            if (cause instanceof java.net.BindException) {
                throw new IOException("port " + port + " is in use (" + name + ")", cause);
            }
            throw new IOException("cannot start " + name + " on port " + port + ": " + cause.getMessage(), cause);
        }
        return new BoundedServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping is best effort: the process is going away or the test is over
        }
    }
}

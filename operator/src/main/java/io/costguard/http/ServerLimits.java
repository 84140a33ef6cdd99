package io.costguard.http;

import java.time.Duration;

/**
 * How much one client may hold of a server. Reads are non-blocking, so a stalled or slow client holds a connection
 * (never a thread) until {@code idleTimeout} passes without a byte, or its request is still unread after
 * {@code requestDeadline}; past {@code maxConnections} the server stops accepting until some close.
 */
public record ServerLimits(
        Duration idleTimeout, Duration requestDeadline, int maxConnections, int maxThreads, int maxBody) {

    /** The admission webhook: the API server's default webhook timeout is 10 s, so no read may outlast it. */
    public static final ServerLimits WEBHOOK =
            new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(10), 1000, 32, 8 * 1024 * 1024);

    /** Probes and scrapes: small requests without a body. */
    public static final ServerLimits HTTP =
            new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(10), 200, 8, 64 * 1024);

    public ServerLimits {
        if (idleTimeout.isNegative()
                || idleTimeout.isZero()
                || requestDeadline.isNegative()
                || requestDeadline.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxConnections < 1 || maxThreads < 4 || maxBody < 1) {
            throw new IllegalArgumentException("limits must be positive (at least 4 threads)");
        }
    }

    public ServerLimits withIdleTimeout(Duration idle, Duration deadline) {
        return new ServerLimits(idle, deadline, maxConnections, maxThreads, maxBody);
    }
}

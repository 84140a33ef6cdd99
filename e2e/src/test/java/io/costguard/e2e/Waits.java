package io.costguard.e2e;

import java.time.Duration;

/**
 * How long the end-to-end tests wait for the packaged operator, a real Prometheus and the local API server, named by
 * what they wait for. Evaluation intervals here are 2 to 3 s; a bound only decides how soon a failing test gives up,
 * never whether a working one passes. A slower CI machine is one edit here.
 */
final class Waits {
    /** What follows a step already seen: its Event, its log line. */
    static final Duration FOLLOW_UP = Duration.ofSeconds(10);
    /** A running operator acts on a change within a few evaluation cycles. */
    static final Duration CYCLES = Duration.ofSeconds(30);
    /** A process stopped and started again (Prometheus, or the leader replaced) is back, and Prometheus scraped it. */
    static final Duration RESTARTED = Duration.ofSeconds(60);
    /** A freshly started jar's first result: JVM start, informers synced, webhook serving, first evaluation. */
    static final Duration STARTED = Duration.ofSeconds(90);
    /** A first evaluation that reads weeks of history from Prometheus (gaps, anomaly drivers). */
    static final Duration HISTORY_READ = Duration.ofSeconds(120);

    private Waits() {}
}

package io.costguard.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the distribution's binary) on loopback, with its own data directory, history
 * backfilled through promtool, and no scrape targets unless {@link #scrape} names some. Stoppable and restartable on the
 * same port and data.
 */
public final class PrometheusProcess implements AutoCloseable {
    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final Duration lookback;
    private Process process;

    public PrometheusProcess(Path workDir, Duration lookback) throws IOException {
        this.dataDir = Files.createDirectories(workDir.resolve("prometheus-data"));
        this.logFile = workDir.resolve("prometheus.log");
        this.port = freePort();
        this.lookback = lookback;
        Files.writeString(workDir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
    }

    /**
     * Scrapes {@code /metrics} of the given {@code host:port} targets every {@code interval} from the next {@link #start}
     * on, as job {@code costguard}, e.g. the operator's http port, so that its own series are in this Prometheus.
     */
    public void scrape(Duration interval, List<String> targets) throws IOException {
        String seconds = interval.toSeconds() + "s";
        // backfilled history reaches past now, and Prometheus refuses samples older than its newest block as out of
        // bounds unless they are let in as out of order
        StringBuilder yml =
                new StringBuilder("global:\n  scrape_interval: " + seconds + "\n  scrape_timeout: " + seconds + "\n"
                        + "storage:\n  tsdb:\n    out_of_order_time_window: 2d\n"
                        + "scrape_configs:\n  - job_name: costguard\n    static_configs:\n      - targets:\n");
        for (String t : targets) {
            yml.append("          - '").append(t).append("'\n");
        }
        Files.writeString(dataDir.getParent().resolve("prometheus.yml"), yml.toString());
    }

    public static String binary(String name) {
        String override = System.getenv("COSTGUARD_" + name.toUpperCase() + "_BIN");
        if (override != null && !override.isBlank()) {
            return override;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException(name + " was not found on PATH: install it with scripts/install-tools.sh "
                + "(Debian package prometheus), or set COSTGUARD_" + name.toUpperCase() + "_BIN");
    }

    /** Turns OpenMetrics files into TSDB blocks in the data directory (two promtool processes at a time), deleting them. */
    public void backfill(List<Path> openMetricsFiles) throws IOException, InterruptedException {
        Path log = dataDir.getParent().resolve("promtool.log");
        List<Path> pending = new ArrayList<>(openMetricsFiles);
        while (!pending.isEmpty()) {
            List<Process> running = new ArrayList<>();
            List<Path> batch = new ArrayList<>(pending.subList(0, Math.min(2, pending.size())));
            pending.removeAll(batch);
            for (Path file : batch) {
                running.add(new ProcessBuilder(
                                binary("promtool"),
                                "tsdb",
                                "create-blocks-from",
                                "openmetrics",
                                "--quiet",
                                file.toString(),
                                dataDir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start());
            }
            for (Process p : running) {
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IOException(
                            "promtool failed to create blocks; see " + log + ":\n" + Files.readString(log));
                }
            }
            for (Path file : batch) {
                Files.delete(file);
            }
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized void start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                binary("prometheus"),
                "--config.file=" + dataDir.getParent().resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dataDir,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--query.lookback-delta=" + lookback.toSeconds() + "s",
                "--log.level=warn"));
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + "; see " + logFile + ":\n"
                        + Files.readString(logFile));
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(url().resolve("/-/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IOException("prometheus did not become ready within 120s; see " + logFile);
    }

    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

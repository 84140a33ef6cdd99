package io.costguard.benchmark;

import io.costguard.testing.TestTls;
import io.costguard.webhook.CertificateAuthority;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The webhook over HTTPS on loopback at a constant rate (open loop: each review is timed from its intended send
 * time, so a stall counts for every review it delays — no coordinated omission), for costguard and for the floor,
 * each in its own JVM, in the same run. Also the server's CPU and RSS. Usage: {@code [rate] [seconds] [warmup]}.
 * With {@code --stalled [rate] [seconds] [warmup]}: costguard alone, measured without and then with 200 stalled
 * TLS connections held open (each sent headers and 1 byte of a 100-byte body; one the server ends is opened again).
 */
public final class WebhookLoadBenchmark {
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--write-certificates")) {
            TestTls.write(Path.of(args[1]), TestTls.issue().serving());
            return;
        }
        boolean stalled = args.length > 0 && args[0].equals("--stalled");
        if (stalled) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path certs = Files.createTempDirectory("costguard-bench-tls");
        CertificateAuthority.Issued issued = TestTls.issue();
        TestTls.write(certs, issued.serving());
        String body = Files.readString(Path.of(System.getProperty("review", "docs/bench-review.json")));
        javax.net.ssl.SSLContext tls = TestTls.trusting(issued.ca().chain());
        System.out.printf(
                Locale.ROOT,
                "%d reviews/s for %ds after %ds warm-up; review %d bytes; %d cores%n",
                rate,
                seconds,
                warmup,
                body.length(),
                Runtime.getRuntime().availableProcessors());
        if (stalled) {
            double[] p99 = runStalled(rate, seconds, warmup, certs, tls, body);
            System.out.printf(Locale.ROOT, "p99 with 200 stalled / without = %.2f%n", p99[1] / p99[0]);
            return;
        }
        double[] p99 = new double[2];
        int i = 0;
        for (String which : List.of("floor", "costguard")) {
            p99[i++] = run(which, rate, seconds, warmup, certs, tls, body);
        }
        System.out.printf(Locale.ROOT, "p99 costguard / floor = %.2f%n", p99[1] / p99[0]);
    }

    static double[] runStalled(int rate, int seconds, int warmup, Path certs, javax.net.ssl.SSLContext tls, String body)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = startServer("costguard", port, certs);
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            load(tls, port, bytes, rate, warmup, null);
            double without = measure("no stall", server, tls, port, bytes, rate, seconds);
            try (Stalled stalled = new Stalled(tls, port, 200)) {
                double with = measure("200 stall", server, tls, port, bytes, rate, seconds);
                System.out.printf(
                        Locale.ROOT,
                        "stalled connections re-opened after the server ended them: %d%n",
                        stalled.reopened());
                return new double[] {without, with};
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** Connections that send headers and 1 byte of a 100-byte body and then nothing; one the server ends is replaced. */
    static final class Stalled implements AutoCloseable {
        private final javax.net.ssl.SSLContext tls;
        private final int port;
        private final java.util.List<java.net.Socket> sockets = new java.util.ArrayList<>();
        private final Thread keeper;
        private volatile int reopened;

        Stalled(javax.net.ssl.SSLContext tls, int port, int count) throws Exception {
            this.tls = tls;
            this.port = port;
            for (int i = 0; i < count; i++) {
                sockets.add(open());
            }
            keeper = new Thread(this::keep, "stalled-keeper");
            keeper.setDaemon(true);
            keeper.start();
        }

        int reopened() {
            return reopened;
        }

        private java.net.Socket open() throws Exception {
            javax.net.ssl.SSLSocket s =
                    (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            s.startHandshake();
            s.getOutputStream()
                    .write(
                            ("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100"
                                            + "\r\n\r\n{")
                                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.setSoTimeout(1);
            return s;
        }

        private void keep() {
            while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < sockets.size(); i++) {
                    try {
                        sockets.get(i).getInputStream().read(); // data or end: the server answered (408) or closed it
                        sockets.get(i).close();
                        sockets.set(i, open());
                        reopened++;
                    } catch (java.net.SocketTimeoutException stillStalled) {
                        // what we want
                    } catch (Exception e) {
                        try {
                            sockets.set(i, open());
                            reopened++;
                        } catch (Exception ignored) {
                            // try again on the next round
                        }
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            keeper.interrupt();
            keeper.join(5_000);
            for (java.net.Socket s : sockets) {
                s.setSoLinger(true, 0);
                s.close();
            }
        }
    }

    static Process startServer(String which, int port, Path certs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC"));
        // -Dbench.serverJvm="-XX:TieredStopAtLevel=1 ...": more options for both servers' JVMs
        String extra = System.getProperty("bench.serverJvm", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                WebhookServerMain.class.getName(),
                which,
                String.valueOf(port),
                certs.toString()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("ready")) {
            // start-up output
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // the server is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        return server;
    }

    static double run(
            String which, int rate, int seconds, int warmup, Path certs, javax.net.ssl.SSLContext tls, String body)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = startServer(which, port, certs);
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            load(tls, port, bytes, rate, warmup, null);
            return measure(which, server, tls, port, bytes, rate, seconds);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** One measured load: latency percentiles, the server's CPU and RSS peak; returns p99 in ms. */
    static double measure(
            String which, Process server, javax.net.ssl.SSLContext tls, int port, byte[] bytes, int rate, int seconds)
            throws Exception {
        long cpuBefore = cpuTicks(server.pid());
        long[] rssPeak = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rssPeak[0] = Math.max(rssPeak[0], rssKib(server.pid()));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        Recorder recorder = new Recorder(3);
        long[] counts = load(tls, port, bytes, rate, seconds, recorder);
        sampler.interrupt();
        double cpuSeconds = (cpuTicks(server.pid()) - cpuBefore) / 100.0;
        Histogram h = recorder.getIntervalHistogram();
        System.out.printf(
                Locale.ROOT,
                "%-9s sent %d, ok %d, errors %d | latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f | "
                        + "server CPU %.1f%% of one core, RSS peak %d MiB%n",
                which,
                counts[0],
                counts[1],
                counts[2],
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6,
                h.getMaxValue() / 1e6,
                100.0 * cpuSeconds / seconds,
                rssPeak[0] / 1024);
        return h.getValueAtPercentile(99) / 1e6;
    }

    /**
     * Sends at a constant rate for {@code seconds} over {@link #CONNECTIONS} keep-alive TLS connections (as the API
     * server holds a few to a webhook). A scheduler queues each review at its intended time; a connection that is busy
     * makes it wait in the queue, and that wait counts in its latency. Returns sent, ok, errors.
     */
    static long[] load(javax.net.ssl.SSLContext tls, int port, byte[] body, int rate, int seconds, Recorder recorder)
            throws Exception {
        long period = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.BlockingQueue<Long> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        byte[] head =
                ("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                                + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        List<Thread> workers = new java.util.ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread t = new Thread(
                    () -> {
                        try (javax.net.ssl.SSLSocket socket =
                                (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
                            socket.setTcpNoDelay(true);
                            var out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
                            var in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
                            while (true) {
                                long intended = queue.take();
                                if (intended < 0) {
                                    return;
                                }
                                out.write(head);
                                out.write(body);
                                out.flush();
                                int status = readResponse(in);
                                if (recorder != null) {
                                    recorder.recordValue(System.nanoTime() - intended);
                                }
                                (status == 200 ? ok : errors).incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    },
                    "load-" + c);
            t.start();
            workers.add(t);
        }
        long start = System.nanoTime() + 10_000_000;
        for (long i = 0; i < total; i++) {
            long intended = start + i * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            queue.add(intended);
        }
        for (int c = 0; c < CONNECTIONS; c++) {
            queue.add(-1L);
        }
        for (Thread t : workers) {
            t.join(60_000);
        }
        return new long[] {total, ok.get(), errors.get()};
    }

    static final int CONNECTIONS = 8;

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    static int readResponse(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        while (true) {
            line.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new java.io.EOFException();
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.length() == 0) {
                break;
            }
            String l = line.toString();
            if (status < 0) {
                status = Integer.parseInt(l.substring(9, 12));
            } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(l.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return status;
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    static long rssKib(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // gone
        }
        return 0;
    }
}

package io.costguard.e2e;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;

/**
 * OpenMetrics history of one service, for PerfBaseline tests: request-duration histograms (OpenTelemetry's
 * http_server_request_duration_seconds with its status-code label), container CPU and memory, and requests for
 * cost. Each pod serves {@link #RPS} requests per second; before {@code step} every request takes (0.25, 0.5] s,
 * from {@code step} on {@link #SLOW_PER_5S} of every 500 take (0.5, 0.75] s, which moves the histogram's p95
 * (linear within a bucket, as histogram_quantile estimates it) from 0.4875 s to 0.585 s: +20 %.
 */
record PerfHistory(
        String namespace,
        List<String> pods,
        long from,
        long to,
        long step,
        LongToDoubleFunction[] cpuCores,
        LongToDoubleFunction[] memoryBytes) {
    static final long SAMPLE = 5;
    static final int RPS = 100;
    static final int SLOW_PER_5S = 38;
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

    Path write(Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("# TYPE http_server_request_duration_seconds_bucket unknown\n");
            for (String pod : pods) {
                for (int b = 0; b <= BOUNDS.length; b++) {
                    String le = b == BOUNDS.length ? "+Inf" : trim(BOUNDS[b]);
                    int bucket = b;
                    counter(
                            out,
                            "http_server_request_duration_seconds_bucket",
                            pod,
                            "http_response_status_code=\"200\",le=\"" + le + "\"",
                            t -> perInterval(t, bucket));
                }
            }
            out.write("# TYPE http_server_request_duration_seconds_count unknown\n");
            for (String pod : pods) {
                counter(
                        out,
                        "http_server_request_duration_seconds_count",
                        pod,
                        "http_response_status_code=\"200\"",
                        t -> RPS * SAMPLE);
            }
            out.write("# TYPE container_cpu_usage_seconds_total unknown\n");
            for (int i = 0; i < pods.size(); i++) {
                LongToDoubleFunction cores = cpuCores[i];
                counter(
                        out,
                        "container_cpu_usage_seconds_total",
                        pods.get(i),
                        "container=\"app\"",
                        t -> cores.applyAsDouble(t) * SAMPLE);
            }
            out.write("# TYPE container_memory_working_set_bytes gauge\n");
            for (int i = 0; i < pods.size(); i++) {
                LongToDoubleFunction bytes = memoryBytes[i];
                gauge(out, "container_memory_working_set_bytes", pods.get(i), "container=\"app\"", bytes);
            }
            out.write("# TYPE kube_pod_container_resource_requests gauge\n");
            for (String pod : pods) {
                gauge(
                        out,
                        "kube_pod_container_resource_requests",
                        pod,
                        "container=\"app\",resource=\"cpu\",unit=\"core\"",
                        t -> 1.0);
                gauge(
                        out,
                        "kube_pod_container_resource_requests",
                        pod,
                        "container=\"app\",resource=\"memory\",unit=\"byte\"",
                        t -> 1024.0 * 1024 * 1024);
            }
            out.write("# EOF\n");
        }
        return file;
    }

    /** Requests in the 5 s ending at t that fall at or below bucket b (cumulative). */
    private double perInterval(long t, int b) {
        int all = RPS * (int) SAMPLE;
        if (b < 7) {
            return 0; // nothing at or below 0.1 s... and (0.1, 0.25] stays empty too
        }
        if (b == 7) {
            return t >= step ? all - SLOW_PER_5S : all; // le 0.5
        }
        return all;
    }

    private void counter(BufferedWriter out, String name, String pod, String labels, LongToDoubleFunction increment)
            throws IOException {
        double total = 0;
        for (long t = from; t < to; t += SAMPLE) {
            total += increment.applyAsDouble(t);
            line(out, name, pod, labels, total, t);
        }
    }

    private void gauge(BufferedWriter out, String name, String pod, String labels, LongToDoubleFunction value)
            throws IOException {
        for (long t = from; t < to; t += SAMPLE) {
            line(out, name, pod, labels, value.applyAsDouble(t), t);
        }
    }

    private void line(BufferedWriter out, String name, String pod, String labels, double v, long t) throws IOException {
        out.write(name + "{" + labels + ",namespace=\"" + namespace + "\",pod=\"" + pod + "\"} "
                + String.format(Locale.ROOT, "%.6f", v) + " " + t + "\n");
    }

    private static String trim(double d) {
        String s = Double.toString(d);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}

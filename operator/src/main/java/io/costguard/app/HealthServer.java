package io.costguard.app;

import io.costguard.http.BoundedServer;
import io.costguard.http.Replies;
import io.costguard.http.ServerLimits;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Serves {@code /metrics}, {@code /healthz} and {@code /readyz}, bounded like the webhook ({@link ServerLimits#HTTP}). */
public final class HealthServer implements AutoCloseable {
    private final BoundedServer server;
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final BooleanSupplier healthy;
    private final BooleanSupplier ready;

    public HealthServer(int port, PrometheusRegistry registry, BooleanSupplier healthy, BooleanSupplier ready)
            throws IOException {
        this.registry = registry;
        this.healthy = healthy;
        this.ready = ready;
        server = BoundedServer.start(
                "costguard-http", port, ServerLimits.HTTP, Optional.empty(), new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) throws IOException {
                        route(request, response, callback);
                        return true;
                    }
                });
    }

    public int port() {
        return server.port();
    }

    private void route(Request request, Response response, Callback callback) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            Replies.text(response, callback, 405, "only GET\n", true);
            return;
        }
        switch (Request.getPathInContext(request)) {
            case "/metrics" -> metrics(request, response, callback);
            case "/healthz" -> answer(response, callback, healthy.getAsBoolean());
            case "/readyz" -> answer(response, callback, ready.getAsBoolean());
            default -> Replies.text(response, callback, 404, "GET /metrics, /healthz or /readyz\n", false);
        }
    }

    private void metrics(Request request, Response response, Callback callback) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(request.getHeaders().get(HttpHeader.ACCEPT));
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        writer.write(out, registry.scrape());
        Replies.send(response, callback, 200, writer.getContentType(), out.toByteArray(), false);
    }

    private static void answer(Response response, Callback callback, boolean ok) {
        Replies.text(response, callback, ok ? 200 : 503, ok ? "ok\n" : "not ok\n", false);
    }

    @Override
    public void close() {
        server.close();
    }
}

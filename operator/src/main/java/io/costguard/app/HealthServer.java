package io.costguard.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/** Serves {@code /metrics}, {@code /healthz} and {@code /readyz}. */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, PrometheusRegistry registry, BooleanSupplier healthy, BooleanSupplier ready) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", ex -> answer(ex, healthy.getAsBoolean()));
    server.createContext("/readyz", ex -> answer(ex, ready.getAsBoolean()));
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "costguard-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange ex, boolean ok) throws IOException {
    byte[] body = (ok ? "ok\n" : "not ok\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(1);
  }
}

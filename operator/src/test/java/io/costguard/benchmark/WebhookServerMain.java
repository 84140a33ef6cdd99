package io.costguard.benchmark;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionNotices;
import io.costguard.admission.AdmissionPolicy;
import io.costguard.admission.AdmissionRules;
import io.costguard.admission.BudgetIndex;
import io.costguard.admission.ClusterState;
import io.costguard.admission.OwnResourceRule;
import io.costguard.admission.ReviewCodec;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.costguard.freeze.FreezeRegistry;
import io.costguard.webhook.CertificateFiles;
import io.costguard.webhook.KeyMaterial;
import io.costguard.webhook.ReloadingKeyManager;
import io.costguard.webhook.WebhookServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * One webhook server in its own JVM for the load benchmark: {@code costguard} (the real WebhookServer and
 * policy over a cluster with 100 budgets and 20 frozen scopes) or {@code floor} (the fastest bare HTTPS endpoint
 * here: same JDK server, same TLS, parses the review with a streaming parser for its uid and allows it).
 * Prints "ready" when listening.
 */
public final class WebhookServerMain {
    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String which = args[0];
        int port = Integer.parseInt(args[1]);
        Path certs = Path.of(args[2]);
        if ("floor".equals(which)) {
            floor(port, certs);
        } else {
            costguard(port, certs);
        }
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    static ClusterState cluster() {
        FreezeRegistry freezes = new FreezeRegistry();
        BudgetIndex budgets = new BudgetIndex();
        for (int i = 0; i < 100; i++) {
            budgets.put(new BudgetIndex.Budget(
                    "team-" + i + "/b",
                    Set.of("team-" + i),
                    Map.of("tenant", "t" + i),
                    new BigDecimal("1000"),
                    "USD",
                    50,
                    100));
            if (i % 5 == 0) {
                freezes.freeze(
                        "team-" + i + "/b",
                        new FreezeRegistry.FrozenScope(
                                Set.of("team-" + i),
                                Map.of("tenant", "t" + i),
                                "CostBudget team-" + i + "/b",
                                "the budget is raised"));
            }
        }
        return new ClusterState() {
            @Override
            public Map<String, String> namespaceLabels(String namespace) {
                return Map.of();
            }

            @Override
            public FreezeRegistry freezes() {
                return freezes;
            }

            @Override
            public BudgetIndex budgets() {
                return budgets;
            }
        };
    }

    /** The policy as the operator builds it, over {@link #cluster()}. */
    public static AdmissionPolicy policy(AdmissionMetrics metrics) {
        OperatorConfig config = ConfigLoader.load(Map.of());
        ObjectMapper mapper = new ObjectMapper();
        AdmissionRules rules = AdmissionRules.from(config);
        return new AdmissionPolicy(
                rules.labels(),
                rules.freeze(),
                Optional.of(rules.preview()),
                new OwnResourceRule(
                        mapper,
                        new BudgetSpecValidator(config.allocationKeys(), java.util.Map.of(), "USD"),
                        config.operatorNamespace(),
                        new io.costguard.bench.BenchSpecValidator(
                                java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE))),
                Optional.empty(),
                cluster(),
                Clock.systemUTC(),
                metrics,
                AdmissionNotices.NONE);
    }

    static void costguard(int port, Path certs) throws Exception {
        AdmissionMetrics metrics = new AdmissionMetrics(new PrometheusRegistry());
        new WebhookServer(
                port,
                new CertificateFiles(certs),
                Duration.ofSeconds(30),
                new ReviewCodec(new ObjectMapper()),
                policy(metrics),
                metrics,
                io.costguard.http.ServerLimits.WEBHOOK);
    }

    static void floor(int port, Path certs) throws Exception {
        KeyMaterial keys = new CertificateFiles(certs).initial();
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[] {new ReloadingKeyManager(keys)}, null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(port), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        ObjectMapper mapper = new ObjectMapper();
        server.createContext("/validate", ex -> {
            try (ex) {
                String uid = "";
                try (JsonParser p = mapper.getFactory().createParser(ex.getRequestBody())) {
                    int depth = 0;
                    JsonToken t;
                    while ((t = p.nextToken()) != null) {
                        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                            depth++;
                        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                            depth--;
                        } else if (t == JsonToken.FIELD_NAME && depth == 2 && "uid".equals(p.currentName())) {
                            p.nextToken();
                            uid = p.getText();
                        }
                    }
                }
                byte[] answer =
                        ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\""
                                        + uid + "\",\"allowed\":true}}")
                                .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, answer.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(answer);
                }
            }
        });
        server.setExecutor(
                Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors() * 2)));
        server.start();
    }
}

package io.costguard.testing;

import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Operator configurations for tests: a Prometheus URL, a short interval, no SSA (the mock API has none). */
public final class TestConfigs {
    private TestConfigs() {}

    public static OperatorConfig operator(URI prometheus, String interval, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("COSTGUARD_PROMETHEUS_URL", prometheus.toString());
        env.put("COSTGUARD_EVALUATION_INTERVAL", interval);
        env.put("COSTGUARD_PROMETHEUS_TIMEOUT", "2s");
        env.put("COSTGUARD_HTTP_PORT", "0");
        env.put("POD_NAMESPACE", "costguard-system");
        env.putAll(extra);
        return ConfigLoader.load(env);
    }
}

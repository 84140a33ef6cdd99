package io.costguard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad setting stops the jar at start with one line naming it, not a stack trace. */
class StartupIT {

  @ParameterizedTest
  @CsvSource({
      "COSTGUARD_PROMETHEUS_URL, prometheus:9090, prometheus.url",
      "COSTGUARD_EVALUATION_INTERVAL, 1 minute, evaluationInterval",
      "COSTGUARD_PRICE_CPU_CORE_HOUR, -1, pricing.cpuCoreHour",
      "COSTGUARD_COST_SOURCE, kubecost, cost.source",
      "COSTGUARD_PROMETHEUS_CA_FILE, /nonexistent/ca.pem, prometheus.caFile"})
  void aBadSettingIsOneLineNamingIt(String env, String value, String setting) throws Exception {
    Path jar = Path.of(System.getProperty("costguard.jar", "../operator/target/costguard.jar"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "operator")
        .redirectErrorStream(true);
    pb.environment().putAll(Map.of(env, value));
    ChildProcess p = ChildProcess.run(pb, Duration.ofSeconds(60));
    assertThat(p.exit()).isEqualTo(2);
    List<String> lines = p.output().strip().lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("costguard: invalid setting " + setting).contains(env);
  }
}

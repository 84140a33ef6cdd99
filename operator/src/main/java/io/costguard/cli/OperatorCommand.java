package io.costguard.cli;

import io.costguard.app.OperatorApp;
import io.costguard.config.ConfigException;
import io.costguard.config.ConfigLoader;
import io.costguard.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.costguard.kube.OperatorClient;
import io.fabric8.kubernetes.client.Config;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Runs the operator until SIGTERM; configuration comes from the environment and COSTGUARD_CONFIG_FILE. */
@Command(name = "operator", mixinStandardHelpOptions = true,
    description = "Run the operator (configuration from environment variables and the YAML file in COSTGUARD_CONFIG_FILE).")
public final class OperatorCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    OperatorConfig config;
    try {
      config = ConfigLoader.fromEnvironment();
    } catch (ConfigException e) {
      System.err.println("costguard: " + e.getMessage());
      return 2;
    }
    KubernetesClient client = OperatorClient.build(Config.autoConfigure(null));
    OperatorApp app;
    try {
      app = new OperatorApp(config, client, config.clockOffset().isZero()
          ? Clock.systemUTC() : Clock.offset(Clock.systemUTC(), config.clockOffset()));
    } catch (ConfigException e) {
      System.err.println("costguard: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      client.close();
      stopped.countDown();
    }, "costguard-shutdown"));
    try {
      app.start();
    } catch (ConfigException e) {
      System.err.println("costguard: " + e.getMessage());
      return 2;
    }
    stopped.await();
    return 0;
  }
}

package io.costguard;

import io.costguard.cli.OperatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the jar: {@code operator} runs the operator; the other commands are the CLI. The local run is the demo module's jar. */
@Command(
        name = "costguard",
        mixinStandardHelpOptions = true,
        version = "costguard 0.1.0",
        description = "Kubernetes operator enforcing cost and SLO guardrails.",
        subcommands = {
            OperatorCommand.class,
            io.costguard.cli.ForecastCommand.class,
            io.costguard.cli.AnomaliesCommand.class,
            io.costguard.cli.CheckCommand.class,
            io.costguard.cli.AuditCommand.class,
            io.costguard.cli.BenchCommand.class,
            io.costguard.cli.BudgetsCommand.class,
            io.costguard.cli.UnattributedCommand.class,
            io.costguard.cli.ReportCommand.class,
            io.costguard.cli.CompletionCommand.class,
            io.costguard.cli.CompletionCommand.Candidates.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        httpServersAnswerAtOnce();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /**
     * Without it the JDK's HTTP server answers small responses ~40 ms late (Nagle's algorithm against delayed ACKs).
     * Read once, when the first server is created: call before any starts. An explicit -D setting wins.
     */
    public static void httpServersAnswerAtOnce() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

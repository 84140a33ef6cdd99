package io.costguard.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code -o table|json|yaml} and the streams of the command it is mixed into (the CommandLine's, which tests replace):
 * what every command that prints records shares, including its one-line errors.
 */
final class Output {
    /** The label is the one picocli derived from the commands' former {@code output} fields, kept for the help. */
    @Option(
            names = {"-o", "--output"},
            paramLabel = "<output>",
            description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
    OutputFormat format = OutputFormat.table;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    boolean table() {
        return format == OutputFormat.table;
    }

    /** {@code value} as JSON or YAML on stdout, flushed: print() does not flush, and the jar ends with System.exit. */
    void write(Object value) {
        out().print(format.write(value));
        out().flush();
    }

    /** One line on stderr, e.g. "costguard budgets: cannot read the kubeconfig ...". */
    void error(String message) {
        error(command, message);
    }

    /** {@link #error} and exit code 2: the command's input, options or cluster cannot be read or used. */
    int fail(String message) {
        return fail(command, message);
    }

    /** One line on {@code command}'s stderr, after its full name ("costguard bench report: ..."). */
    static void error(CommandSpec command, String message) {
        command.commandLine().getErr().println(command.qualifiedName(" ") + ": " + message);
    }

    /** For commands with an {@code -o} of their own: {@link #fail(String)} on {@code command}'s stderr. */
    static int fail(CommandSpec command, String message) {
        error(command, message);
        return 2;
    }
}

package io.costguard.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the bash completion script picocli derives from the command tree, so it never drifts from the options. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a bash (and zsh, with bashcompinit) completion script: source <(costguard completion)")
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * kubectl's protocol for plugin completion (kubectl 1.26+ runs {@code kubectl_complete-costguard <words> <partial>}):
     * one candidate a line, then cobra's directive line; ":4" keeps the shell from offering file names instead.
     */
    @Command(name = "__complete", hidden = true, description = "Completion candidates for kubectl_complete-costguard.")
    public static final class Candidates implements Callable<Integer> {
        @picocli.CommandLine.Parameters(arity = "0..*")
        java.util.List<String> words = new java.util.ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            java.util.List<String> line = new java.util.ArrayList<>(words);
            if (line.isEmpty()) {
                line.add("");
            }
            String partial = line.get(line.size() - 1);
            java.util.List<CharSequence> suffixes = new java.util.ArrayList<>();
            AutoComplete.complete(
                    spec.root(), line.toArray(String[]::new), line.size() - 1, partial.length(), 0, suffixes);
            var out = spec.commandLine().getOut();
            suffixes.stream()
                    .map(s -> partial + s)
                    .filter(c -> !c.equals("__complete"))
                    .distinct()
                    .forEach(out::println);
            out.println(":4");
            out.flush();
            return 0;
        }
    }
}

package io.costguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path dir;

    @Test
    void bashScriptCompletesTheSubcommandsAndTheirOptions() throws Exception {
        CliRunner cli = new CliRunner();
        assertThat(cli.run("completion")).isZero();
        String script = cli.out.toString();
        assertThat(script).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_costguard");
        Path file = Files.writeString(dir.resolve("costguard.bash"), script);
        assertThat(complete(file, "costguard bu")).isEqualTo("budgets");
        assertThat(complete(file, "costguard una")).isEqualTo("unattributed");
        assertThat(complete(file, "costguard budgets --all")).isEqualTo("--all-namespaces");
        assertThat(complete(file, "costguard unattributed --prom")).isEqualTo("--prometheus-url");
    }

    @Test
    void kubectlPluginCandidatesEndWithTheNoFileDirective() {
        assertThat(candidates("bu")).containsExactly("budgets", ":4");
        assertThat(candidates("budgets", "--all")).containsExactly("--all-namespaces", ":4");
        assertThat(candidates("budgets", "-o", "")).containsExactlyInAnyOrder("table", "json", "yaml", ":4");
        assertThat(candidates(""))
                .contains("budgets", "unattributed", "audit", "completion")
                .doesNotContain("__complete")
                .endsWith(":4");
    }

    private static java.util.List<String> candidates(String... words) {
        CliRunner cli = new CliRunner();
        var args = new java.util.ArrayList<>(java.util.List.of("__complete", "--"));
        args.addAll(java.util.List.of(words));
        assertThat(cli.run(args.toArray(String[]::new))).as(cli.err.toString()).isZero();
        return cli.out.toString().lines().toList();
    }

    /** What bash completes for the last word of {@code line} with the script sourced, one candidate a line. */
    private static String complete(Path script, String line) throws Exception {
        String bash = "source " + script + "\nCOMP_LINE='" + line + "'\nread -ra COMP_WORDS <<< \"$COMP_LINE\"\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\nCOMP_POINT=${#COMP_LINE}\n_complete_costguard\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "-c", bash)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start(); // compopt complains outside a real completion
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}

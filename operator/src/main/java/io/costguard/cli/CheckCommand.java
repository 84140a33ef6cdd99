package io.costguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.costguard.admission.LabelRule;
import io.costguard.admission.Workloads;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The admission label rules over manifests, for CI pipelines: same rules, same messages, non-zero on a denial. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check manifests (multi-document YAML or JSON, Helm output) against the admission label rules.")
public final class CheckCommand implements Callable<Integer> {
    @Option(
            names = {"-f", "--filename"},
            required = true,
            description = "A file, a directory (searched for .yaml/.yml/.json) or '-' for stdin.")
    List<String> inputs;

    @Option(names = "--namespace", description = "Namespace of documents that set none (default: ${DEFAULT-VALUE}).")
    String namespace = "default";

    @Mixin
    LabelRuleOptions rules = new LabelRuleOptions();

    @Mixin
    Output output = new Output();

    /** One checked document for {@code -o json|yaml}: Allow or Deny, the denial's message and the warnings. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Result(
            String source,
            int document,
            String kind,
            String namespace,
            String name,
            String decision,
            String message,
            List<String> warnings) {}

    record Report(int checked, int denied, List<Result> results) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Override
    public Integer call() {
        List<Document> docs = new ArrayList<>();
        for (String input : inputs) {
            try {
                for (Path file : files(input)) {
                    read(
                            file.toString(),
                            "-".equals(input) ? new InputStreamReader(System.in) : Files.newBufferedReader(file),
                            docs);
                }
            } catch (IOException e) {
                return output.fail(input + ": " + ClusterAccess.firstLine(e.getMessage()));
            }
        }
        // Namespace objects in the same input count: their exempt label and label defaults
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (Document d : docs) {
            if ("Namespace".equals(d.node().path("kind").asText())
                    && "v1".equals(d.node().path("apiVersion").asText())) {
                Map<String, String> labels = new HashMap<>();
                d.node()
                        .path("metadata")
                        .path("labels")
                        .fields()
                        .forEachRemaining(
                                e -> labels.put(e.getKey(), e.getValue().asText()));
                namespaceLabels.put(d.node().path("metadata").path("name").asText(), labels);
            }
        }
        LabelRule rule = rules.rule();
        PrintWriter out = output.out();
        int denied = 0;
        int checked = 0;
        List<Result> results = new ArrayList<>();
        for (Document d : docs) {
            JsonNode o = d.node();
            String ns = o.path("metadata").path("namespace").asText(namespace);
            String kind = o.path("kind").asText();
            LabelRule.Decision decision = rule.check(new LabelRule.Review(
                    "CREATE",
                    Workloads.group(o.path("apiVersion").asText()),
                    kind,
                    ns,
                    o,
                    null,
                    namespaceLabels.getOrDefault(ns, Map.of())));
            checked++;
            results.add(new Result(
                    d.source(),
                    d.index(),
                    kind,
                    ns,
                    o.path("metadata").path("name").asText(),
                    decision.allowed() ? "Allow" : "Deny",
                    decision.allowed() ? null : decision.message(),
                    decision.warnings()));
            if (!output.table()) {
                denied += decision.allowed() ? 0 : 1;
                continue;
            }
            String where = d.source() + " (document " + d.index() + ") " + kind + " " + ns + "/"
                    + o.path("metadata").path("name").asText();
            if (!decision.allowed()) {
                denied++;
                out.println("DENY " + where + ": " + decision.message());
            }
            for (String w : decision.warnings()) {
                out.println("WARN " + where + ": " + w);
            }
        }
        if (!output.table()) {
            output.write(new Report(checked, denied, results));
            return denied == 0 ? 0 : 1;
        }
        out.println(checked + " documents checked, " + denied + " denied");
        return denied == 0 ? 0 : 1;
    }

    private record Document(String source, int index, JsonNode node) {}

    private static List<Path> files(String input) throws IOException {
        if ("-".equals(input)) {
            return List.of(Path.of("-"));
        }
        Path p = Path.of(input);
        if (Files.isDirectory(p)) {
            try (Stream<Path> walk = Files.walk(p)) {
                return walk.filter(Files::isRegularFile)
                        .filter(f -> Arrays.stream(new String[] {".yaml", ".yml", ".json"})
                                .anyMatch(f.toString()::endsWith))
                        .sorted()
                        .toList();
            }
        }
        if (!Files.isReadable(p)) {
            throw new IOException("no such file or directory");
        }
        return List.of(p);
    }

    private static void read(String source, Reader in, List<Document> docs) throws IOException {
        try (Reader r = in;
                MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(r)) {
            int index = 0;
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                index++;
                if (node == null || !node.isObject()) {
                    continue;
                }
                if ("List".equals(node.path("kind").asText())
                        || node.path("kind").asText().endsWith("List") && node.has("items")) {
                    for (JsonNode item : node.path("items")) {
                        docs.add(new Document(source, index, item));
                    }
                } else {
                    docs.add(new Document(source, index, node));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not YAML or JSON: " + ClusterAccess.firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null
                            ? ""
                            : " at line " + e.getLocation().getLineNr()));
        }
    }
}

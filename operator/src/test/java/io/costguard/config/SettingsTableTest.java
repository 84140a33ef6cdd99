package io.costguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The settings table is the one truth: the loader reads each entry, the README and the chart's schema list exactly these. */
class SettingsTableTest {
    static final Path REPO =
            Path.of(System.getProperty("costguard.repo", "..")).toAbsolutePath().normalize();
    static final Pattern TICKED = Pattern.compile("`([^`]+)`");

    @Test
    void keysAndVariablesAreUnique() {
        assertThat(Settings.ALL.stream().map(Setting::key)).doesNotHaveDuplicates();
        assertThat(Settings.ALL.stream().map(Setting::env).filter(e -> e != null))
                .doesNotHaveDuplicates();
        assertThat(Settings.ALL).allSatisfy(s -> assertThat(s.description()).isNotBlank());
    }

    @Test
    void theLoaderReadsEverySettingFromItsVariable() {
        List<String> notRead = new ArrayList<>();
        for (Setting<?> s : Settings.ALL) {
            if (s.env() == null) {
                continue;
            }
            String bad = s.shape() == Setting.Shape.MAP ? "no-equals-sign" : "\u0000 not valid";
            try {
                ConfigLoader.load(Map.of(s.env(), bad));
                notRead.add(s.key() + " (accepted)");
            } catch (ConfigException e) {
                if (!e.getMessage().contains(s.key())) {
                    notRead.add(s.key() + " (" + e.getMessage() + ")");
                }
            }
        }
        assertThat(notRead)
                .as("a bad value in the variable of each is refused naming the setting")
                .isEmpty();
    }

    @Test
    void theReadmeTableListsExactlyTheSettings() throws Exception {
        Map<String, String> readme = readmeTable();
        Map<String, String> table = new LinkedHashMap<>();
        Settings.ALL.forEach(s -> table.put(s.key(), s.env()));
        assertThat(readme.keySet()).containsExactlyInAnyOrderElementsOf(table.keySet());
        readme.forEach((key, env) -> {
            String expected = table.get(key);
            if (env == null) {
                assertThat(expected).as(key + " is file only in the README").isNull();
            } else if (env.startsWith("_")) {
                assertThat(expected).as(key).endsWith(env);
            } else {
                assertThat(expected).as(key).isEqualTo(env);
            }
        });
    }

    @Test
    void theChartSchemaListsTheConfigSettingsAndTheChartSetsTheRest() throws Exception {
        JsonNode schema = new ObjectMapper()
                .readTree(REPO.resolve("helm/costguard/values.schema.json").toFile());
        Set<String> leaves = new TreeSet<>();
        leaves(schema.path("properties").path("config"), "", leaves);
        assertThat(leaves)
                .containsExactlyInAnyOrderElementsOf(Settings.ALL.stream()
                        .filter(s -> s.where() == Setting.Where.CONFIG)
                        .map(Setting::key)
                        .collect(Collectors.toCollection(TreeSet::new)));
        String deployment = Files.readString(REPO.resolve("helm/costguard/templates/deployment.yaml"));
        assertThat(Settings.ALL)
                .filteredOn(s -> s.where() == Setting.Where.CHART_ENV)
                .allSatisfy(s -> assertThat(deployment).as(s.key()).contains("name: " + s.env()));
    }

    private static void leaves(JsonNode node, String path, Set<String> out) {
        JsonNode props = node.path("properties");
        if (!props.isObject() || props.isEmpty()) {
            out.add(path);
            return;
        }
        props.fields()
                .forEachRemaining(
                        e -> leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
    }

    /** YAML key → environment variable (or "_SUFFIX" of it; null for file only), from the README's configuration table. */
    static Map<String, String> readmeTable() throws Exception {
        List<String> lines = Files.readAllLines(REPO.resolve("README.md"));
        int start = lines.indexOf("## Configuration");
        assertThat(start).as("README has a Configuration section").isPositive();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            List<String> keys = ticked(cells[1]);
            String[] envs = cells[2].split(" / ");
            String parent = keys.get(0).contains(".")
                    ? keys.get(0).substring(0, keys.get(0).lastIndexOf('.') + 1)
                    : "";
            for (int i = 0; i < keys.size(); i++) {
                String key = i == 0 ? keys.get(0) : parent + keys.get(i);
                List<String> env = i < envs.length ? ticked(envs[i]) : List.of();
                out.put(
                        key,
                        envs[Math.min(i, envs.length - 1)].contains("file only")
                                ? null
                                : env.isEmpty() ? "?" : env.get(0));
            }
        }
        return out;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}

package io.costguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.api.BenchRun;
import io.costguard.api.BenchRunSpec;
import io.costguard.api.CostBudget;
import io.costguard.api.CostBudgetSpec;
import io.costguard.api.PerfBaseline;
import io.costguard.api.PerfBaselineSpec;
import io.costguard.api.SpecProblem;
import io.costguard.api.SpecReading;
import io.costguard.baseline.PerfSpecValidator;
import io.costguard.bench.BenchSpecValidator;
import io.costguard.budget.BudgetSpecValidator;
import io.costguard.config.OperatorConfig;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random shapes, types and sizes through what reads users' input: AdmissionReview bodies through the webhook's
 * codec and policy, and the three kinds' specs through the readers (the webhook's, and fabric8's as the informers
 * use it) and the validators. Never an exception; a denial or an Invalid names a field path; no message carries a
 * Java type name or more than 120 characters of one quoted value.
 */
class SpecFuzzTest {
    static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A long value is one character repeated; a message repeating 121 of them has quoted it whole. */
    static final Pattern UNCUT = Pattern.compile("(?s).*([^ ])\\1{120}.*");

    static final Pattern FIELD_PATH = Pattern.compile("(?s).*\\b(spec|metadata|request)(\\.|\\[|:| ).*");

    final ReviewCodec codec = new ReviewCodec(JSON);
    final AdmissionPolicy policy = AdmissionPolicyFactory.plain();
    final KubernetesSerialization fabric8 = new KubernetesSerialization();
    final BudgetSpecValidator budgets =
            new BudgetSpecValidator(OperatorConfig.DEFAULT_ALLOCATION_KEYS, Map.of(), "USD");

    // ---- (a) AdmissionReview bodies ------------------------------------------------------------------------------

    @Property(tries = 400)
    void anyBodyIsAnsweredWithA400MessageOrAVerdict(@ForAll("bodies") byte[] body) {
        ReviewCodec.Outcome outcome = codec.parse(body);
        if (outcome instanceof ReviewCodec.Malformed m) {
            assertThat(m.message()).isNotBlank();
            clean(m.message());
            return;
        }
        ReviewCodec.Parsed parsed = (ReviewCodec.Parsed) outcome;
        Verdict verdict = policy.decide(parsed.request(), parsed.problem());
        byte[] answer = codec.encode(parsed.request().uid(), verdict);
        assertThat(answer).isNotEmpty();
        if (!verdict.allowed()) {
            assertThat(verdict.message()).isNotBlank().matches(FIELD_PATH);
            clean(verdict.message());
        }
        verdict.warnings().forEach(SpecFuzzTest::clean);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> reviews = Combinators.combine(
                        operations(),
                        kinds(),
                        json(3),
                        specs(),
                        Arbitraries.integers().between(0, 5))
                .as((operation, kind, noise, spec, variant) -> {
                    ObjectNode request = NODES.objectNode();
                    request.put("uid", "fuzz-uid");
                    request.set("operation", operation);
                    request.set("kind", kind);
                    request.put("namespace", "team-a");
                    ObjectNode object = NODES.objectNode();
                    object.putObject("metadata").put("name", "fuzz").put("namespace", "team-a");
                    object.set("spec", spec);
                    request.set("object", variant == 0 ? noise : object);
                    request.set("oldObject", variant == 1 ? noise : object.deepCopy());
                    if (variant == 2) {
                        request.set("userInfo", noise);
                    }
                    ObjectNode root = NODES.objectNode()
                            .put("apiVersion", "admission.k8s.io/v1")
                            .put("kind", "AdmissionReview");
                    root.set("request", variant == 3 ? noise : request);
                    return root.toString().getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> anyJson = json(4).map(n -> n.toString().getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> notJson = Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, reviews),
                net.jqwik.api.Tuple.of(2, anyJson),
                net.jqwik.api.Tuple.of(1, notJson));
    }

    private static Arbitrary<JsonNode> operations() {
        return Arbitraries.oneOf(
                Arbitraries.of("CREATE", "UPDATE", "DELETE", "CONNECT", "PATCH").map(NODES::textNode), json(1));
    }

    private static Arbitrary<JsonNode> kinds() {
        Arbitrary<JsonNode> known = Arbitraries.of(
                        new String[] {"costguard.io", "CostBudget"},
                        new String[] {"costguard.io", "PerfBaseline"},
                        new String[] {"costguard.io", "BenchRun"},
                        new String[] {"apps", "Deployment"},
                        new String[] {"", "Pod"})
                .map(gk -> NODES.objectNode()
                        .put("group", gk[0])
                        .put("version", "v1")
                        .put("kind", gk[1]));
        return Arbitraries.oneOf(known, known, json(2));
    }

    // ---- (b) specs of the three kinds ------------------------------------------------------------------------------

    @Property(tries = 400)
    void costBudgetSpecsOfAnyShapeAreReadAndJudged(@ForAll("costBudgetSpecs") JsonNode spec) {
        SpecReading.Outcome<CostBudgetSpec> read =
                SpecReading.read(JSON, spec, CostBudgetSpec.class, "spec", "CostBudget");
        List<SpecProblem> problems = new ArrayList<>();
        if (read.problem() != null) {
            problems.add(read.problem());
        } else {
            problems.addAll(budgets.validate(read.value(), "team-a", false).problems());
        }
        problems.addAll(budgets.validate(
                        fabric8.unmarshal(resource("CostBudget", spec), CostBudget.class)
                                .getSpec(),
                        "team-a",
                        false)
                .problems());
        problems.forEach(SpecFuzzTest::judged);
    }

    @Property(tries = 400)
    void perfBaselineSpecsOfAnyShapeAreReadAndJudged(@ForAll("perfBaselineSpecs") JsonNode spec) {
        SpecReading.Outcome<PerfBaselineSpec> read =
                SpecReading.read(JSON, spec, PerfBaselineSpec.class, "spec", "PerfBaseline");
        List<SpecProblem> problems = new ArrayList<>(
                read.problem() != null
                        ? List.of(read.problem())
                        : new PerfSpecValidator().validate(read.value()).problems());
        problems.addAll(new PerfSpecValidator()
                .validate(fabric8.unmarshal(resource("PerfBaseline", spec), PerfBaseline.class)
                        .getSpec())
                .problems());
        problems.forEach(SpecFuzzTest::judged);
    }

    @Property(tries = 400)
    void benchRunSpecsOfAnyShapeAreReadAndJudged(@ForAll("benchRunSpecs") JsonNode spec) {
        SpecReading.Outcome<BenchRunSpec> read = SpecReading.read(JSON, spec, BenchRunSpec.class, "spec", "BenchRun");
        List<SpecProblem> problems = new ArrayList<>(
                read.problem() != null
                        ? List.of(read.problem())
                        : new BenchSpecValidator(
                                        java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE))
                                .validate(read.value())
                                .problems());
        problems.addAll(new BenchSpecValidator(java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE))
                .validate(fabric8.unmarshal(resource("BenchRun", spec), BenchRun.class)
                        .getSpec())
                .problems());
        problems.forEach(SpecFuzzTest::judged);
    }

    @Provide
    Arbitrary<JsonNode> costBudgetSpecs() {
        return mutated(
                "{\"amount\": \"100.00\", \"thresholds\": [{\"percent\": 70, \"actions\": [\"Notify\"]}],"
                        + " \"scope\": {\"namespaces\": [\"team-a\"], \"selector\": {\"tenant\": \"alpha\"}}, \"anomaly\": {\"zScore\": 3}}",
                "amount",
                "currency",
                "period",
                "timeZone",
                "enforcement",
                "thresholds",
                "thresholds.0",
                "thresholds.0.percent",
                "thresholds.0.actions",
                "thresholds.0.actions.0",
                "thresholds.0.approval",
                "scope",
                "scope.namespaces",
                "scope.namespaces.0",
                "scope.selector",
                "scope.selector.tenant",
                "scope.selector.other",
                "forecast",
                "forecast.warnAbovePercent",
                "anomaly.zScore",
                "anomaly.dayOverDayPercent",
                "throttle.featureFlags",
                "throttle.featureFlags.0",
                "notAField");
    }

    @Provide
    Arbitrary<JsonNode> perfBaselineSpecs() {
        return mutated(
                "{\"workload\": {\"name\": \"api\"}, \"slo\": {\"latencyP95\": \"300ms\"}, \"onRegression\": [\"Notify\"],"
                        + " \"rightsizing\": {\"mode\": \"Recommend\", \"bounds\": {\"cpu\": {\"min\": \"50m\", \"max\": \"4\"}}}}",
                "workload",
                "workload.name",
                "workload.kind",
                "slo",
                "slo.latencyP95",
                "slo.errorRatio",
                "baseline.throughput",
                "regression",
                "regression.latencyFor",
                "regression.consecutiveEvaluations",
                "onRegression",
                "onRegression.0",
                "freezeScope",
                "metrics.latencyP95",
                "rightsizing",
                "rightsizing.mode",
                "rightsizing.minChange",
                "rightsizing.bounds.cpu",
                "rightsizing.bounds.cpu.min",
                "notAField");
    }

    @Provide
    Arbitrary<JsonNode> benchRunSpecs() {
        return mutated(
                "{\"target\": {\"url\": \"http://api:8080/\", \"workload\": {\"name\": \"api\"}}, \"load\": {\"script\": "
                        + "{\"inline\": \"export default function () {}\"}, \"rate\": 10, \"duration\": \"5m\", \"warmup\": \"30s\"}}",
                "target",
                "target.url",
                "target.workload",
                "target.workload.name",
                "load",
                "load.script",
                "load.script.inline",
                "load.script.configMapRef",
                "load.script.configMapRef.name",
                "load.rate",
                "load.vus",
                "load.executor",
                "load.duration",
                "load.warmup",
                "thresholds",
                "thresholds.latencyP95",
                "baselineRef",
                "maxRegressionPercent",
                "recordBaseline",
                "image",
                "notAField");
    }

    private static Arbitrary<JsonNode> specs() {
        return Arbitraries.oneOf(json(3), Arbitraries.just(NODES.objectNode()));
    }

    /** A valid spec with up to three of the given paths set to random values of any type and size. */
    private static Arbitrary<JsonNode> mutated(String valid, String... paths) {
        JsonNode base;
        try {
            base = JSON.readTree(valid);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Arbitrary<List<Map.Entry<String, JsonNode>>> edits = Combinators.combine(Arbitraries.of(paths), json(3))
                .as(Map::entry)
                .list()
                .ofMaxSize(3);
        return Arbitraries.oneOf(
                edits.map(list -> {
                    ObjectNode spec = base.deepCopy();
                    list.forEach(e -> set(spec, e.getKey().split("\\."), e.getValue()));
                    return (JsonNode) spec;
                }),
                json(3));
    }

    private static void set(ObjectNode root, String[] path, JsonNode value) {
        JsonNode at = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = child(at, path[i]);
            if (next == null || !(next.isObject() || next.isArray())) {
                next = path[i + 1].matches("[0-9]+") ? NODES.arrayNode() : NODES.objectNode();
                put(at, path[i], next);
            }
            at = next;
        }
        put(at, path[path.length - 1], value);
    }

    private static JsonNode child(JsonNode at, String key) {
        return at.isArray() ? at.get(key.matches("[0-9]+") ? Integer.parseInt(key) : -1) : at.get(key);
    }

    private static void put(JsonNode at, String key, JsonNode value) {
        if (at instanceof ObjectNode o) {
            o.set(key, value);
        } else if (at instanceof ArrayNode a) {
            if (a.isEmpty()) {
                a.add(value);
            } else {
                a.set(0, value);
            }
        }
    }

    private static String resource(String kind, JsonNode spec) {
        ObjectNode r =
                NODES.objectNode().put("apiVersion", "costguard.io/v1alpha1").put("kind", kind);
        r.putObject("metadata").put("name", "fuzz").put("namespace", "team-a");
        r.set("spec", spec);
        return r.toString();
    }

    /** Any JSON value up to {@code depth} levels of nesting, with short, long (10,000 characters) and odd strings. */
    static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> strings = Arbitraries.oneOf(
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .withChars("-_.:/ ÄΩ\n\"'{}[]")
                                .ofMaxLength(20),
                        Arbitraries.of(
                                "",
                                "Notify",
                                "Freeze",
                                "Off",
                                "5m",
                                "1m500ms",
                                "0.5",
                                "-1",
                                "1e3",
                                "Alpha_Corp",
                                "team-a",
                                "$pods",
                                "http://x"),
                        Combinators.combine(
                                        Arbitraries.of('x', 'Q', '7', 'é'),
                                        Arbitraries.integers().between(121, 10_000))
                                .as((c, n) -> String.valueOf(c).repeat(n)))
                .map(NODES::textNode);
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                strings,
                strings,
                Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<JsonNode> lists = json(depth - 1).list().ofMaxSize(4).map(items -> {
            ArrayNode a = NODES.arrayNode();
            a.addAll(items);
            return a;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(
                        Arbitraries.of("percent", "name", "amount", "a", "tenant", "x".repeat(300)), json(depth - 1))
                .as(Map::entry)
                .list()
                .ofMaxSize(4)
                .map(entries -> {
                    ObjectNode o = NODES.objectNode();
                    entries.forEach(e -> o.set(e.getKey(), e.getValue()));
                    return o;
                });
        return Arbitraries.oneOf(scalars, scalars, lists, objects);
    }

    private static void judged(SpecProblem p) {
        assertThat(p.field()).startsWith("spec");
        assertThat(p.message()).isNotBlank();
        clean(p.toString());
    }

    private static void clean(String message) {
        assertThat(message).doesNotContain("java.", "com.fasterxml", "Exception", "LinkedHashMap");
        assertThat(UNCUT.matcher(message).matches())
                .as("a value quoted whole in: %s", message.length() > 600 ? message.substring(0, 600) : message)
                .isFalse();
        for (String line : message.split("\n")) {
            assertThat(line.length()).as(line).isLessThan(2000);
        }
    }
}

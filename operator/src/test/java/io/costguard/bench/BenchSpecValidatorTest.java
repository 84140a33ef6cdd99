package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.api.SpecProblem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchSpecValidatorTest {
    private final BenchSpecValidator validator =
            new BenchSpecValidator(java.util.List.of(io.costguard.config.ConfigLoader.DEFAULT_BENCH_IMAGE));

    private List<String> problems(String yaml) {
        return validator.validate(BenchFixtures.spec(yaml)).problems().stream()
                .map(SpecProblem::toString)
                .toList();
    }

    @Test
    void theDesignExampleIsAPlan() {
        BenchPlan p = BenchFixtures.plan(BenchFixtures.EXPENSE);
        assertThat(p.url()).isEqualTo("http://expense-api:8080/expense");
        assertThat(p.workloadKind()).isEqualTo("Deployment");
        assertThat(p.workloadName()).isEqualTo("expense-api");
        assertThat(p.script()).isEqualTo(new BenchPlan.Script(null, "k6-expense", "script.js"));
        assertThat(p.executor()).isEqualTo(BenchPlan.Executor.CONSTANT_ARRIVAL_RATE);
        assertThat(p.rate()).isEqualTo(100);
        assertThat(p.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.warmup()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.measured()).isEqualTo(Duration.ofMinutes(25));
        assertThat(p.thresholds().latencyP95()).isEqualTo(0.3);
        assertThat(p.thresholds().errorRatio()).isEqualTo(0.002);
        assertThat(p.thresholds().costPer1k()).isEqualTo(0.12);
        assertThat(p.maxRegressionPercent()).isEqualTo(5);
        assertThat(p.recordBaseline()).isFalse();
        assertThat(p.targetKey("team-alpha")).isEqualTo("team-alpha/Deployment/expense-api");
    }

    @Test
    void withoutAWorkloadTheTargetIsTheUrl() {
        BenchPlan p = BenchFixtures.plan("""
        target: {url: "http://a:80/"}
        load: {script: {inline: "export default function () {}"}, rate: 5, duration: 1m}
        """);
        assertThat(p.hasWorkload()).isFalse();
        assertThat(p.targetKey("ns")).isEqualTo("ns/http://a:80/");
        assertThat(p.warmup()).isZero();
        assertThat(p.thresholds().isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "warmup equal to duration | load: {script: {inline: x}, rate: 1, duration: 5m, warmup: 5m} | spec.load.warmup: 5m must be shorter than spec.load.duration 5m",
                "warmup longer | load: {script: {inline: x}, rate: 1, duration: 5m, warmup: 1h} | spec.load.warmup: 1h must be shorter",
                "bad duration | load: {script: {inline: x}, rate: 1, duration: 5 minutes} | spec.load.duration: '5 minutes' is not a duration",
                "no duration | load: {script: {inline: x}, rate: 1} | spec.load.duration: is required",
                "too long | load: {script: {inline: x}, rate: 1, duration: 2d} | spec.load.duration: 2d is longer than 1d",
                "no rate | load: {script: {inline: x}, duration: 1m} | spec.load.rate: is required for the constant-arrival-rate executor",
                "vus executor without vus | load: {script: {inline: x}, executor: constant-vus, rate: 3, duration: 1m} | spec.load.vus: is required for the constant-vus executor",
                "unknown executor | load: {script: {inline: x}, executor: per-vu-iterations, rate: 3, duration: 1m} | spec.load.executor: 'per-vu-iterations' is not supported",
                "zero rate | load: {script: {inline: x}, rate: 0, duration: 1m} | spec.load.rate: 0 must be at least 1",
                "huge rate | load: {script: {inline: x}, rate: 2000000000, duration: 1m} | spec.load.rate: 2000000000 is more than one k6 pod is sized for; use at most 100000",
                "huge vus | load: {script: {inline: x}, executor: constant-vus, vus: 1500000000, duration: 1m} | spec.load.vus: 1500000000 is more than one k6 pod",
                "part of a second | load: {script: {inline: x}, rate: 1, duration: 1m500ms} | spec.load.duration: 1m500ms is not a whole number of seconds",
                "warmup part of a second | load: {script: {inline: x}, rate: 1, duration: 1m, warmup: 500ms} | spec.load.warmup: 500ms is not a whole number of seconds",
                "both scripts | load: {script: {inline: x, configMapRef: {name: a, key: b}}, rate: 1, duration: 1m} | spec.load.script: needs exactly one of inline or configMapRef",
                "no script | load: {script: {}, rate: 1, duration: 1m} | spec.load.script: needs exactly one",
                "blank inline | load: {script: {inline: ' '}, rate: 1, duration: 1m} | spec.load.script.inline: is empty",
                "bad key | load: {script: {configMapRef: {name: a, key: 'a b'}}, rate: 1, duration: 1m} | spec.load.script.configMapRef.key: 'a b' is not a ConfigMap key",
            })
    void loadProblemsNameTheFieldAndTheFix(String title, String load, String expected) {
        assertThat(problems("target: {url: \"http://a:80/\"}\n" + load + "\n"))
                .anySatisfy(p -> assertThat(p).startsWith(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bad url | target: {url: 'ftp://x'} | spec.target.url: 'ftp://x' is not an http(s) URL",
                "no url | target: {workload: {name: a}} | spec.target.url: is required",
                "kind | 'target: {url: \"http://a/\", workload: {kind: DaemonSet, name: a}}' | spec.target.workload.kind: 'DaemonSet' is not supported",
                "workload name | 'target: {url: \"http://a/\", workload: {name: A_B}}' | spec.target.workload.name: 'A_B' is not an object name",
                "error ratio above 1 | 'target: {url: \"http://a/\"}\nthresholds: {errorRatio: \"2\"}' | spec.thresholds.errorRatio: '2' is above 1",
                "cost not a number | 'target: {url: \"http://a/\"}\nthresholds: {maxCostPer1kRequests: \"1e3\"}' | spec.thresholds.maxCostPer1kRequests: '1e3' is not a plain decimal",
                "zero latency | 'target: {url: \"http://a/\"}\nthresholds: {latencyP95: 0ms}' | spec.thresholds.latencyP95: '0ms' must be longer than zero",
                "record without ref | 'target: {url: \"http://a/\"}\nrecordBaseline: true' | spec.recordBaseline: true requires spec.baselineRef",
                "regression range | 'target: {url: \"http://a/\"}\nmaxRegressionPercent: 1001' | spec.maxRegressionPercent: 1001 is out of range",
                "image | 'target: {url: \"http://a/\"}\nimage: \"grafana/k6 latest\"' | spec.image: 'grafana/k6 latest' is not an image reference",
                "cost without workload | 'target: {url: \"http://a/\"}\nthresholds: {maxCostPer1kRequests: \"0.1\"}' | spec.thresholds.maxCostPer1kRequests: needs spec.target.workload",
            })
    void otherProblems(String title, String yaml, String expected) {
        String full = yaml.replace("\\n", "\n") + "\nload: {script: {inline: x}, rate: 1, duration: 1m}\n";
        assertThat(problems(full)).anySatisfy(p -> assertThat(p).startsWith(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unset: the pinned image | | true",
                "the pinned image named | grafana/k6:1.3.0 | true",
                "another tag of it | grafana/k6:latest | false",
                "any other image | evil.example.com/miner:1 | false",
                "under an allowed prefix | registry.example.com/k6:1.4.0 | true",
                "the prefix is not a substring match | registry.example.com/k6-evil:1 | false",
            })
    void onlyAllowedImagesRun(String title, String image, boolean allowed) {
        BenchSpecValidator v = new BenchSpecValidator(List.of("grafana/k6:1.3.0", "registry.example.com/k6:*"));
        String yaml = "target: {url: \"http://a/\"}\nload: {script: {inline: x}, rate: 1, duration: 1m}\n"
                + (image == null ? "" : "image: " + image + "\n");
        var result = v.validate(BenchFixtures.spec(yaml));
        assertThat(result.valid()).as(title).isEqualTo(allowed);
        if (!allowed) {
            assertThat(result.problems())
                    .singleElement()
                    .hasToString(
                            "spec.image: '" + image + "' is not allowed; use one of bench.allowedImages "
                                    + "grafana/k6:1.3.0, registry.example.com/k6:* (an entry ending in * is a prefix), or leave spec.image unset for the operator's pinned image");
        }
    }

    @Test
    void byDefaultOnlyTheDefaultPinnedImageMayBeNamed() {
        String yaml = "target: {url: \"http://a/\"}\nload: {script: {inline: x}, rate: 1, duration: 1m}\nimage: ";
        assertThat(validator
                        .validate(BenchFixtures.spec(yaml + "grafana/k6:1.3.0"))
                        .valid())
                .isTrue();
        assertThat(problems(yaml + "busybox:1"))
                .containsExactly(
                        "spec.image: 'busybox:1' is not allowed; use one of bench.allowedImages "
                                + "grafana/k6:1.3.0 (an entry ending in * is a prefix), or leave spec.image unset for the operator's pinned image");
    }

    @Test
    void aMissingSpecSaysWhatToSet() {
        assertThat(validator.validate(null).problems())
                .extracting(SpecProblem::field)
                .containsExactly("spec");
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        assertThat(problems("""
        target: {url: "nope"}
        load: {script: {inline: x}, duration: 1m, warmup: 2m}
        recordBaseline: true
        """)).hasSize(4);
    }
}

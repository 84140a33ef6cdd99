package io.costguard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated entry script parses as an ES module, and its handleSummary writes what {@link K6Summary} reads. */
class EntryScriptTest {
    @TempDir
    Path dir;

    private static String spec(String executor, String warmup) {
        return """
        target: {url: "http://expense-api:8080/expense"}
        load:
          script: {inline: "export default function () {}"}
          executor: %s
          rate: 40
          vus: 7
          duration: 10m
        %s
        """.formatted(executor, warmup == null ? "" : "  warmup: " + warmup);
    }

    @ParameterizedTest
    @ValueSource(strings = {"constant-arrival-rate", "ramping-arrival-rate", "constant-vus"})
    void everyExecutorGivesAValidModule(String executor) throws Exception {
        for (String warmup : new String[] {null, "2m"}) {
            String js = EntryScript.render(BenchFixtures.plan(spec(executor, warmup)), "team-alpha", "run-1");
            Path file = dir.resolve(executor + (warmup == null ? "" : "-warm") + ".mjs");
            Files.writeString(file, js);
            Result r = node("--check", file.toString());
            assertThat(r.exit).as(r.output + "\n" + js).isZero();
            assertThat(js).contains("scenarios.measure = ").contains("exec: 'costguardIteration'");
            if (warmup == null) {
                assertThat(js).doesNotContain("scenarios.warmup").contains("startTime: '0s'");
            } else {
                assertThat(js)
                        .contains("scenarios.warmup = ")
                        .contains("startTime: '120s'")
                        .contains("duration: '480s'");
            }
        }
    }

    @Test
    void theExecutorShapesFollowTheSpec() {
        String rate = EntryScript.render(BenchFixtures.plan(spec("constant-arrival-rate", "2m")), "ns", "r");
        assertThat(rate)
                .contains(
                        "executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '480s', preAllocatedVUs: 7, maxVUs: 14");
        String ramp = EntryScript.render(BenchFixtures.plan(spec("ramping-arrival-rate", "2m")), "ns", "r");
        assertThat(ramp)
                .contains("scenarios.warmup = { executor: 'ramping-arrival-rate', startRate: 0")
                .contains("stages: [{ target: 40, duration: '120s' }], gracefulStop: '0s'");
        assertThat(rate)
                .as("the warm-up does not overlap the measured scenario, whose VUs it lends")
                .contains(
                        "scenarios.warmup = { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '120s', preAllocatedVUs: 7, "
                                + "maxVUs: 14, startTime: '0s', gracefulStop: '0s', exec")
                .contains(
                        "scenarios.measure = { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '480s', preAllocatedVUs: 7, "
                                + "maxVUs: 14, startTime: '120s', exec");
        String vus = EntryScript.render(BenchFixtures.plan(spec("constant-vus", null)), "ns", "r");
        assertThat(vus).contains("executor: 'constant-vus', vus: 7, duration: '600s'");
    }

    @Test
    void withoutVusTheArrivalRateExecutorsPreAllocateOnePerRequestPerSecondCapped() {
        BenchPlan small = BenchFixtures.plan(
                "target: {url: \"http://a/\"}\nload: {script: {inline: x}, rate: 30, duration: 1m}\n");
        BenchPlan big = BenchFixtures.plan(
                "target: {url: \"http://a/\"}\nload: {script: {inline: x}, rate: 50000, duration: 1m}\n");
        assertThat(EntryScript.preAllocatedVus(small)).isEqualTo(30);
        assertThat(EntryScript.preAllocatedVus(big)).isEqualTo(EntryScript.MAX_DEFAULT_VUS);
    }

    @Test
    void theDeadlineLeavesRoomToStart() {
        assertThat(EntryScript.deadline(BenchFixtures.plan(spec("constant-vus", null))))
                .isEqualTo(Duration.ofMinutes(15));
        BenchPlan long_ = BenchFixtures.plan(
                "target: {url: \"http://a/\"}\nload: {script: {inline: x}, rate: 3, duration: 10h}\n");
        assertThat(EntryScript.deadline(long_)).isEqualTo(Duration.ofHours(11));
    }

    /** Runs handleSummary under node with k6's modules stubbed and a summary shaped like k6's. */
    @Test
    void handleSummaryWritesTheCompactLineTheParserReads() throws Exception {
        String js = EntryScript.render(BenchFixtures.plan(spec("constant-arrival-rate", "2m")), "team-alpha", "run-1")
                .replace(
                        "import http from 'k6/http';",
                        "const http = { setResponseCallback() {}, expectedStatuses() { return null; } };")
                .replace(
                        "import * as user from './user.js';",
                        "const user = { default() {}, options: { thresholds: { checks: ['rate>0.99'] }, "
                                + "insecureSkipTLSVerify: true, hosts: { 'api.test': '10.0.0.7' }, setupTimeout: '2m', vus: 50, duration: '1h', "
                                + "stages: [{ target: 9, duration: '1m' }], rps: 10, summaryTimeUnit: 's' } };");
        js += """

        const data = {
          setup_data: { costguardStart: 1763640000000, user: null },
          metrics: {
            'http_reqs{scenario:measure}': { values: { count: 19200, rate: 40 }, thresholds: { 'count>=0': { ok: true } } },
            'http_req_duration{scenario:measure}': { values: { med: 85.2, 'p(95)': 210.4, 'p(99)': 260.9, max: 900 } },
            'http_req_failed{scenario:measure}': { values: { rate: 0.0008, passes: 15, fails: 19185 } },
            'dropped_iterations{scenario:measure}': { values: { count: 3, rate: 0.01 } },
            http_req_duration: { values: { med: 90 }, thresholds: { 'p(95)<200': { ok: false } } },
            checks: { values: { rate: 1 }, thresholds: { 'rate>0.99': { ok: true } } },
          },
        };
        const out = handleSummary(data);
        process.stdout.write(JSON.stringify({ keys: Object.keys(out).sort(), line: out['/dev/termination-log'],
          thresholds: Object.keys(options.thresholds).sort(), options: Object.keys(options).sort(),
          skipTls: options.insecureSkipTLSVerify, host: options.hosts['api.test'], scenarios: Object.keys(options.scenarios).sort() }));
        """;
        Path file = dir.resolve("summary.mjs");
        Files.writeString(file, js);
        Result r = node(file.toString());
        assertThat(r.exit).as(r.output).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.output);
        assertThat(tree.path("keys").toString()).isEqualTo("[\"/dev/termination-log\",\"stdout\"]");
        assertThat(tree.path("thresholds").toString())
                .contains("checks", "http_reqs{scenario:measure}", "http_req_duration{scenario:measure}");
        assertThat(tree.path("options").toString())
                .as("the user's other options are kept, its load shape is not")
                .isEqualTo(
                        "[\"hosts\",\"insecureSkipTLSVerify\",\"scenarios\",\"setupTimeout\",\"summaryTrendStats\",\"thresholds\"]");
        assertThat(tree.path("skipTls").asBoolean()).isTrue();
        assertThat(tree.path("host").asText()).isEqualTo("10.0.0.7");
        assertThat(tree.path("scenarios").toString()).isEqualTo("[\"measure\",\"warmup\"]");
        String line = tree.path("line").asText();
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThan(K6Summary.TERMINATION_MESSAGE_LIMIT);
        K6Summary.Parsed parsed = K6Summary.parse(line);
        assertThat(parsed.ok()).as(parsed.detail()).isTrue();
        K6Summary s = parsed.summary();
        assertThat(s.start()).isEqualTo(Instant.ofEpochMilli(1763640000000L));
        assertThat(s.end()).isAfter(s.start());
        assertThat(s.requests()).isEqualTo(19200);
        assertThat(s.failed()).isEqualTo(15);
        assertThat(s.p50Millis()).isEqualTo(85.2);
        assertThat(s.p95Millis()).isEqualTo(210.4);
        assertThat(s.p99Millis()).isEqualTo(260.9);
        assertThat(s.dropped()).isEqualTo(3);
        assertThat(s.failedK6Thresholds()).containsExactly("http_req_duration p(95)<200");
    }

    private record Result(int exit, String output) {}

    private static Result node(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "node";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}

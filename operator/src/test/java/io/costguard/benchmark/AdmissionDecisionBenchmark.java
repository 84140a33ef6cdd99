package io.costguard.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.admission.AdmissionMetrics;
import io.costguard.admission.AdmissionPolicy;
import io.costguard.admission.ReviewCodec;
import io.costguard.admission.Verdict;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One admission decision in-process: a 3.3 KB Deployment UPDATE (docs/bench-review.json) against 100 budgets and
 * 20 frozen scopes. {@code decide} is the rules on a parsed review; {@code review} adds reading the body and
 * writing the answer; {@code parseOnly} is the floor of the JSON parse alone, for the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class AdmissionDecisionBenchmark {
    byte[] body;
    ReviewCodec codec;
    AdmissionPolicy policy;
    ReviewCodec.Parsed parsed;
    ObjectMapper mapper;

    @Setup
    public void setUp() throws Exception {
        body = Files.readAllBytes(Path.of(System.getProperty("review", "docs/bench-review.json")));
        mapper = new ObjectMapper();
        codec = new ReviewCodec(mapper);
        policy = WebhookServerMain.policy(new AdmissionMetrics(new PrometheusRegistry()));
        parsed = (ReviewCodec.Parsed) codec.parse(body);
        Verdict v = policy.decide(parsed.request(), null);
        if (!v.allowed() || v.warnings().isEmpty()) {
            throw new IllegalStateException("the benchmark review should be admitted with a cost warning: " + v);
        }
    }

    @Benchmark
    public Verdict decide() {
        return policy.decide(parsed.request(), null);
    }

    @Benchmark
    public byte[] review() {
        ReviewCodec.Parsed p = (ReviewCodec.Parsed) codec.parse(body);
        return codec.encode(p.request().uid(), policy.decide(p.request(), p.problem()));
    }

    @Benchmark
    public Object parseOnly() throws Exception {
        return mapper.readTree(body);
    }
}

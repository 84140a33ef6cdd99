package io.costguard.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.prometheus.QueryOutcome.Failure;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.prometheus.QueryOutcome.Success;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing Prometheus HTTP API answers into typed outcomes, as a stream. */
class PrometheusClientParseTest {

    static QueryOutcome parse(int status, String body) throws IOException {
        return PrometheusClient.parse(status, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    static Success success(QueryOutcome o) {
        assertThat(o).isInstanceOf(Success.class);
        return (Success) o;
    }

    static Failure failure(QueryOutcome o) {
        assertThat(o).isInstanceOf(Failure.class);
        return (Failure) o;
    }

    private static final String MATRIX = """
      {"status":"success","data":{"resultType":"matrix","result":[
        {"metric":{"namespace":"team-alpha","tenant":"alpha","team":"web"},
         "values":[[1763877600,"0.5"],[1763881200,"1.25"],[1763884800,"0"]]},
        {"metric":{"namespace":"team-beta"},
         "values":[[1763877600.5,"3e-2"]]}
      ]},"warnings":["some warning"]}
      """;

    @Test
    void matrixSuccessKeepsLabelsTimestampsValuesAndCountsSamples() throws IOException {
        Success s = success(parse(200, MATRIX));

        assertThat(s.samples()).isEqualTo(4);
        assertThat(s.series()).hasSize(2);
        Series first = s.series().get(0);
        assertThat(first.labels())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("namespace", "team-alpha", "tenant", "alpha", "team", "web"));
        assertThat(first.timestamps()).containsExactly(1763877600L, 1763881200L, 1763884800L);
        assertThat(first.values()).containsExactly(0.5, 1.25, 0.0);
        assertThat(first.size()).isEqualTo(3);
        Series second = s.series().get(1);
        assertThat(second.labels()).containsExactly(Map.entry("namespace", "team-beta"));
        assertThat(second.timestamps()).as("fractional timestamps are floored").containsExactly(1763877600L);
        assertThat(second.values()).containsExactly(0.03);
    }

    @Property(tries = 200)
    void seriesOfDifferentLengthsInOneAnswerKeepTheirOwnSamples(
            @ForAll @IntRange(min = 0, max = 70) int a,
            @ForAll @IntRange(min = 0, max = 70) int b,
            @ForAll @IntRange(min = 0, max = 70) int c)
            throws IOException {
        int[] lengths = {a, b, c};
        String result = IntStream.range(0, 3)
                .mapToObj(k -> "{\"metric\":{\"k\":\"" + k + "\"},\"values\":["
                        + IntStream.range(0, lengths[k])
                                .mapToObj(i -> "[" + (1000 + i) + ",\"" + (k * 100 + i) + "\"]")
                                .collect(Collectors.joining(","))
                        + "]}")
                .collect(Collectors.joining(","));
        Success s = success(parse(
                200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + result + "]}}"));

        assertThat(s.samples()).isEqualTo(a + b + c);
        for (int k = 0; k < 3; k++) {
            Series series = s.series().get(k);
            assertThat(series.size()).isEqualTo(lengths[k]);
            assertThat(series.timestamps()).hasSize(lengths[k]);
            assertThat(series.values()).hasSize(lengths[k]);
            for (int i = 0; i < lengths[k]; i++) {
                assertThat(series.timestamps()[i]).isEqualTo(1000 + i);
                assertThat(series.values()[i]).isEqualTo(k * 100 + i);
            }
        }
    }

    @Test
    void vectorSuccessReadsTheSingleValue() throws IOException {
        Success s = success(parse(200, """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"__name__":"up","job":"prometheus"},"value":[1763877600.123,"1"]},
          {"metric":{},"value":[1763877600,"42.5"]}]}}
        """));
        assertThat(s.samples()).isEqualTo(2);
        assertThat(s.series().get(0).labels()).containsEntry("job", "prometheus");
        assertThat(s.series().get(0).timestamps()).containsExactly(1763877600L);
        assertThat(s.series().get(0).values()).containsExactly(1.0);
        assertThat(s.series().get(1).labels()).isEmpty();
        assertThat(s.series().get(1).values()).containsExactly(42.5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"matrix", "vector"})
    void emptyResultIsASuccessWithoutSeries(String type) throws IOException {
        Success s = success(
                parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"" + type + "\",\"result\":[]}}"));
        assertThat(s.series()).isEmpty();
        assertThat(s.samples()).isZero();
    }

    @Test
    void fieldOrderDoesNotMatter() throws IOException {
        Success s = success(parse(200, """
        {"data":{"result":[{"values":[[10,"1"]],"metric":{"a":"b"}}],"resultType":"matrix"},"status":"success"}
        """));
        assertThat(s.series()).singleElement().satisfies(series -> {
            assertThat(series.labels()).containsEntry("a", "b");
            assertThat(series.values()).containsExactly(1.0);
        });
    }

    @Test
    void unknownFieldsAndNestedStructuresAreSkipped() throws IOException {
        Success s = success(parse(200, """
        {"status":"success","infos":[{"x":[1,2,{"y":3}]}],"data":{"resultType":"matrix","stats":{"timings":{"a":1}},
         "result":[{"metric":{"k":"v"},"histograms":[[1,{"count":"2"}]],"values":[[10,"2"]]}]}}
        """));
        assertThat(s.samples()).isEqualTo(1);
        assertThat(s.series().get(0).values()).containsExactly(2.0);
    }

    @Test
    void longSeriesAreReadCompletely() throws IOException {
        String values = IntStream.range(0, 1000)
                .mapToObj(i -> "[" + (1_700_000_000L + i * 3600L) + ",\"" + i + "\"]")
                .collect(Collectors.joining(","));
        Success s = success(parse(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                        + values + "]}]}}"));
        assertThat(s.samples()).isEqualTo(1000);
        Series series = s.series().get(0);
        assertThat(series.timestamps()).hasSize(1000).startsWith(1_700_000_000L).endsWith(1_700_000_000L + 999 * 3600L);
        assertThat(series.values()[999]).isEqualTo(999.0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NaN", "+Inf", "-Inf"})
    void nanOrInfiniteValuesAreAFailure(String value) throws IOException {
        Failure f = failure(parse(200, """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"a":"1"},"values":[[10,"1"],[20,"%s"]]}]}}
        """.formatted(value)));
        assertThat(f.kind()).isEqualTo(FailureKind.NaNValues);
        assertThat(f.message()).contains("NaN or infinite");
    }

    @Test
    void nanInAVectorIsAFailureToo() throws IOException {
        assertThat(failure(
                                parse(
                                        200,
                                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}"))
                        .kind())
                .isEqualTo(FailureKind.NaNValues);
    }

    @ParameterizedTest(name = "HTTP {0} errorType {1} -> {2}")
    @CsvSource({
        "400, bad_data,    BadQuery",
        "422, execution,   BadQuery",
        "200, bad_data,    BadQuery",
        "503, timeout,     Timeout",
        "200, timeout,     Timeout",
        "503, unavailable, HttpError",
    })
    void prometheusErrorBodiesAreTyped(int status, String errorType, FailureKind expected) throws IOException {
        Failure f = failure(parse(status, """
        {"status":"error","errorType":"%s","error":"something about the query"}
        """.formatted(errorType)));
        assertThat(f.kind()).isEqualTo(expected);
        assertThat(f.message()).isEqualTo(errorType + ": something about the query");
    }

    @Test
    void badDataCarriesPrometheusMessage() throws IOException {
        Failure f = failure(parse(400, """
        {"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:5: parse error: unexpected <EOF>"}
        """));
        assertThat(f.kind()).isEqualTo(FailureKind.BadQuery);
        assertThat(f.message())
                .startsWith("bad_data: invalid parameter \"query\"")
                .contains("parse error");
    }

    @ParameterizedTest(name = "HTTP {0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "502 | <html><body>Bad Gateway</body></html>",
                "502 | Bad Gateway",
                "503 | ''",
                "504 | upstream request timeout",
                "200 | not json at all",
                "200 | [1,2,3]",
                "200 | {\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{}",
            })
    void answersThatAreNotPrometheusJsonAreHttpErrors(int status, String body) throws IOException {
        Failure f = failure(parse(status, body));
        assertThat(f.kind()).isEqualTo(FailureKind.HttpError);
        assertThat(f.message()).contains("HTTP " + status);
    }

    @Test
    void aNonOkStatusWithASuccessBodyIsAnHttpError() throws IOException {
        Failure f = failure(parse(500, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        assertThat(f.kind()).isEqualTo(FailureKind.HttpError);
        assertThat(f.message()).contains("HTTP 500");
    }

    @Test
    void jsonWithoutAStatusIsAnHttpError() throws IOException {
        Failure f = failure(parse(200, "{\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        assertThat(f.kind()).isEqualTo(FailureKind.HttpError);
    }

    @Test
    void http503WithAnUnavailableJsonErrorNamesTheError() throws IOException {
        Failure f = failure(parse(
                503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"store gateway not ready\"}"));
        assertThat(f.kind()).isEqualTo(FailureKind.HttpError);
        assertThat(f.message()).contains("store gateway not ready");
    }

    @Property(tries = 300)
    void anyFiniteValueRoundTrips(
            @ForAll @DoubleRange(min = -1e12, max = 1e12) double value,
            @ForAll @IntRange(min = 0, max = 2_000_000_000) int ts)
            throws IOException {
        Success s = success(parse(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"k\":\"v\"},\"values\":[["
                        + ts + ",\"" + value + "\"]]}]}}"));
        assertThat(s.series().get(0).values()).containsExactly(value);
        assertThat(s.series().get(0).timestamps()).containsExactly((long) ts);
    }

    @Property(tries = 500)
    void everyWayPrometheusWritesANumberReadsAsJavaReadsIt(@ForAll double value) throws IOException {
        net.jqwik.api.Assume.that(Double.isFinite(value));
        for (String text : new String[] {
            Double.toString(value),
            new java.math.BigDecimal(value).toString().toLowerCase(java.util.Locale.ROOT),
            String.format(java.util.Locale.ROOT, "%.6e", value),
            String.format(java.util.Locale.ROOT, "%.17g", value)
        }) {
            Success s = success(parse(
                    200,
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                            + "\"value\":[1763877600,\"" + text + "\"]}]}}"));
            assertThat(s.series().get(0).values()).as(text).containsExactly(Double.parseDouble(text));
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "1,5", "abc", "--1", "1e", "Inf", "nan"})
    void aValueThatIsNotANumberIsAnHttpErrorNamingIt(String value) throws IOException {
        Failure f = failure(parse(
                200,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                        + "\"value\":[1763877600,\"" + value + "\"]}]}}"));
        assertThat(f.kind()).isEqualTo(FailureKind.HttpError);
        assertThat(f.message()).contains("not a number");
    }

    @Test
    void repeatedLabelValuesAndStepsAreKeptOncePerAnswer() throws IOException {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"pod\":\"api-1\",\"le\":\"0.1\"},\"values\":[[100,\"1\"],[160,\"2\"]]},"
                + "{\"metric\":{\"pod\":\"api-1\",\"le\":\"+Inf\"},\"values\":[[100,\"3\"],[160,\"4\"]]},"
                + "{\"metric\":{\"pod\":\"api-2\",\"le\":\"0.1\"},\"values\":[[100,\"5\"],[160,\"6\"]]}]}}";
        var series = success(parse(200, body)).series();
        assertThat(series).hasSize(3);
        assertThat(series.get(1).labels()).isEqualTo(Map.of("pod", "api-1", "le", "+Inf"));
        assertThat(series.get(1).labels().get("pod"))
                .isSameAs(series.get(0).labels().get("pod"));
        assertThat(series.get(2).labels().get("le"))
                .isSameAs(series.get(0).labels().get("le"));
        assertThat(series.get(2).timestamps())
                .isSameAs(series.get(0).timestamps())
                .containsExactly(100L, 160L);
        assertThat(series.get(2).values()).containsExactly(5.0, 6.0);
    }

    @Test
    void aRepeatedOrHugeLabelSetIsReadAsAMapWouldBeFilled() throws IOException {
        String repeated = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"pod\":\"a\",\"pod\":\"b\"},\"value\":[100,\"1\"]}]}}";
        assertThat(success(parse(200, repeated)).series().get(0).labels()).isEqualTo(Map.of("pod", "b"));
        String many = IntStream.range(0, 5000)
                .mapToObj(i -> "\"l" + i + "\":\"v" + (i % 7) + "\"")
                .collect(Collectors.joining(","));
        String huge = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + "{\"metric\":{"
                + many + "},\"value\":[100,\"1\"]}]}}";
        var labels = success(parse(200, huge)).series().get(0).labels();
        assertThat(labels).hasSize(5000).containsEntry("l4999", "v1");
    }

    @Property(tries = 200)
    void labelsReadAreTheLabelsSent(
            @ForAll @IntRange(min = 1, max = 40) int series, @ForAll @IntRange(min = 0, max = 6) int labels)
            throws IOException {
        // values from a small alphabet, so that many repeat and some collide in the answer's table
        java.util.List<Map<String, String>> sent = new java.util.ArrayList<>();
        StringBuilder body =
                new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        for (int i = 0; i < series; i++) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            for (int l = 0; l < labels; l++) {
                m.put("k" + l, "v" + ((i * 31 + l * 7) % 13) + "x".repeat((i + l) % 3));
            }
            sent.add(m);
            body.append(i == 0 ? "" : ",").append("{\"metric\":{");
            body.append(m.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",")));
            body.append("},\"value\":[100,\"1\"]}");
        }
        body.append("]}}");
        var read = success(parse(200, body.toString())).series();
        assertThat(read).extracting(Series::labels).containsExactlyElementsOf(sent);
    }
}

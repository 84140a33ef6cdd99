package io.costguard.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.costguard.prometheus.QueryOutcome.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrometheusClientEdgeCaseTest {
    static QueryOutcome parse(String body) throws IOException {
        return PrometheusClient.parse(200, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSampleThatIsNotANumberIsAFailureNotAnException() throws IOException {
        QueryOutcome o = parse(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"abc\"]]}]}}");
        assertThat(o).isInstanceOf(QueryOutcome.Failure.class);
        assertThat(((QueryOutcome.Failure) o).kind()).isEqualTo(FailureKind.HttpError);
    }

    @Test
    void serverSideErrorTypesAreNotBlamedOnTheQuery() throws IOException {
        assertThat(((QueryOutcome.Failure) parse("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"x\"}"))
                        .kind())
                .isEqualTo(FailureKind.HttpError);
        assertThat(((QueryOutcome.Failure) parse("{\"status\":\"error\",\"errorType\":\"canceled\",\"error\":\"x\"}"))
                        .kind())
                .isEqualTo(FailureKind.Timeout);
        assertThat(((QueryOutcome.Failure) parse("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"x\"}"))
                        .kind())
                .isEqualTo(FailureKind.BadQuery);
    }
}

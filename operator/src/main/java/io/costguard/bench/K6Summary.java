package io.costguard.bench;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.ConditionReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The line the entry script's handleSummary writes to the termination message:
 * {@code {"v":1,"start":ms,"end":ms,"requests":n,"failed":n,"p50":ms,"p95":ms,"p99":ms,"dropped":n,"k6Thresholds":[..]}},
 * measured part only. {@code start} is when the load began (warmup included).
 */
public record K6Summary(
        Instant start,
        Instant end,
        long requests,
        long failed,
        Double p50Millis,
        Double p95Millis,
        Double p99Millis,
        long dropped,
        List<String> failedK6Thresholds) {
    static final int VERSION = 1;
    /** The kubelet keeps at most this many bytes of a termination message. */
    public static final int TERMINATION_MESSAGE_LIMIT = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    public K6Summary {
        failedK6Thresholds = List.copyOf(failedK6Thresholds);
    }

    /** Why a termination message is not a summary. */
    public enum Problem {
        Missing,
        Truncated,
        Unreadable;

        /** The condition reason a run that ends on this problem gives. */
        public ConditionReason reason() {
            return switch (this) {
                case Missing -> ConditionReason.SummaryMissing;
                case Truncated -> ConditionReason.SummaryTruncated;
                case Unreadable -> ConditionReason.SummaryUnreadable;
            };
        }
    }

    /** Either a summary or a problem with a sentence saying what was found. */
    public record Parsed(K6Summary summary, Problem problem, String detail) {
        public boolean ok() {
            return summary != null;
        }
    }

    public static Parsed parse(String message) {
        if (message == null || message.isBlank()) {
            return new Parsed(null, Problem.Missing, "the k6 container left no termination message");
        }
        String text = message.strip();
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonEOFException e) {
            return truncatedOrUnreadable(text, bytes);
        } catch (JsonParseException e) {
            return bytes >= TERMINATION_MESSAGE_LIMIT && text.startsWith("{") ? truncated(bytes) : unreadable(text);
        } catch (java.io.IOException e) {
            return unreadable(text);
        }
        if (node == null || !node.isObject() || !node.has("v")) {
            return unreadable(text);
        }
        if (node.path("v").asInt() != VERSION) {
            return new Parsed(
                    null,
                    Problem.Unreadable,
                    "the summary has format version " + node.path("v").asText() + "; this operator reads version "
                            + VERSION + " (was the entry script replaced?)");
        }
        if (!node.path("start").isNumber()
                || !node.path("end").isNumber()
                || !node.path("requests").canConvertToLong()) {
            return new Parsed(null, Problem.Unreadable, "the summary lacks start, end or requests: " + excerpt(text));
        }
        Instant start = Instant.ofEpochMilli(node.path("start").asLong());
        Instant end = Instant.ofEpochMilli(node.path("end").asLong());
        if (end.isBefore(start)) {
            return new Parsed(
                    null, Problem.Unreadable, "the summary ends (" + end + ") before it starts (" + start + ")");
        }
        List<String> thresholds = new ArrayList<>();
        node.path("k6Thresholds").forEach(t -> thresholds.add(t.asText()));
        long requests = Math.max(0, node.path("requests").asLong());
        long failed = Math.max(0, Math.min(requests, node.path("failed").asLong()));
        return new Parsed(
                new K6Summary(
                        start,
                        end,
                        requests,
                        failed,
                        millis(node, "p50"),
                        millis(node, "p95"),
                        millis(node, "p99"),
                        Math.max(0, node.path("dropped").asLong()),
                        thresholds),
                null,
                null);
    }

    private static Parsed truncatedOrUnreadable(String text, int bytes) {
        return text.startsWith("{") && bytes >= TERMINATION_MESSAGE_LIMIT - 16 ? truncated(bytes) : unreadable(text);
    }

    private static Parsed truncated(int bytes) {
        return new Parsed(
                null,
                Problem.Truncated,
                "the summary was cut at the " + TERMINATION_MESSAGE_LIMIT + "-byte termination message limit (" + bytes
                        + " bytes kept)");
    }

    private static Parsed unreadable(String text) {
        return new Parsed(
                null, Problem.Unreadable, "the termination message is not costguard's summary: " + excerpt(text));
    }

    private static Double millis(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() >= 0 ? v.asDouble() : null;
    }

    /** The last line of a message (the logs kubelet keeps on error end with the reason), at most 300 characters. */
    public static String excerpt(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        String last = nl >= 0 ? t.substring(nl + 1).strip() : t;
        return last.length() > 300 ? last.substring(0, 300) + "…" : last;
    }

    public double errorRatio() {
        return requests == 0 ? 0 : (double) failed / requests;
    }
}

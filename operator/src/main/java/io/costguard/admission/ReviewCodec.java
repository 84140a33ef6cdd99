package io.costguard.admission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.costguard.api.SpecFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads AdmissionReview requests and writes responses. A body that is not JSON or not an
 * {@code admission.k8s.io/v1} review is {@link Malformed} (HTTP 400); a review that parses but lacks what its
 * operation needs is {@link Parsed} with a {@code problem}, answered 200 with {@code allowed: false}.
 */
public final class ReviewCodec {
    public static final String API_VERSION = "admission.k8s.io/v1";
    private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

    /** What a body turned out to be. */
    public sealed interface Outcome permits Malformed, Parsed {}

    /** Not an AdmissionReview we can answer: the HTTP status is 400 and this is the message. */
    public record Malformed(String message) implements Outcome {}

    /** A review; {@code problem} names what is missing, if anything. */
    public record Parsed(AdmissionRequest request, String problem) implements Outcome {}

    private final ObjectMapper mapper;

    public ReviewCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Outcome parse(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            return new Malformed("the body is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Malformed("the body must be a JSON object of kind AdmissionReview");
        }
        if (!"AdmissionReview".equals(root.path("kind").asText())
                || !API_VERSION.equals(root.path("apiVersion").asText())) {
            return new Malformed("expected apiVersion " + API_VERSION + " and kind AdmissionReview, got apiVersion "
                    + SpecFields.quote(root.path("apiVersion").asText("")) + " kind "
                    + SpecFields.quote(root.path("kind").asText(""))
                    + " (set admissionReviewVersions: [v1] in the webhook configuration)");
        }
        JsonNode req = root.path("request");
        if (!req.isObject()) {
            return new Malformed("request is missing: an AdmissionReview sent to a webhook carries a request");
        }
        String uid = req.path("uid").asText("");
        if (uid.isEmpty()) {
            return new Malformed("request.uid is missing: the response must echo it");
        }
        String operation = req.path("operation").asText("");
        JsonNode kind = req.path("kind");
        JsonNode object = req.path("object").isObject() ? req.path("object") : null;
        JsonNode oldObject = req.path("oldObject").isObject() ? req.path("oldObject") : null;
        List<String> groups = new ArrayList<>();
        req.path("userInfo").path("groups").forEach(g -> groups.add(g.asText()));
        AdmissionRequest request = new AdmissionRequest(
                uid,
                operation,
                kind.path("group").asText(""),
                kind.path("version").asText(""),
                kind.path("kind").asText(""),
                req.path("resource").path("resource").asText(""),
                req.path("subResource").asText(""),
                req.path("namespace").asText(""),
                req.path("name").asText(""),
                req.path("userInfo").path("username").asText(""),
                groups,
                object,
                oldObject,
                req.path("dryRun").asBoolean(false),
                root);
        String problem = null;
        if (!OPERATIONS.contains(operation)) {
            problem = "request.operation " + SpecFields.quote(operation)
                    + " is not one of CREATE, UPDATE, DELETE, CONNECT";
        } else if (!kind.isObject() || request.kind().isEmpty()) {
            problem = "request.kind is missing: cannot tell which rules apply";
        } else if (("CREATE".equals(operation) || "UPDATE".equals(operation)) && object == null) {
            problem = "request.object is missing: a " + operation + " review must carry the object";
        } else if ("UPDATE".equals(operation) && oldObject == null) {
            problem = "request.oldObject is missing: an UPDATE review must carry the object before the change";
        }
        return new Parsed(request, problem);
    }

    /** The response document for a decision. */
    public byte[] encode(String uid, Verdict verdict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("apiVersion", API_VERSION);
            g.writeStringField("kind", "AdmissionReview");
            g.writeObjectFieldStart("response");
            g.writeStringField("uid", uid);
            g.writeBooleanField("allowed", verdict.allowed());
            if (!verdict.allowed()) {
                g.writeObjectFieldStart("status");
                g.writeNumberField("code", 403);
                g.writeStringField("reason", "Forbidden");
                g.writeStringField("message", verdict.message());
                g.writeEndObject();
            }
            if (!verdict.warnings().isEmpty()) {
                g.writeArrayFieldStart("warnings");
                for (String w : verdict.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String firstLine(String m) {
        String s = String.valueOf(m);
        int nl = s.indexOf('\n');
        return SpecFields.cut(nl < 0 ? s : s.substring(0, nl));
    }
}

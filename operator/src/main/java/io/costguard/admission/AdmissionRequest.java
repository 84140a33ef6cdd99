package io.costguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionReview request that the rules read. {@code object} is null
 * on DELETE, {@code oldObject} on CREATE; {@code subResource} is "" unless the request is for one (e.g. "scale");
 * {@code review} is the whole AdmissionReview, as OPA receives it.
 */
public record AdmissionRequest(
        String uid,
        String operation,
        String group,
        String version,
        String kind,
        String resource,
        String subResource,
        String namespace,
        String name,
        String user,
        List<String> userGroups,
        JsonNode object,
        JsonNode oldObject,
        boolean dryRun,
        JsonNode review) {

    public AdmissionRequest {
        userGroups = List.copyOf(userGroups);
    }

    /**
     * The group of the resource the request is for ({@code request.resource.group}): "apps" for deployments/scale,
     * whose {@code kind} is autoscaling's Scale; "" when the review does not say.
     */
    public String resourceGroup() {
        return review == null
                ? ""
                : review.path("request").path("resource").path("group").asText("");
    }

    /** "Deployment team-a/api", for messages. */
    public String describe() {
        String n = name;
        if ((n == null || n.isEmpty()) && object != null) {
            n = object.path("metadata").path("name").asText("");
            if (n.isEmpty()) {
                n = object.path("metadata").path("generateName").asText("") + "*";
            }
        }
        return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + n;
    }
}

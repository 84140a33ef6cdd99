package io.costguard.flags;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.costguard.api.FeatureFlagRef;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Reads and sets a feature flag's default variant, in an OpenFeature operator {@code FeatureFlag}
 * ({@code spec.flagSpec.flags.<key>}) or in a flagd JSON document held in a ConfigMap key. Targeting rules
 * override the default variant, so setting one also sets (or removes) the targeting. Every write is a
 * JSON merge patch under the field manager {@code costguard}, so GitOps tools can ignore it.
 */
public final class FlagSwitch {
    public static final String FIELD_MANAGER = "costguard";
    static final String FEATURE_FLAG_API = "core.openfeature.dev/v1beta1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    public FlagSwitch(KubernetesClient client) {
        this.client = client;
    }

    /** A flag's default variant and targeting (null when it has none). */
    public record FlagState(String defaultVariant, JsonNode targeting) {}

    public FlagState read(String namespace, FeatureFlagRef ref) throws FlagException {
        JsonNode flag = flagNode(document(namespace, ref), ref);
        JsonNode targeting = flag.get("targeting");
        return new FlagState(
                flag.path("defaultVariant").asText(null),
                targeting == null || targeting.isNull() || (targeting.isObject() && targeting.isEmpty())
                        ? null
                        : targeting);
    }

    /** Sets the default variant and the targeting (null removes it); checks that the variant exists. */
    public void set(String namespace, FeatureFlagRef ref, String variant, JsonNode targeting) throws FlagException {
        Document doc = document(namespace, ref);
        JsonNode flag = flagNode(doc, ref);
        JsonNode variants = flag.get("variants");
        if (variants != null && variants.isObject() && !variants.has(variant)) {
            throw new FlagException(
                    where(ref) + ": variant '" + variant + "' is not one of the flag's variants " + names(variants));
        }
        try {
            if ("FeatureFlag".equals(ref.kind)) {
                ObjectNode patch = JSON.createObjectNode();
                ObjectNode f = patch.putObject("spec")
                        .putObject("flagSpec")
                        .putObject("flags")
                        .putObject(ref.flagKey);
                f.put("defaultVariant", variant);
                f.set("targeting", targeting == null ? JSON.nullNode() : targeting);
                client.genericKubernetesResources(FEATURE_FLAG_API, "FeatureFlag")
                        .inNamespace(namespace)
                        .withName(ref.name)
                        .patch(mergePatch(), patch.toString());
            } else {
                ObjectNode updated = ((ObjectNode) doc.root()).deepCopy();
                ObjectNode f = (ObjectNode) updated.path("flags").path(ref.flagKey);
                f.put("defaultVariant", variant);
                if (targeting == null) {
                    f.remove("targeting");
                } else {
                    f.set("targeting", targeting);
                }
                ObjectNode patch = JSON.createObjectNode();
                // the resourceVersion makes the write fail rather than overwrite a change made since we read
                patch.putObject("metadata").put("resourceVersion", doc.resourceVersion());
                patch.putObject("data")
                        .put(ref.key, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(updated));
                client.configMaps().inNamespace(namespace).withName(ref.name).patch(mergePatch(), patch.toString());
            }
        } catch (KubernetesClientException e) {
            throw new FlagException(where(ref) + ": the API refused the change (" + e.getCode() + " "
                    + firstLine(e.getMessage()) + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FlagException(where(ref) + ": cannot write the flagd document: " + e.getOriginalMessage());
        }
    }

    private record Document(JsonNode root, String resourceVersion) {}

    private Document document(String namespace, FeatureFlagRef ref) throws FlagException {
        try {
            if ("FeatureFlag".equals(ref.kind)) {
                GenericKubernetesResource ff = client.genericKubernetesResources(FEATURE_FLAG_API, "FeatureFlag")
                        .inNamespace(namespace)
                        .withName(ref.name)
                        .get();
                if (ff == null) {
                    throw new FlagException(where(ref) + " does not exist in namespace " + namespace);
                }
                JsonNode root = JSON.valueToTree(ff.getAdditionalProperties())
                        .path("spec")
                        .path("flagSpec");
                return new Document(root, ff.getMetadata().getResourceVersion());
            }
            ConfigMap cm = client.configMaps()
                    .inNamespace(namespace)
                    .withName(ref.name)
                    .get();
            if (cm == null) {
                throw new FlagException(where(ref) + " does not exist in namespace " + namespace);
            }
            String text = cm.getData() == null ? null : cm.getData().get(ref.key);
            if (text == null) {
                throw new FlagException(where(ref) + " has no key '" + ref.key + "'");
            }
            try {
                return new Document(JSON.readTree(text), cm.getMetadata().getResourceVersion());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new FlagException(
                        where(ref) + " key '" + ref.key + "' is not a flagd JSON document: " + e.getOriginalMessage());
            }
        } catch (KubernetesClientException e) {
            throw new FlagException(
                    where(ref) + ": cannot read it (" + e.getCode() + " " + firstLine(e.getMessage()) + ")");
        }
    }

    private static JsonNode flagNode(Document doc, FeatureFlagRef ref) throws FlagException {
        JsonNode flag = doc.root().path("flags").path(ref.flagKey);
        if (!flag.isObject()) {
            throw new FlagException(where(ref) + " has no flag '" + ref.flagKey + "'");
        }
        return flag;
    }

    private static PatchContext mergePatch() {
        return new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(FIELD_MANAGER)
                .build();
    }

    private static String where(FeatureFlagRef ref) {
        return ref.kind + " " + ref.name + ("ConfigMap".equals(ref.kind) ? " (key " + ref.key + ")" : "");
    }

    private static String names(JsonNode variants) {
        StringBuilder b = new StringBuilder("[");
        variants.fieldNames()
                .forEachRemaining(n -> b.append(b.length() > 1 ? ", " : "").append(n));
        return b.append("]").toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

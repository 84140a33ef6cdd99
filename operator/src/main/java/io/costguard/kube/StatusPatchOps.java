package io.costguard.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The JSON Patch (RFC 6902) that turns the status read into the status wanted, one operation per top-level field that
 * differs: {@code add} (which replaces) for a changed or new field, {@code remove} for one the wanted status leaves
 * out. A field set to null counts as left out. Fields another writer owns are never named, so its newer value stays;
 * a status that was not there is added whole (without those fields).
 */
public final class StatusPatchOps {
    private StatusPatchOps() {}

    public static ArrayNode between(JsonNode read, JsonNode wanted, Set<String> othersWrite) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        if (read == null || !read.isObject()) {
            ObjectNode whole = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (present(field.getValue()) && !othersWrite.contains(field.getKey())) {
                    whole.set(field.getKey(), field.getValue());
                }
            }
            ops.addObject().put("op", "add").put("path", "/status").set("value", whole);
            return ops;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (othersWrite.contains(name) || !present(value) || value.equals(read.get(name))) {
                continue;
            }
            ops.addObject().put("op", "add").put("path", path(name)).set("value", value);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = read.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (othersWrite.contains(name) || !present(field.getValue()) || present(wanted.get(name))) {
                continue;
            }
            ops.addObject().put("op", "remove").put("path", path(name));
        }
        return ops;
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /** The JSON Pointer of a status field: {@code ~} and {@code /} escaped as RFC 6901 says. */
    static String path(String field) {
        return "/status/" + field.replace("~", "~0").replace("/", "~1");
    }
}

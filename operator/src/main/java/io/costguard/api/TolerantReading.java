package io.costguard.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import java.io.IOException;

/**
 * How the spec and status of costguard's kinds are read from the API server, wherever fabric8 or JOSDK read them
 * (informer lists and watches, gets, clones): a part that does not fit its type becomes an empty {@link Readable}
 * that names the field and the fix, instead of an exception that fails the informer's whole list and with it every
 * object of the kind. The reconciler reports such an object and skips it.
 */
public final class TolerantReading {
    private TolerantReading() {}

    /** Reads the property's type as usual; on a mapping failure, an unreadable instance with the problem. */
    public static final class Deserializer extends JsonDeserializer<Readable> implements ContextualDeserializer {
        private final JavaType type;
        private final String root;
        private final String kind;

        public Deserializer() {
            this(null, null, null);
        }

        private Deserializer(JavaType type, String root, String kind) {
            this.type = type;
            this.root = root;
            this.kind = kind;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            JavaType t = property == null ? ctxt.getContextualType() : property.getType();
            String kind = property == null
                    ? "resource"
                    : property.getMember().getDeclaringClass().getSimpleName();
            return new Deserializer(t, property == null ? "spec" : property.getName(), kind);
        }

        /**
         * The part is kept as Jackson's token buffer, not a tree: every parse and copy of an object comes through here,
         * and the tree (a map per JSON object) is only needed to describe a part that does not fit.
         */
        @Override
        public Readable deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            TokenBuffer buffered = ctxt.bufferAsCopyOfValue(p);
            try (JsonParser copy = buffered.asParserOnFirstToken()) {
                return (Readable) ctxt.readValue(copy, type);
            } catch (JsonMappingException e) {
                JsonNode node;
                try (JsonParser again = buffered.asParserOnFirstToken()) {
                    node = ctxt.readTree(again);
                }
                Readable empty;
                try {
                    empty = (Readable)
                            type.getRawClass().getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException impossible) {
                    throw new IllegalStateException(type + " needs a public no-argument constructor", impossible);
                }
                empty.markUnreadable(SpecReading.problem(e, node, root, kind), node);
                return empty;
            }
        }
    }

    /**
     * Copies resources as JOSDK does before each reconcile and each status patch, keeping the unreadable spec or
     * status of costguard's kinds, which a copy through JSON would turn into an empty, readable one. The copy goes
     * through Jackson's token buffer with fabric8's mapper instead of JSON text ({@code KubernetesSerialization.clone}):
     * the same object without writing and parsing the characters.
     */
    public static Cloner cloner(KubernetesSerialization serialization) {
        return new Cloner() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public <R extends HasMetadata> R clone(R resource) {
                R copy = (R) serialization.convertValue(resource, resource.getClass());
                if (resource instanceof CustomResource original && copy instanceof CustomResource c) {
                    if (original.getSpec() instanceof Readable spec && spec.unreadable() != null) {
                        c.setSpec(spec);
                    }
                    if (original.getStatus() instanceof Readable status && status.unreadable() != null) {
                        c.setStatus(status);
                    }
                }
                return copy;
            }
        };
    }
}

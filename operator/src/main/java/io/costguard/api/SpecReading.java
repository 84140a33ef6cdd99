package io.costguard.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reading a spec (or status) document as its Java type, and saying in the user's words why it cannot be read: the
 * field path ({@code spec.thresholds[0]}), what is there, what belongs there ("an object", "a list", "a number", "a
 * string") and the fix. Never a Java type name or a parser message.
 */
public final class SpecReading {
    private SpecReading() {}

    /** The value, or the problem (never both). */
    public record Outcome<T>(T value, SpecProblem problem) {}

    /**
     * {@code node} read as {@code type}, fields this version does not know refused; {@code root} is the path of
     * {@code node} ("spec") and {@code kind} the resource's kind, for the {@code kubectl explain} hint.
     */
    public static <T> Outcome<T> read(ObjectMapper mapper, JsonNode node, Class<T> type, String root, String kind) {
        try {
            return new Outcome<>(
                    mapper.readerFor(type)
                            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                            .readValue(node),
                    null);
        } catch (JsonMappingException e) {
            return new Outcome<>(null, problem(e, node, root, kind));
        } catch (java.io.IOException e) {
            return new Outcome<>(
                    null,
                    new SpecProblem(root, "cannot be read; check it against kubectl explain " + explain(kind, root)));
        }
    }

    /** Why {@code node} (found at {@code root}) could not be read, from the mapping failure Jackson reported. */
    public static SpecProblem problem(JsonMappingException e, JsonNode node, String root, String kind) {
        StringBuilder path = new StringBuilder(root);
        JsonNode at = node;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append('.').append(SpecFields.cut(r.getFieldName()));
                at = at == null ? null : at.get(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
                at = at == null ? null : at.get(r.getIndex());
            }
        }
        String field = path.toString();
        String explain = "kubectl explain " + explain(kind, field);
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds() == null ? java.util.List.of() : u.getKnownPropertyIds();
            String parent = field.contains(".") ? field.substring(0, field.lastIndexOf('.')) : root;
            return new SpecProblem(
                    field,
                    "is not a field this costguard version knows (misspelt, or written for a newer version); remove it"
                            + (known.isEmpty()
                                    ? ""
                                    : ", or use one of "
                                            + SpecFields.cut(known.stream()
                                                    .map(String::valueOf)
                                                    .sorted()
                                                    .collect(Collectors.joining(", "))))
                            + " (kubectl explain " + explain(kind, parent) + ")");
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String expected = expected(m.getTargetType());
            String found = e instanceof InvalidFormatException f && f.getValue() != null && at == null
                    ? SpecFields.quote(f.getValue())
                    : found(at);
            return new SpecProblem(
                    field,
                    "is " + found + ", but " + expected + " belongs here; write " + expected + " (" + explain + ")");
        }
        return new SpecProblem(
                field,
                "cannot be read" + (at == null ? "" : " (it is " + found(at) + ")") + "; check it against " + explain);
    }

    /** What the user wrote, in words: "a list", "an object", "the string 'x'", "the number 3". */
    static String found(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isTextual()) {
            return "the string " + SpecFields.quote(n.asText());
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asText();
        }
        if (n.isNumber()) {
            return "the number " + SpecFields.cut(n.asText());
        }
        return n.isNull() ? "null" : "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** What belongs where a value of {@code type} is read, in the words of a YAML writer. */
    static String expected(Class<?> type) {
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object (key: value pairs)";
        }
        return "an object";
    }

    /** {@code costbudget.spec.thresholds} for {@code kubectl explain}: lower-case kind, no list indices. */
    private static String explain(String kind, String field) {
        return kind.toLowerCase(java.util.Locale.ROOT) + "." + field.replaceAll("\\[[0-9]+]", "");
    }
}

package io.costguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** {@code -o table|json|yaml}: the table for people, JSON or YAML of the same records for scripts. */
enum OutputFormat {
    table,
    json,
    yaml;

    /** The value as JSON or YAML (for {@code table} the caller renders its own table). */
    String write(Object value) {
        ObjectMapper mapper = this == yaml
                ? new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                : new ObjectMapper();
        try {
            String text = mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
            return text.endsWith("\n") ? text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

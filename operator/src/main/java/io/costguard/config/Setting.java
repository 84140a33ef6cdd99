package io.costguard.config;

import java.util.function.Function;

/**
 * One operator setting: its YAML path in the config file, its environment variable (which wins; null when the
 * setting is file only), its default, how its text is read, and what it is for. {@link Settings} lists them all.
 */
public record Setting<T>(
        String key,
        String env,
        String fallback,
        Function<String, T> parse,
        Shape shape,
        Where where,
        String description) {

    /** What the value looks like. */
    public enum Shape {
        /** One value, parsed by {@link #parse}. */
        VALUE,
        /** A YAML list, or comma-separated in the environment. */
        LIST,
        /** A YAML mapping (headers: Name=value pairs in the environment). */
        MAP,
        /** A YAML list of objects, file only. */
        OBJECTS
    }

    /** Who sets it in a Helm install. */
    public enum Where {
        /** The chart's {@code config:} block (values.schema.json lists it). */
        CONFIG,
        /** The chart sets the environment variable from its own values (webhook, namespace). */
        CHART_ENV,
        /** Never set by the chart: for tests. */
        TESTING
    }

    static <T> Setting<T> value(
            String key, String env, String fallback, Where where, String description, Function<String, T> parse) {
        return new Setting<>(key, env, fallback, parse, Shape.VALUE, where, description);
    }

    static Setting<Void> structured(String key, String env, Shape shape, Where where, String description) {
        return new Setting<>(key, env, null, null, shape, where, description);
    }
}

package io.costguard.cost;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One combination of namespace and allocation-label values; {@code values} follow the configured key
 * order, with "" where a pod lacks the key. Cost with any key missing is unattributed.
 */
public record AllocationKey(String namespace, List<String> values) {
    public AllocationKey {
        values = List.copyOf(values);
    }

    public boolean unattributed() {
        return values.contains("");
    }

    /** What an allocation label value must be when no pattern is configured for its key. */
    public static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    /**
     * Whether the label rule admits {@code value} for a key: it matches the key's configured {@code pattern}, or, with
     * none, it is a lower-case DNS label of at most 63 characters. A value it refuses is one no checked pod carries.
     */
    public static boolean admitted(String value, Pattern pattern) {
        return pattern != null
                ? pattern.matcher(value).matches()
                : value.length() <= 63 && DNS_LABEL.matcher(value).matches();
    }
}

package io.costguard.cost;

import java.util.List;

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
}

package io.costguard.admission;

import java.util.Map;

/**
 * The workload a {@code /scale} request scales, as the webhook's cache knows it. The Scale object itself carries
 * only a replica count and the workload's selector, so the freeze judges the workload: its pod-template labels,
 * whether a controller owns it, and its break-glass annotations ("" when unset).
 */
public sealed interface ScaleTarget {
    record Known(Map<String, String> podLabels, boolean controlled, String breakGlass, String breakGlassUntil)
            implements ScaleTarget {
        public Known {
            podLabels = Map.copyOf(podLabels);
        }
    }

    /** The cache cannot say (still loading, kind or namespace not watched, object not seen yet): {@code why}, for the message. */
    record Unknown(String why) implements ScaleTarget {}

    /** Finds the workload of a kind by namespace and name, in memory. */
    @FunctionalInterface
    interface Lookup {
        ScaleTarget find(Workloads.Kind kind, String namespace, String name);
    }
}

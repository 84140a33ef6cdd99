package io.costguard.api;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/** The custom resource kinds this operator defines. */
public final class CustomResourceKinds {
    public static final List<Class<? extends CustomResource<?, ?>>> ALL =
            List.of(CostBudget.class, PerfBaseline.class, BenchRun.class);

    private CustomResourceKinds() {}
}

package io.costguard.cost;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.util.Set;

/** Triggers a reconcile of every primary resource after each cost cycle, so all budgets see new data at once. */
public final class CostCycleEventSource<P extends HasMetadata> extends AbstractEventSource<DataStatus, P> {
  private final Cache<P> primaries;

  public CostCycleEventSource(CostCollector collector, Cache<P> primaries) {
    super(DataStatus.class, "cost-cycle");
    this.primaries = primaries;
    collector.onCycle(status -> {
      if (isRunning()) {
        primaries.keys().forEach(id -> getEventHandler().handleEvent(new Event(id)));
      }
    });
  }

  @Override
  public Set<DataStatus> getSecondaryResources(P primary) {
    return Set.of();
  }
}

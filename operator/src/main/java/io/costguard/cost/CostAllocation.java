package io.costguard.cost;

import io.costguard.config.OperatorConfig;
import io.costguard.config.OperatorConfig.IdleMode;
import io.costguard.config.OperatorConfig.SharedCost;
import io.costguard.config.ShareDriver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shared and idle cost of every hour the ledger holds, split hour by hour ({@link SharedCostSplit}) from the
 * ledger's own cost and the cycle's auxiliary reads: no query of its own. The result is a snapshot of four ledgers
 * keyed like the cost ledger: {@code removed} (cost a shared entry selected, taken from its own keys),
 * {@code shared} and {@code sharedIdle} (what each key receives), and {@code idle} (idle shown as its own bucket,
 * under the key of namespace "" with every value "").
 *
 * <p>A share goes to the value's keys in proportion to their direct cost in the hour; a value with a Query share and
 * no direct cost in the hour keeps it under namespace "" (reports count it, namespace budgets cannot). A split
 * nobody takes part in leaves the cost where it was. The unattributed bucket takes no share.
 */
public final class CostAllocation {
  /** Hours allocated in one pass, to bound the memory of a catch-up read. */
  static final int CHUNK_HOURS = 7 * 24;

  private final OperatorConfig.Attribution attribution;
  private final List<String> keyNames;
  private volatile Snapshot snapshot;

  /**
   * The allocation of [fromHour, toHour): ledgers as above, and per shared entry the hours its Query driver had no
   * data and fell back to Weighted.
   */
  public record Snapshot(long fromHour, long toHour, HourlyCostLedger removed, HourlyCostLedger shared,
      HourlyCostLedger sharedIdle, HourlyCostLedger idle, Map<String, Integer> fallbackHours) {
    public Snapshot {
      fallbackHours = Map.copyOf(fallbackHours);
    }

    /** The key idle shown as its own bucket is kept under. */
    public static AllocationKey idleKey(int keys) {
      return new AllocationKey("", java.util.Collections.nCopies(keys, ""));
    }
  }

  public CostAllocation(OperatorConfig.Attribution attribution, List<String> keyNames) {
    this.attribution = attribution;
    this.keyNames = List.copyOf(keyNames);
    this.snapshot = empty(0, 0);
  }

  public OperatorConfig.Attribution attribution() {
    return attribution;
  }

  /** The newest allocation; empty until the first cycle. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Spend of {@code scope} over [from, to): direct (less what shared entries took) and shared (shares and idle). */
  public record Spend(double direct, double shared) {}

  public Spend spend(HourlyCostLedger ledger, Scope scope, Instant from, Instant to) {
    Snapshot s = snapshot;
    double direct = ledger.spend(scope, from, to) - s.removed().spend(scope, from, to);
    double shared = s.shared().spend(scope, from, to) + s.sharedIdle().spend(scope, from, to);
    return new Spend(Math.max(0, direct), shared);
  }

  /**
   * Allocates [fromHour, toHour) anew from {@code ledger} and the auxiliary ledgers (node cost under
   * {@link CostQueries#NODES}, Query drivers under {@link CostQueries#driverSource}).
   */
  public Snapshot update(HourlyCostLedger ledger, Map<String, HourlyCostLedger> auxiliary, long fromHour, long toHour) {
    Snapshot next = empty(fromHour, toHour);
    Map<String, Integer> fallbacks = new HashMap<>();
    for (long a = fromHour; a < toHour; a += CHUNK_HOURS) {
      allocate(ledger, auxiliary, a, Math.min(toHour, a + CHUNK_HOURS), next, fallbacks);
    }
    next = new Snapshot(fromHour, toHour, next.removed(), next.shared(), next.sharedIdle(), next.idle(), fallbacks);
    snapshot = next;
    return next;
  }

  private Snapshot empty(long from, long to) {
    return new Snapshot(from, to, new HourlyCostLedger(keyNames), new HourlyCostLedger(keyNames),
        new HourlyCostLedger(keyNames), new HourlyCostLedger(keyNames), Map.of());
  }

  private void allocate(HourlyCostLedger ledger, Map<String, HourlyCostLedger> auxiliary, long from, long to,
      Snapshot out, Map<String, Integer> fallbacks) {
    int hours = (int) (to - from);
    Set<String> namespaces = new TreeSet<>();
    if (!attribution.shared().isEmpty() || attribution.idle() == IdleMode.Share) {
      ledger.costByKey(Instant.ofEpochSecond(from * 3600), Instant.ofEpochSecond(to * 3600)).keySet()
          .forEach(k -> namespaces.add(k.namespace()));
    }
    long[] bounds = new long[hours + 1];
    for (int i = 0; i <= hours; i++) {
      bounds[i] = from + i;
    }
    // per-key work only when something is split; showing idle needs the totals alone
    boolean perKey = !attribution.shared().isEmpty() || attribution.idle() == IdleMode.Share;
    Map<AllocationKey, double[]> byKey = perKey ? ledger.costByKey(new Scope(namespaces, Map.of()), bounds) : Map.of();
    double[] compute = ledger.sourceHourly(CostQueries.COMPUTE, from, to);
    HourlyCostLedger nodeLedger = auxiliary.get(CostQueries.NODES);
    double[] nodes = nodeLedger == null ? new double[hours] : nodeLedger.sourceHourly(CostQueries.NODES, from, to);
    Map<String, Map<String, double[]>> queryShares = new HashMap<>();
    for (SharedCost e : attribution.shared()) {
      HourlyCostLedger aux = auxiliary.get(CostQueries.driverSource(e.name()));
      Map<String, double[]> perValue = new HashMap<>();
      if (aux != null) {
        aux.costByKey(new Scope(Set.of(""), Map.of()), bounds).forEach((k, v) -> perValue.put(k.values().get(0), v));
      }
      queryShares.put(e.name(), perValue);
    }
    Writes removed = new Writes(from);
    Writes shared = new Writes(from);
    Writes sharedIdle = new Writes(from);
    Writes idle = new Writes(from);
    for (int i = 0; i < hours; i++) {
      Hour hour = new Hour();
      for (Map.Entry<AllocationKey, double[]> e : byKey.entrySet()) {
        hour.add(e.getKey(), e.getValue()[i]);
      }
      for (SharedCost entry : attribution.shared()) {
        List<AllocationKey> pool = hour.pools.getOrDefault(entry.name(), List.of());
        if (pool.isEmpty()) {
          continue;
        }
        double cost = 0;
        for (AllocationKey k : pool) {
          cost += hour.costs.get(k);
        }
        Map<String, Double> query = new HashMap<>();
        for (Map.Entry<String, double[]> q : queryShares.get(entry.name()).entrySet()) {
          query.put(q.getKey(), q.getValue()[i]);
        }
        SharedCostSplit.Split split = SharedCostSplit.split(cost, entry.driver(),
            entry.weights(), hour.directByValue(entry.splitBy()), query);
        if (split.fellBack()) {
          fallbacks.merge(entry.name(), 1, Integer::sum);
        }
        for (AllocationKey k : pool) {
          double c = hour.costs.get(k);
          // a split nobody takes part in leaves the cost on its own keys
          removed.add(k, i, c - split.unallocated() * c / cost);
        }
        hour.give(shared, entry.splitBy(), split.shares(), i);
      }
      if (attribution.idle() != IdleMode.Hide && nodes[i] > 0) {
        double idleCost = SharedCostSplit.idle(nodes[i], compute[i]);
        String splitBy = keyNames.get(0);
        SharedCostSplit.Split split = attribution.idle() == IdleMode.Share
            ? SharedCostSplit.split(idleCost, ShareDriver.Weighted, Map.of(), hour.directByValue(splitBy), Map.of())
            : null;
        if (split != null) {
          hour.give(sharedIdle, splitBy, split.shares(), i);
        }
        double shown = split == null ? idleCost : split.unallocated();
        if (shown > 0) {
          idle.add(Snapshot.idleKey(keyNames.size()), i, shown);
        }
      }
    }
    removed.into(out.removed(), "removed", from, to);
    shared.into(out.shared(), "shared", from, to);
    sharedIdle.into(out.sharedIdle(), "idle", from, to);
    idle.into(out.idle(), "idle", from, to);
  }

  /** One hour's keys: which shared entry takes each, and the direct (attributed, not shared) cost by key value. */
  private final class Hour {
    final Map<AllocationKey, Double> costs = new HashMap<>();
    final Map<String, List<AllocationKey>> pools = new HashMap<>();
    final List<AllocationKey> direct = new ArrayList<>();

    void add(AllocationKey key, double cost) {
      if (cost == 0) {
        return;
      }
      costs.put(key, cost);
      for (SharedCost e : attribution.shared()) {
        if (selects(e, key)) {
          pools.computeIfAbsent(e.name(), n -> new ArrayList<>()).add(key);
          return;
        }
      }
      if (!key.unattributed()) {
        direct.add(key);
      }
    }

    Map<String, Double> directByValue(String splitBy) {
      int idx = keyNames.indexOf(splitBy);
      Map<String, Double> out = new LinkedHashMap<>();
      for (AllocationKey k : direct) {
        out.merge(k.values().get(idx), costs.get(k), Double::sum);
      }
      return out;
    }

    /** Hands each value's share to its direct keys in proportion to their cost, or to namespace "" without any. */
    void give(Writes to, String splitBy, Map<String, Double> shares, int hour) {
      int idx = keyNames.indexOf(splitBy);
      Map<String, Double> byValue = directByValue(splitBy);
      for (Map.Entry<String, Double> share : shares.entrySet()) {
        double total = byValue.getOrDefault(share.getKey(), 0.0);
        if (total > 0) {
          for (AllocationKey k : direct) {
            if (k.values().get(idx).equals(share.getKey())) {
              to.add(k, hour, share.getValue() * costs.get(k) / total);
            }
          }
        } else {
          List<String> values = new ArrayList<>(java.util.Collections.nCopies(keyNames.size(), ""));
          values.set(idx, share.getKey());
          to.add(new AllocationKey("", values), hour, share.getValue());
        }
      }
    }
  }

  private boolean selects(SharedCost e, AllocationKey key) {
    if (!e.namespaces().isEmpty() && !e.namespaces().contains(key.namespace())) {
      return false;
    }
    for (Map.Entry<String, String> s : e.selector().entrySet()) {
      if (!key.values().get(keyNames.indexOf(s.getKey())).equals(s.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Hourly amounts per key collected for one chunk, written to a ledger at once. */
  private static final class Writes {
    private final long from;
    private final Map<AllocationKey, Map<Integer, Double>> values = new LinkedHashMap<>();

    Writes(long from) {
      this.from = from;
    }

    void add(AllocationKey key, int hour, double v) {
      if (v != 0) {
        values.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(hour, v, Double::sum);
      }
    }

    void into(HourlyCostLedger ledger, String source, long fromHour, long toHour) {
      List<HourlyCostLedger.KeyedCosts> costs = new ArrayList<>(values.size());
      values.forEach((key, byHour) -> {
        long[] hours = new long[byHour.size()];
        double[] amounts = new double[byHour.size()];
        int j = 0;
        for (Map.Entry<Integer, Double> e : byHour.entrySet()) {
          hours[j] = from + e.getKey();
          amounts[j++] = e.getValue();
        }
        costs.add(new HourlyCostLedger.KeyedCosts(key, hours, amounts));
      });
      ledger.replace(source, fromHour, toHour, costs);
    }
  }
}

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
 * ledger's own cost and the cycle's auxiliary reads: no query of its own. The result is a snapshot of four parts, each
 * keyed like the cost ledger: {@code REMOVED} (cost a shared entry selected, taken from its own keys),
 * {@code SHARED} and {@code SHARED_IDLE} (what each key receives), and {@code IDLE} (idle shown as its own bucket,
 * under the key of namespace "" with every value "").
 *
 * <p>A share goes to the value's keys in proportion to their direct cost in the hour; a value with a Query share and
 * no direct cost in the hour keeps it under namespace "" (reports count it, namespace budgets cannot). A split
 * nobody takes part in leaves the cost where it was. The unattributed bucket takes no share.
 */
public final class CostAllocation {
    /**
     * Hours held together (a week, on epoch-week boundaries). A week before the newest reads is kept; in the newest
     * week only the hours from the first re-read one are allocated anew, the hours before it are kept.
     */
    static final int CHUNK_HOURS = 7 * 24;

    private final OperatorConfig.Attribution attribution;
    private final List<String> keyNames;
    private volatile Snapshot snapshot = new Snapshot(List.of());

    /** The ledgers of an allocation, each keyed like the cost ledger; see the class comment. */
    public enum Part {
        REMOVED,
        SHARED,
        SHARED_IDLE,
        IDLE
    }

    /**
     * The allocation of hours [from, to): a ledger per part, and per shared entry its hours that fell back. The newest
     * week also keeps its amounts hour by hour ({@code hourly}, else null), from which the next cycle starts.
     */
    record Chunk(
            long from, long to, Map<Part, HourlyCostLedger> parts, Map<String, Integer> fallbackHours, Hourly hourly) {
        Chunk settled() {
            return hourly == null ? this : new Chunk(from, to, parts, fallbackHours, null);
        }
    }

    /** A chunk's amounts per part and key, and per shared entry the hours that fell back, indexed from its start. */
    private record Hourly(Map<Part, Writes> parts, Map<String, boolean[]> fellBack) {
        /** A copy sized for {@code hours}, holding the hours before {@code keep} and nothing after. */
        Hourly keepingBefore(int keep, int hours) {
            Map<Part, Writes> copy = new java.util.EnumMap<>(Part.class);
            parts.forEach((part, w) -> copy.put(part, w.keepingBefore(keep, hours)));
            Map<String, boolean[]> fell = new HashMap<>();
            fellBack.forEach((name, marks) -> {
                boolean[] m = new boolean[hours];
                System.arraycopy(marks, 0, m, 0, Math.min(keep, marks.length));
                fell.put(name, m);
            });
            return new Hourly(copy, fell);
        }

        static Hourly empty(long from, int hours) {
            Map<Part, Writes> parts = new java.util.EnumMap<>(Part.class);
            for (Part p : Part.values()) {
                parts.put(p, new Writes(from, hours));
            }
            return new Hourly(parts, new HashMap<>());
        }
    }

    /** The newest allocation, in week chunks; reads add up the chunks a range overlaps. */
    public static final class Snapshot {
        private final List<Chunk> chunks;

        Snapshot(List<Chunk> chunks) {
            this.chunks = List.copyOf(chunks);
        }

        /** What {@code part} holds for {@code scope} over [from, to). */
        public double spend(Part part, Scope scope, Instant from, Instant to) {
            double total = 0;
            for (Chunk c : overlapping(from, to)) {
                total += c.parts().get(part).spend(scope, from, to);
            }
            return total;
        }

        /** What {@code part} holds per key over [from, to); keys without any are left out. */
        public Map<AllocationKey, Double> costByKey(Part part, Instant from, Instant to) {
            Map<AllocationKey, Double> out = new LinkedHashMap<>();
            for (Chunk c : overlapping(from, to)) {
                c.parts().get(part).costByKey(from, to).forEach((k, v) -> out.merge(k, v, Double::sum));
            }
            return out;
        }

        /** Hours a shared entry's Query driver returned nothing for, over the whole allocation. */
        public Map<String, Integer> fallbackHours() {
            Map<String, Integer> out = new HashMap<>();
            chunks.forEach(c -> c.fallbackHours().forEach((k, v) -> out.merge(k, v, Integer::sum)));
            return out;
        }

        private List<Chunk> overlapping(Instant from, Instant to) {
            long fromHour = Math.floorDiv(from.getEpochSecond(), 3600);
            long toHour = Math.floorDiv(to.getEpochSecond() + 3599, 3600);
            return chunks.stream()
                    .filter(c -> c.from() < toHour && c.to() > fromHour)
                    .toList();
        }
    }

    /** The key idle shown as its own bucket is kept under: namespace "" with every value "". */
    public static AllocationKey idleKey(int keys) {
        return new AllocationKey("", java.util.Collections.nCopies(keys, ""));
    }

    public CostAllocation(OperatorConfig.Attribution attribution, List<String> keyNames) {
        this.attribution = attribution;
        this.keyNames = List.copyOf(keyNames);
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
        double direct = ledger.spend(scope, from, to) - s.spend(Part.REMOVED, scope, from, to);
        double shared = s.spend(Part.SHARED, scope, from, to) + s.spend(Part.SHARED_IDLE, scope, from, to);
        return new Spend(Math.max(0, direct), shared);
    }

    /**
     * Allocates [fromHour, toHour) from {@code ledger} and the auxiliary ledgers (node cost under
     * {@link CostQueries#NODES}, Query drivers under {@link CostQueries#driverSource}). Weeks allocated before over the
     * same hours and ending before {@code changedFrom} (the first hour any source re-read) are kept as they were.
     */
    public Snapshot update(
            HourlyCostLedger ledger,
            Map<String, HourlyCostLedger> auxiliary,
            long fromHour,
            long toHour,
            long changedFrom) {
        Map<Long, Chunk> previous = new HashMap<>();
        snapshot.chunks.forEach(c -> previous.put(Math.floorDiv(c.from(), CHUNK_HOURS), c));
        List<Chunk> chunks = new ArrayList<>();
        long newestWeek = Math.floorDiv(toHour - 1, CHUNK_HOURS);
        for (long week = Math.floorDiv(fromHour, CHUNK_HOURS); week * CHUNK_HOURS < toHour; week++) {
            long a = Math.max(fromHour, week * CHUNK_HOURS);
            long b = Math.min(toHour, (week + 1) * CHUNK_HOURS);
            boolean newest = week == newestWeek;
            Chunk old = previous.get(week);
            if (old != null && old.from() == a && old.to() == b && b <= changedFrom) {
                chunks.add(newest ? old : old.settled());
            } else if (old != null && old.hourly() != null && old.from() == a && old.to() <= b) {
                long start = Math.max(a, Math.min(changedFrom, old.to()));
                chunks.add(allocate(ledger, auxiliary, a, b, start, old.hourly(), newest));
            } else {
                chunks.add(allocate(ledger, auxiliary, a, b, a, null, newest));
            }
        }
        snapshot = new Snapshot(chunks);
        return snapshot;
    }

    /** As {@link #update(HourlyCostLedger, Map, long, long, long)}, allocating every hour anew. */
    public Snapshot update(
            HourlyCostLedger ledger, Map<String, HourlyCostLedger> auxiliary, long fromHour, long toHour) {
        snapshot = new Snapshot(List.of());
        return update(ledger, auxiliary, fromHour, toHour, fromHour);
    }

    /**
     * The chunk [chunkFrom, to): hours before {@code from} as {@code kept} holds them, hours from {@code from} allocated
     * from the ledgers. With {@code keepHourly} the chunk keeps its hour-by-hour amounts for the next cycle.
     */
    private Chunk allocate(
            HourlyCostLedger ledger,
            Map<String, HourlyCostLedger> auxiliary,
            long chunkFrom,
            long to,
            long from,
            Hourly kept,
            boolean keepHourly) {
        int span = (int) (to - chunkFrom);
        int offset = (int) (from - chunkFrom);
        Hourly out = kept == null ? Hourly.empty(chunkFrom, span) : kept.keepingBefore(offset, span);
        int hours = (int) (to - from);
        Set<String> namespaces = new TreeSet<>();
        if (!attribution.shared().isEmpty() || attribution.idle() == IdleMode.Share) {
            ledger.costByKey(Instant.ofEpochSecond(from * 3600), Instant.ofEpochSecond(to * 3600))
                    .keySet()
                    .forEach(k -> namespaces.add(k.namespace()));
        }
        long[] bounds = new long[hours + 1];
        for (int i = 0; i <= hours; i++) {
            bounds[i] = from + i;
        }
        // per-key work only when something is split; showing idle needs the totals alone
        boolean perKey = !attribution.shared().isEmpty() || attribution.idle() == IdleMode.Share;
        Map<AllocationKey, double[]> byKey =
                perKey ? ledger.costByKey(new Scope(namespaces, Map.of()), bounds) : Map.of();
        double[] compute = ledger.sourceHourly(CostQueries.COMPUTE, from, to);
        HourlyCostLedger nodeLedger = auxiliary.get(CostQueries.NODES);
        double[] nodes = nodeLedger == null ? new double[hours] : nodeLedger.sourceHourly(CostQueries.NODES, from, to);
        Map<String, Map<String, double[]>> queryShares = new HashMap<>();
        for (SharedCost e : attribution.shared()) {
            HourlyCostLedger aux = auxiliary.get(CostQueries.driverSource(e.name()));
            Map<String, double[]> perValue = new HashMap<>();
            if (aux != null) {
                aux.costByKey(new Scope(Set.of(""), Map.of()), bounds)
                        .forEach((k, v) -> perValue.put(k.values().get(0), v));
            }
            queryShares.put(e.name(), perValue);
        }
        Writes removed = out.parts().get(Part.REMOVED).at(offset);
        Writes shared = out.parts().get(Part.SHARED).at(offset);
        Writes sharedIdle = out.parts().get(Part.SHARED_IDLE).at(offset);
        Writes idle = out.parts().get(Part.IDLE).at(offset);
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
                for (Map.Entry<String, double[]> q :
                        queryShares.get(entry.name()).entrySet()) {
                    query.put(q.getKey(), q.getValue()[i]);
                }
                SharedCostSplit.Split split = SharedCostSplit.split(
                        cost, entry.driver(), entry.weights(), hour.directByValue(entry.splitBy()), query);
                if (split.fellBack()) {
                    out.fellBack().computeIfAbsent(entry.name(), n -> new boolean[span])[offset + i] = true;
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
                        ? SharedCostSplit.split(
                                idleCost, ShareDriver.Weighted, Map.of(), hour.directByValue(splitBy), Map.of())
                        : null;
                if (split != null) {
                    hour.give(sharedIdle, splitBy, split.shares(), i);
                }
                double shown = split == null ? idleCost : split.unallocated();
                if (shown > 0) {
                    idle.add(idleKey(keyNames.size()), i, shown);
                }
            }
        }
        Map<Part, HourlyCostLedger> parts = new java.util.EnumMap<>(Part.class);
        out.parts().forEach((part, w) -> parts.put(part, w.into(keyNames, chunkFrom, to)));
        Map<String, Integer> fallbacks = new HashMap<>();
        out.fellBack().forEach((name, marks) -> {
            int n = 0;
            for (boolean m : marks) {
                n += m ? 1 : 0;
            }
            if (n > 0) {
                fallbacks.put(name, n);
            }
        });
        return new Chunk(chunkFrom, to, parts, fallbacks, keepHourly ? out : null);
    }

    /** One hour's keys: which shared entry takes each, and the direct (attributed, not shared) cost by key value. */
    private final class Hour {
        final Map<AllocationKey, Double> costs = new HashMap<>();
        final Map<String, List<AllocationKey>> pools = new HashMap<>();
        final List<AllocationKey> direct = new ArrayList<>();
        final Map<String, Map<String, List<AllocationKey>>> keysByValue = new HashMap<>();
        final Map<String, Map<String, Double>> costByValue = new HashMap<>();

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
            return costByValue.computeIfAbsent(splitBy, k -> {
                int idx = keyNames.indexOf(k);
                Map<String, Double> out = new LinkedHashMap<>();
                Map<String, List<AllocationKey>> groups = new HashMap<>();
                for (AllocationKey key : direct) {
                    out.merge(key.values().get(idx), costs.get(key), Double::sum);
                    groups.computeIfAbsent(key.values().get(idx), v -> new ArrayList<>())
                            .add(key);
                }
                keysByValue.put(k, groups);
                return out;
            });
        }

        /** Hands each value's share to its direct keys in proportion to their cost, or to namespace "" without any. */
        void give(Writes to, String splitBy, Map<String, Double> shares, int hour) {
            int idx = keyNames.indexOf(splitBy);
            Map<String, Double> byValue = directByValue(splitBy);
            Map<String, List<AllocationKey>> groups = keysByValue.get(splitBy);
            for (Map.Entry<String, Double> share : shares.entrySet()) {
                double total = byValue.getOrDefault(share.getKey(), 0.0);
                if (total > 0) {
                    for (AllocationKey k : groups.get(share.getKey())) {
                        to.add(k, hour, share.getValue() * costs.get(k) / total);
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

    /**
     * Hourly amounts per key collected for one chunk, written to a new ledger at once. {@link #at} gives a view that
     * writes hour i of a pass at hour offset + i of the chunk.
     */
    private static final class Writes {
        private final long from;
        private final int hours;
        private final int offset;
        private final Map<AllocationKey, double[]> values;

        Writes(long from, int hours) {
            this(from, hours, 0, new LinkedHashMap<>());
        }

        private Writes(long from, int hours, int offset, Map<AllocationKey, double[]> values) {
            this.from = from;
            this.hours = hours;
            this.offset = offset;
            this.values = values;
        }

        Writes at(int offset) {
            return new Writes(from, hours, offset, values);
        }

        /** A copy sized for {@code hours} with the amounts of the hours before {@code keep}. */
        Writes keepingBefore(int keep, int hours) {
            Map<AllocationKey, double[]> copy = new LinkedHashMap<>();
            values.forEach((key, byHour) -> {
                double[] h = new double[hours];
                System.arraycopy(byHour, 0, h, 0, Math.min(keep, byHour.length));
                copy.put(key, h);
            });
            return new Writes(from, hours, 0, copy);
        }

        void add(AllocationKey key, int hour, double v) {
            if (v != 0) {
                values.computeIfAbsent(key, k -> new double[hours])[offset + hour] += v;
            }
        }

        HourlyCostLedger into(List<String> keyNames, long fromHour, long toHour) {
            List<HourlyCostLedger.KeyedCosts> costs = new ArrayList<>(values.size());
            values.forEach((key, byHour) -> {
                HourlyCostLedger.KeyedCosts c = HourlyCostLedger.KeyedCosts.dense(key, from, byHour);
                if (c.hours().length > 0) {
                    costs.add(c);
                }
            });
            HourlyCostLedger ledger = new HourlyCostLedger(keyNames);
            ledger.replace("allocated", fromHour, toHour, costs);
            return ledger;
        }
    }
}

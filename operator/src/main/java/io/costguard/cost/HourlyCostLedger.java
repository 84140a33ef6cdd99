package io.costguard.cost;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * Cost per hour per allocation key per source, kept in memory so that a cycle re-reads only the newest
 * hours. Hour {@code h} is the UTC hour [h*3600, (h+1)*3600) in epoch seconds. A sum over a range of hours
 * takes constant time per key (running sums per day); sums over a time range are computed once per range for all
 * keys and memoised until the next write, so the work of evaluating many budgets grows with the number of keys and
 * distinct periods, not with the number of budgets or the length of their periods.
 */
public final class HourlyCostLedger {
    private final List<String> keyNames;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<AllocationKey, Integer> ids = new HashMap<>();
    private final List<AllocationKey> keys = new ArrayList<>();
    private final Map<String, List<Integer>> idsByNamespace = new HashMap<>();
    private final Map<String, Map<Integer, HourSeries>> bySource = new LinkedHashMap<>();
    private final Map<String, long[]> coverage = new HashMap<>(); // source -> {fromHour, toHourExclusive}
    private final Map<String, Long> newestHourWithData = new HashMap<>();
    private final Map<String, HourSet> hoursWithData = new HashMap<>();
    private final Map<RangeKey, double[]> rangeSums = new ConcurrentHashMap<>();
    private long version;

    public HourlyCostLedger(List<String> keyNames) {
        this.keyNames = List.copyOf(keyNames);
    }

    public List<String> keyNames() {
        return keyNames;
    }

    /** Costs of one key: {@code values[i]} is the cost of hour {@code hours[i]}. */
    public record KeyedCosts(AllocationKey key, long[] hours, double[] values) {
        /** The hours with a cost of {@code byHour}, whose element i is the cost of hour {@code fromHour + i}. */
        public static KeyedCosts dense(AllocationKey key, long fromHour, double[] byHour) {
            int n = 0;
            for (double v : byHour) {
                n += v != 0 ? 1 : 0;
            }
            long[] at = new long[n];
            double[] amounts = new double[n];
            int j = 0;
            for (int h = 0; h < byHour.length; h++) {
                if (byHour[h] != 0) {
                    at[j] = fromHour + h;
                    amounts[j++] = byHour[h];
                }
            }
            return new KeyedCosts(key, at, amounts);
        }
    }

    /**
     * Hours of a read that the answer left out: for each, the ledger kept what it had. {@code keyHours} counts the
     * (allocation key, hour) pairs that had cost before and had none in the answer.
     */
    public record Gaps(List<Long> hours, int keyHours) {
        public static final Gaps NONE = new Gaps(List.of(), 0);

        public Gaps {
            hours = List.copyOf(hours);
        }

        public boolean none() {
            return hours.isEmpty();
        }
    }

    /**
     * Merges a read of {@code source} for hours [fromHour, toHourExclusive) into the ledger; costs given twice
     * for a key and hour add up. An answer never lowers known hours by leaving them out: an hour of the range
     * where some key had cost before and the answer has none for it (no point, or zero) is a gap, and the
     * ledger keeps that hour whole as it was (no value of the answer is taken for it, so cost that moved to
     * another key, e.g. to unattributed while kube_pod_labels had a gap, is not counted twice). Every other
     * hour of the range takes the answer as it is: keys absent from it cost nothing there, and values may
     * move either way (late samples). Returns the gaps, which the caller reports as missing data.
     */
    public Gaps replace(String source, long fromHour, long toHourExclusive, List<KeyedCosts> costs) {
        lock.writeLock().lock();
        try {
            Map<Integer, HourSeries> series = bySource.computeIfAbsent(source, s -> new HashMap<>());
            int[] ids = new int[costs.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = intern(costs.get(i).key());
            }
            Gaps gaps = gaps(series, fromHour, toHourExclusive, costs, ids);
            long from = fromHour;
            for (long gap : gaps.hours()) {
                clear(series, from, gap);
                from = gap + 1;
            }
            clear(series, from, toHourExclusive);
            Set<Long> kept = new HashSet<>(gaps.hours());
            markAnswered(
                    hoursWithData.computeIfAbsent(source, x -> new HourSet()), fromHour, toHourExclusive, costs, kept);
            long newest = newestHourWithData.getOrDefault(source, Long.MIN_VALUE);
            for (int i = 0; i < ids.length; i++) {
                KeyedCosts c = costs.get(i);
                HourSeries s = null;
                for (int j = 0; j < c.hours().length; j++) {
                    long h = c.hours()[j];
                    if (h >= fromHour && h < toHourExclusive && !kept.contains(h)) {
                        s = s != null ? s : series.computeIfAbsent(ids[i], id -> new HourSeries());
                        s.set(h, s.get(h) + c.values()[j]);
                        newest = Math.max(newest, h);
                    }
                }
            }
            if (newest != Long.MIN_VALUE) {
                newestHourWithData.put(source, newest);
            }
            series.values().forEach(HourSeries::refreshBlockSums);
            long[] cov = coverage.get(source);
            coverage.put(
                    source,
                    cov == null
                            ? new long[] {fromHour, toHourExclusive}
                            : new long[] {Math.min(cov[0], fromHour), Math.max(cov[1], toHourExclusive)});
            version++;
            rangeSums.clear();
            return gaps;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Records which hours of [from, to) the answer has a point for (any key, any value); a kept gap hour keeps its
     * mark, since the ledger keeps its values.
     */
    private static void markAnswered(HourSet marks, long from, long to, List<KeyedCosts> costs, Set<Long> kept) {
        BitSet answered = new BitSet((int) Math.max(0, to - from));
        for (KeyedCosts c : costs) {
            for (long h : c.hours()) {
                if (h >= from && h < to) {
                    answered.set((int) (h - from));
                }
            }
        }
        for (long h = from; h < to; h++) {
            if (!kept.contains(h)) {
                marks.set(h, answered.get((int) (h - from)));
            }
        }
    }

    /** Hours of [from, to) where a key with cost in {@code series} has none in the answer. */
    private Gaps gaps(Map<Integer, HourSeries> series, long from, long to, List<KeyedCosts> costs, int[] ids) {
        // only hours that hold cost can have a gap; a first read of a range has none and skips the rest
        Map<Long, double[]> answered = new HashMap<>();
        for (HourSeries s : series.values()) {
            s.forEachNonZero(from, to, h -> answered.computeIfAbsent(h, x -> new double[keys.size()]));
        }
        if (answered.isEmpty()) {
            return Gaps.NONE;
        }
        for (int i = 0; i < ids.length; i++) {
            KeyedCosts c = costs.get(i);
            for (int j = 0; j < c.hours().length; j++) {
                double[] a = answered.get(c.hours()[j]);
                if (a != null) {
                    a[ids[i]] += c.values()[j];
                }
            }
        }
        TreeSet<Long> hours = new TreeSet<>();
        int keyHours = 0;
        for (Map.Entry<Integer, HourSeries> e : series.entrySet()) {
            int id = e.getKey();
            for (Map.Entry<Long, double[]> h : answered.entrySet()) {
                if (e.getValue().get(h.getKey()) != 0 && h.getValue()[id] == 0) {
                    hours.add(h.getKey());
                    keyHours++;
                }
            }
        }
        return hours.isEmpty() ? Gaps.NONE : new Gaps(new ArrayList<>(hours), keyHours);
    }

    private static void clear(Map<Integer, HourSeries> series, long from, long toExclusive) {
        if (from < toExclusive) {
            for (HourSeries s : series.values()) {
                s.clear(from, toExclusive);
            }
        }
    }

    /** Forgets hours before {@code hour} in every source. */
    public void trimBefore(long hour) {
        lock.writeLock().lock();
        try {
            for (Map<Integer, HourSeries> series : bySource.values()) {
                for (HourSeries s : series.values()) {
                    s.clear(Long.MIN_VALUE / 2, hour);
                    s.refreshBlockSums();
                }
            }
            coverage.replaceAll((s, c) -> new long[] {Math.max(c[0], hour), Math.max(c[1], hour)});
            hoursWithData.values().forEach(marks -> marks.trimBefore(hour));
            version++;
            rangeSums.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** First hour {@code source} has read, if any. */
    public OptionalLong coveredFrom(String source) {
        lock.readLock().lock();
        try {
            long[] c = coverage.get(source);
            return c == null ? OptionalLong.empty() : OptionalLong.of(c[0]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** First hour not yet read by {@code source}, if it has read anything. */
    public OptionalLong coveredUntil(String source) {
        lock.readLock().lock();
        try {
            long[] c = coverage.get(source);
            return c == null ? OptionalLong.empty() : OptionalLong.of(c[1]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The newest hour (epoch hour) for which {@code source} has a cost. */
    public OptionalLong newestHourWithData(String source) {
        lock.readLock().lock();
        try {
            Long h = newestHourWithData.get(source);
            return h == null ? OptionalLong.empty() : OptionalLong.of(h);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Cost of {@code scope} over [from, to), summed over sources; partial hours count in proportion. */
    public double spend(Scope scope, Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        lock.readLock().lock();
        try {
            double[] sums = rangeSums.computeIfAbsent(
                    new RangeKey(from.getEpochSecond(), to.getEpochSecond()), this::sumAllKeys);
            double total = 0;
            for (String ns : scope.namespaces()) {
                for (int id : idsByNamespace.getOrDefault(ns, List.of())) {
                    if (id < sums.length && scope.matches(keys.get(id), keyNames)) {
                        total += sums[id];
                    }
                }
            }
            return total;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Cost of {@code scope} for each hour in [fromHour, toHourExclusive), summed over sources. */
    public double[] hourly(Scope scope, long fromHour, long toHourExclusive) {
        double[] out = new double[(int) Math.max(0, toHourExclusive - fromHour)];
        lock.readLock().lock();
        try {
            for (int id : idsOf(scope)) {
                for (Map<Integer, HourSeries> series : bySource.values()) {
                    HourSeries s = series.get(id);
                    if (s != null) {
                        s.addTo(out, fromHour);
                    }
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Cost of each key of {@code scope} in each bucket of hours [bounds[i], bounds[i + 1]), summed over sources; keys
     * without cost in any bucket are left out. For explaining an anomaly (buckets are days), not for every cycle.
     */
    public Map<AllocationKey, double[]> costByKey(Scope scope, long[] bounds) {
        Map<AllocationKey, double[]> out = new LinkedHashMap<>();
        lock.readLock().lock();
        try {
            for (int id : idsOf(scope)) {
                double[] costs = new double[Math.max(0, bounds.length - 1)];
                boolean any = false;
                for (Map<Integer, HourSeries> series : bySource.values()) {
                    HourSeries s = series.get(id);
                    for (int i = 0; s != null && i < costs.length; i++) {
                        costs[i] += s.sum(bounds[i], bounds[i + 1] - 1);
                        any |= costs[i] != 0;
                    }
                }
                if (any) {
                    out.put(keys.get(id), costs);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * As {@link #hourly}, with NaN for each hour the compute source has no data for (its read returned no point for
     * that hour, or it was never read): a missing hour, not zero spend. An hour the cluster has data for and the
     * scope has no cost in is a real 0.
     */
    public double[] hourlyWithGaps(Scope scope, long fromHour, long toHourExclusive) {
        double[] out = hourly(scope, fromHour, toHourExclusive);
        lock.readLock().lock();
        try {
            HourSet marks = hoursWithData.get(CostQueries.COMPUTE);
            for (int i = 0; i < out.length; i++) {
                if (marks == null || !marks.get(fromHour + i)) {
                    out[i] = Double.NaN;
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ids of the keys {@code scope} counts; the caller holds the read lock. */
    private List<Integer> idsOf(Scope scope) {
        List<Integer> out = new ArrayList<>();
        for (String ns : scope.namespaces()) {
            for (int id : idsByNamespace.getOrDefault(ns, List.of())) {
                if (scope.matches(keys.get(id), keyNames)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** Cost per key over [from, to), for reports (metrics, CLI). */
    public Map<AllocationKey, Double> costByKey(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Map.of();
        }
        lock.readLock().lock();
        try {
            double[] sums = rangeSums.computeIfAbsent(
                    new RangeKey(from.getEpochSecond(), to.getEpochSecond()), this::sumAllKeys);
            Map<AllocationKey, Double> out = new LinkedHashMap<>();
            for (int id = 0; id < sums.length; id++) {
                if (sums[id] != 0) {
                    out.put(keys.get(id), sums[id]);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Which hours of [fromHour, toHourExclusive) {@code source} has data for: {@code missing} counts the others,
     * {@code firstMissing} and {@code lastMissing} (epoch hours) bound them when there are any.
     */
    public record DataHours(
            long fromHour, long toHourExclusive, int missing, OptionalLong firstMissing, OptionalLong lastMissing) {
        public int hours() {
            return (int) Math.max(0, toHourExclusive - fromHour);
        }

        public int withData() {
            return hours() - missing;
        }
    }

    /** The hours of [fromHour, toHourExclusive) that {@code source} has data for; see {@link DataHours}. */
    public DataHours dataHours(String source, long fromHour, long toHourExclusive) {
        lock.readLock().lock();
        try {
            HourSet marks = hoursWithData.get(source);
            return marks == null
                    ? HourSet.allMissing(fromHour, toHourExclusive)
                    : marks.missing(fromHour, toHourExclusive);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Cost of every key of one source for each hour in [fromHour, toHourExclusive). */
    public double[] sourceHourly(String source, long fromHour, long toHourExclusive) {
        double[] out = new double[(int) Math.max(0, toHourExclusive - fromHour)];
        lock.readLock().lock();
        try {
            for (HourSeries s : bySource.getOrDefault(source, Map.of()).values()) {
                s.addTo(out, fromHour);
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    public int keyCount() {
        lock.readLock().lock();
        try {
            return keys.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    private double[] sumAllKeys(RangeKey r) {
        double[] sums = new double[keys.size()];
        long firstHour = Math.floorDiv(r.from, 3600);
        long lastHour = Math.floorDiv(r.to - 1, 3600);
        for (Map<Integer, HourSeries> series : bySource.values()) {
            for (Map.Entry<Integer, HourSeries> e : series.entrySet()) {
                HourSeries s = e.getValue();
                double total;
                if (firstHour == lastHour) {
                    total = s.get(firstHour) * (r.to - r.from) / 3600.0;
                } else {
                    total = s.sum(firstHour + 1, lastHour - 1);
                    total += s.get(firstHour) * ((firstHour + 1) * 3600 - r.from) / 3600.0;
                    total += s.get(lastHour) * (r.to - lastHour * 3600) / 3600.0;
                }
                sums[e.getKey()] += total;
            }
        }
        return sums;
    }

    private int intern(AllocationKey key) {
        Integer id = ids.get(key);
        if (id == null) {
            id = keys.size();
            ids.put(key, id);
            keys.add(key);
            idsByNamespace
                    .computeIfAbsent(key.namespace(), n -> new ArrayList<>())
                    .add(id);
        }
        return id;
    }

    private record RangeKey(long from, long to) {}

    /**
     * Hourly values of one key in one source; floats keep a quarter's history of thousands of keys small. A range sum
     * is O(1): running sums over whole days (doubles, one per 24 values) plus at most two partial days at the ends.
     * The running sums are brought up to date under the ledger's write lock ({@link #refreshBlockSums}), from the
     * first day a write touched.
     */
    private static final class HourSeries {
        private static final int BLOCK = 24;
        private long base;
        private float[] values = new float[0];
        /** blockSums[b] = sum of values[0 .. b * BLOCK); valid for b below {@code validBlocks}. */
        private double[] blockSums = new double[] {0};

        private int validBlocks = 1;

        void set(long hour, double value) {
            if (values.length == 0) {
                base = hour;
                values = new float[7 * 24];
                validBlocks = 1;
            } else if (hour < base) {
                int shift = (int) (base - hour);
                float[] grown = new float[values.length + shift];
                System.arraycopy(values, 0, grown, shift, values.length);
                values = grown;
                base = hour;
                validBlocks = 1;
            } else if (hour - base >= values.length) {
                // grow by a week at a time: doubling would leave thousands of keys with half-empty arrays
                values = Arrays.copyOf(values, Math.max(values.length + 7 * 24, (int) (hour - base) + 1));
            }
            int i = (int) (hour - base);
            values[i] = (float) value;
            validBlocks = Math.min(validBlocks, i / BLOCK + 1);
        }

        /** Recomputes the running sums from the first day changed since the last refresh. */
        void refreshBlockSums() {
            int blocks = values.length / BLOCK + 1;
            if (blockSums.length != blocks) {
                blockSums = Arrays.copyOf(blockSums, blocks);
                validBlocks = Math.min(validBlocks, blocks);
            }
            for (int b = Math.max(1, validBlocks); b < blocks; b++) {
                double day = 0;
                for (int i = (b - 1) * BLOCK; i < b * BLOCK; i++) {
                    day += values[i];
                }
                blockSums[b] = blockSums[b - 1] + day;
            }
            validBlocks = blocks;
        }

        double get(long hour) {
            long i = hour - base;
            return i < 0 || i >= values.length ? 0 : values[(int) i];
        }

        /** Sum of whole hours [from, to], inclusive; 0 when empty. */
        double sum(long from, long to) {
            long lo = Math.max(from, base);
            long hi = Math.min(to, base + values.length - 1);
            if (lo > hi) {
                return 0;
            }
            int a = (int) (lo - base);
            int b = (int) (hi - base);
            int firstWhole = (a + BLOCK - 1) / BLOCK;
            int endWhole = (b + 1) / BLOCK;
            if (firstWhole >= endWhole) {
                return direct(a, b + 1);
            }
            return direct(a, firstWhole * BLOCK)
                    + blockSums[endWhole]
                    - blockSums[firstWhole]
                    + direct(endWhole * BLOCK, b + 1);
        }

        private double direct(int from, int toExclusive) {
            double total = 0;
            for (int i = from; i < toExclusive; i++) {
                total += values[i];
            }
            return total;
        }

        /** Adds this series' values to {@code out}, where out[0] is hour {@code fromHour}. */
        void addTo(double[] out, long fromHour) {
            long lo = Math.max(fromHour, base);
            long hi = Math.min(fromHour + out.length, base + values.length);
            for (long h = lo; h < hi; h++) {
                out[(int) (h - fromHour)] += values[(int) (h - base)];
            }
        }

        /** Calls {@code action} with each hour of [from, to) that holds a cost. */
        void forEachNonZero(long from, long to, LongConsumer action) {
            long lo = Math.max(from, base);
            long hi = Math.min(to, base + values.length);
            for (long h = lo; h < hi; h++) {
                if (values[(int) (h - base)] != 0) {
                    action.accept(h);
                }
            }
        }

        void clear(long from, long toExclusive) {
            long lo = Math.max(from, base);
            long hi = Math.min(toExclusive, base + values.length);
            for (long h = lo; h < hi; h++) {
                values[(int) (h - base)] = 0;
            }
            if (lo < hi) {
                validBlocks = Math.min(validBlocks, (int) (lo - base) / BLOCK + 1);
            }
            if (toExclusive >= base + values.length && from <= base) {
                values = new float[0];
                validBlocks = 1;
            }
        }
    }

    /** Hours one source's reads had a point for: a bitmap from {@code base}, trimmed with the ledger. */
    private static final class HourSet {
        private long base = Long.MIN_VALUE;
        private BitSet bits = new BitSet();

        void set(long hour, boolean value) {
            if (base == Long.MIN_VALUE) {
                if (!value) {
                    return;
                }
                base = hour;
            } else if (hour < base) {
                if (!value) {
                    return;
                }
                BitSet moved = new BitSet();
                int shift = (int) (base - hour);
                bits.stream().forEach(i -> moved.set(i + shift));
                bits = moved;
                base = hour;
            }
            bits.set((int) (hour - base), value);
        }

        boolean get(long hour) {
            return base != Long.MIN_VALUE
                    && hour >= base
                    && hour - base <= Integer.MAX_VALUE
                    && bits.get((int) (hour - base));
        }

        /** The hours of [from, to) not set, walked run by run rather than hour by hour. */
        DataHours missing(long from, long to) {
            if (base == Long.MIN_VALUE || to <= base) {
                return allMissing(from, to);
            }
            int missing = from < base ? (int) (base - from) : 0;
            long first = from;
            long last = base - 1;
            int hi = (int) Math.min(Integer.MAX_VALUE, to - base);
            int i = (int) (Math.max(from, base) - base);
            while (i < hi) {
                int clear = bits.nextClearBit(i);
                if (clear >= hi) {
                    break;
                }
                int set = bits.nextSetBit(clear);
                int end = set < 0 || set > hi ? hi : set;
                first = missing == 0 ? base + clear : first;
                missing += end - clear;
                last = base + end - 1;
                i = end;
            }
            return missing == 0
                    ? new DataHours(from, to, 0, OptionalLong.empty(), OptionalLong.empty())
                    : new DataHours(from, to, missing, OptionalLong.of(first), OptionalLong.of(last));
        }

        static DataHours allMissing(long from, long to) {
            return to <= from
                    ? new DataHours(from, to, 0, OptionalLong.empty(), OptionalLong.empty())
                    : new DataHours(from, to, (int) (to - from), OptionalLong.of(from), OptionalLong.of(to - 1));
        }

        void trimBefore(long hour) {
            if (base != Long.MIN_VALUE && hour > base) {
                long drop = hour - base;
                bits = drop >= bits.length() ? new BitSet() : bits.get((int) drop, bits.length());
                base = hour;
            }
        }
    }
}

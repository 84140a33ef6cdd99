package io.costguard.cost;

import io.costguard.config.OperatorConfig;
import io.costguard.prometheus.PrometheusClient;
import io.costguard.prometheus.QueryOutcome;
import io.costguard.prometheus.QueryOutcome.FailureKind;
import io.costguard.prometheus.Series;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation cycle's read of Prometheus: a range query per cost source, for the hours the ledger does
 * not have yet plus the newest {@link #REREAD_HOURS} (late samples). All budgets are served from the
 * ledger afterwards; none of them queries Prometheus.
 */
public final class CostCollector {
    private static final Logger LOG = LoggerFactory.getLogger(CostCollector.class);
    static final int REREAD_HOURS = 2;
    /** Hours per range query when catching up on history, to bound the size of one answer. */
    static final int CHUNK_HOURS = 7 * 24;

    static final Duration DEFAULT_HISTORY = Duration.ofDays(35);

    private final PrometheusClient prometheus;
    private final CostQueries queries;
    private final HourlyCostLedger ledger;
    private final CostAllocation allocation;
    private final Map<String, HourlyCostLedger> auxiliary = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration staleAfter;
    private final Map<String, Instant> demand = new ConcurrentHashMap<>();
    private final List<Consumer<DataStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile DataStatus status = DataStatus.notYetCollected();
    private volatile CycleStats lastCycle = new CycleStats(0, 0, Duration.ZERO, 0);
    private volatile Duration allocationTime = Duration.ZERO;
    private volatile long dataVersion;
    private long lastFingerprint;
    private long cycles;

    /**
     * What the last cycle did: queries sent, samples read, wall time, and hours its answers left out although
     * they had cost before ({@link HourlyCostLedger.Gaps}).
     */
    public record CycleStats(int queries, long samples, Duration duration, int missingHours) {}

    public CostCollector(
            PrometheusClient prometheus,
            CostQueries queries,
            HourlyCostLedger ledger,
            Clock clock,
            OperatorConfig config) {
        this.prometheus = prometheus;
        this.queries = queries;
        this.ledger = ledger;
        this.clock = clock;
        this.staleAfter = config.staleAfter();
        this.allocation = new CostAllocation(config.attribution(), ledger.keyNames());
    }

    /** What an auxiliary query (node cost, a Query driver) read, if it is configured and has been read. */
    public Optional<HourlyCostLedger> auxiliary(String name) {
        return Optional.ofNullable(auxiliary.get(name));
    }

    /** Shared and idle cost, allocated from the ledger at the end of every successful cycle. */
    public CostAllocation allocation() {
        return allocation;
    }

    /** The client the collector reads with, for the few per-budget queries (volume) that cannot be batched. */
    public PrometheusClient prometheus() {
        return prometheus;
    }

    public HourlyCostLedger ledger() {
        return ledger;
    }

    public DataStatus status() {
        return status;
    }

    public CycleStats lastCycle() {
        return lastCycle;
    }

    /**
     * Changes when a cycle's answers (ranges, series, samples) or the resulting data status differ from the cycle
     * before; stays the same while Prometheus answers the same. A budget evaluated at the same version within the same
     * quarter hour (period bounds and complete hours move at quarter hours at the finest) decides the same.
     */
    public long dataVersion() {
        return dataVersion;
    }

    /** Wall time the last cycle spent allocating shared and idle cost (part of its duration). */
    public Duration lastAllocationTime() {
        return allocationTime;
    }

    /** Called after every cycle, successful or not. */
    public void onCycle(Consumer<DataStatus> listener) {
        listeners.add(listener);
    }

    /** A consumer (a budget) needs cost from {@code from} on; the next cycle reads back that far. */
    public void demand(String consumer, Instant from) {
        demand.put(consumer, from);
    }

    public void forget(String consumer) {
        demand.remove(consumer);
    }

    /** Runs one cycle. Never throws for Prometheus failures: they end up in {@link #status()}. */
    public synchronized DataStatus collect() {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        long endHour = Math.floorDiv(now.getEpochSecond(), 3600); // exclusive: the current hour is not complete
        long neededFrom = Math.floorDiv(
                demand.values().stream()
                        .min(Instant::compareTo)
                        .orElse(now.minus(DEFAULT_HISTORY))
                        .getEpochSecond(),
                3600);
        int queriesSent = 0;
        long samples = 0;
        Optional<FailureKind> failure = Optional.empty();
        String failureMessage = "";
        int missingHours = 0;
        String gapMessage = null;
        List<Read> reads = new ArrayList<>();
        for (CostQueries.SourceQuery source : queries.all()) {
            reads.add(new Read(source.name(), source.promql(), ledger, null));
        }
        for (CostQueries.AuxiliaryQuery aux : queries.auxiliary()) {
            reads.add(new Read(
                    aux.name(),
                    aux.promql(),
                    auxiliary.computeIfAbsent(aux.name(), n -> new HourlyCostLedger(List.of("value"))),
                    aux.valueLabel()));
        }
        long changedFrom = endHour;
        long fingerprint = mix(mix(17, endHour), neededFrom);
        for (Read source : reads) {
            List<long[]> ranges = rangesToRead(source.ledger(), source.name(), neededFrom, endHour);
            for (long[] range : ranges) {
                changedFrom = Math.min(changedFrom, range[0]);
                for (long from = range[0]; from < range[1]; from += CHUNK_HOURS) {
                    long to = Math.min(range[1], from + CHUNK_HOURS);
                    // points at hour ends: the point at (h+1)*3600 is the cost of hour h
                    QueryOutcome outcome = prometheus.queryRange(
                            source.name(),
                            source.promql(),
                            Instant.ofEpochSecond((from + 1) * 3600),
                            Instant.ofEpochSecond(to * 3600),
                            Duration.ofHours(1));
                    queriesSent++;
                    fingerprint = mix(mix(mix(fingerprint, source.name().hashCode()), from), to);
                    if (outcome instanceof QueryOutcome.Failure f) {
                        fingerprint = mix(fingerprint, f.kind().ordinal());
                        if (failure.isEmpty()) {
                            failure = Optional.of(f.kind());
                            failureMessage = "cost source " + source.name() + ": " + f.message();
                        }
                        break;
                    }
                    QueryOutcome.Success ok = (QueryOutcome.Success) outcome;
                    samples += ok.samples();
                    fingerprint = fingerprint(fingerprint, ok.series());
                    if (source.valueLabel() != null) {
                        // node cost and driver shares: missing hours mean no idle or a Weighted fallback, not missing
                        // cost
                        source.ledger().replace(source.name(), from, to, toValues(ok.series(), source.valueLabel()));
                        continue;
                    }
                    HourlyCostLedger.Gaps gaps = ledger.replace(source.name(), from, to, toCosts(ok.series()));
                    missingHours += gaps.hours().size();
                    if (!gaps.none() && gapMessage == null) {
                        gapMessage = gapMessage(source.name(), gaps);
                    }
                }
                if (failure.isPresent()) {
                    break;
                }
            }
        }
        ledger.trimBefore(neededFrom - 24);
        auxiliary.values().forEach(a -> a.trimBefore(neededFrom - 24));
        if (allocation.attribution().active() && failure.isEmpty()) {
            long t1 = System.nanoTime();
            OptionalLong covered = ledger.coveredFrom(CostQueries.COMPUTE);
            allocation.update(ledger, auxiliary, covered.orElse(endHour), endHour, changedFrom);
            allocationTime = Duration.ofNanos(System.nanoTime() - t1);
        }
        cycles++;
        Optional<Instant> through =
                ledger.newestHourWithData(CostQueries.COMPUTE).isPresent()
                        ? Optional.of(Instant.ofEpochSecond(
                                (ledger.newestHourWithData(CostQueries.COMPUTE).getAsLong() + 1) * 3600))
                        : Optional.empty();
        DataStatus next;
        if (failure.isPresent()) {
            next = new DataStatus(false, failure, failureMessage, through, cycles);
        } else if (gapMessage != null) {
            next = new DataStatus(false, Optional.of(FailureKind.MissingHours), gapMessage, through, cycles);
        } else if (through.isEmpty()) {
            next = new DataStatus(
                    false,
                    Optional.of(FailureKind.NoData),
                    "Prometheus has no compute cost series: is kube-state-metrics running with "
                            + "--metric-labels-allowlist=pods=[" + String.join(",", ledger.keyNames())
                            + "], and cAdvisor scraped?",
                    through,
                    cycles);
        } else if (through.get().isBefore(now.minus(staleAfter))) {
            next = new DataStatus(
                    false,
                    Optional.of(FailureKind.StaleData),
                    "newest cost data ends at " + through.get() + ", older than staleAfter (" + staleAfter.toMinutes()
                            + "m)",
                    through,
                    cycles);
        } else {
            next = new DataStatus(true, Optional.empty(), "cost data through " + through.get(), through, cycles);
        }
        if (next.available() != status.available() || !next.reason().equals(status.reason())) {
            if (next.available()) {
                LOG.info("cost data available again: {}", next.message());
            } else {
                LOG.warn(
                        "cost data unavailable ({}): {}",
                        next.reason().map(Enum::name).orElse("?"),
                        next.message());
            }
        }
        fingerprint = mix(
                mix(mix(fingerprint, next.available() ? 1 : 0), next.message().hashCode()),
                next.reason().map(Enum::ordinal).orElse(-1));
        if (fingerprint != lastFingerprint || cycles == 1) {
            dataVersion++;
        }
        lastFingerprint = fingerprint;
        status = next;
        lastCycle = new CycleStats(queriesSent, samples, Duration.ofNanos(System.nanoTime() - t0), missingHours);
        for (Consumer<DataStatus> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("cycle listener failed", e);
            }
        }
        return next;
    }

    private static long fingerprint(long h, List<Series> series) {
        for (Series s : series) {
            h = mix(h, s.labels().hashCode());
            for (int i = 0; i < s.size(); i++) {
                h = mix(mix(h, s.timestamps()[i]), Double.doubleToLongBits(s.values()[i]));
            }
        }
        return h;
    }

    private static long mix(long h, long x) {
        return Long.rotateLeft(h ^ (x * 0x9E3779B97F4A7C15L), 31) * 0xBF58476D1CE4E5B9L;
    }

    private static String gapMessage(String source, HourlyCostLedger.Gaps gaps) {
        List<Long> hours = gaps.hours();
        return "cost source " + source + " answered without cost it had given before for " + gaps.keyHours()
                + " allocation-key hour(s) in " + hours.size() + " hour(s) from "
                + Instant.ofEpochSecond(hours.get(0) * 3600)
                + " to " + Instant.ofEpochSecond((hours.get(hours.size() - 1) + 1) * 3600)
                + ": missing data, not zero cost; those hours keep what was read before and nothing is acted on until the answer is whole";
    }

    /** Hours to read for a source: history it lacks before what it has, and what is new since (plus a re-read). */
    /** One range query of a cycle and the ledger its answer goes to; {@code valueLabel} null for cost sources. */
    private record Read(String name, String promql, HourlyCostLedger ledger, String valueLabel) {}

    private List<long[]> rangesToRead(HourlyCostLedger ledger, String source, long neededFrom, long endHour) {
        List<long[]> ranges = new ArrayList<>();
        OptionalLong from = ledger.coveredFrom(source);
        OptionalLong until = ledger.coveredUntil(source);
        if (from.isEmpty() || until.isEmpty() || until.getAsLong() < neededFrom) {
            ranges.add(new long[] {neededFrom, endHour});
            return ranges;
        }
        if (neededFrom < from.getAsLong()) {
            ranges.add(new long[] {neededFrom, from.getAsLong()});
        }
        long start = Math.max(from.getAsLong(), until.getAsLong() - REREAD_HOURS);
        if (start < endHour) {
            ranges.add(new long[] {start, endHour});
        }
        return ranges;
    }

    /** Auxiliary series keyed by {@code valueLabel} (or {@code label_<valueLabel>}) alone, "" when it has none. */
    private static List<HourlyCostLedger.KeyedCosts> toValues(List<Series> series, String valueLabel) {
        List<HourlyCostLedger.KeyedCosts> out = new ArrayList<>(series.size());
        for (Series s : series) {
            String v = s.labels().getOrDefault(valueLabel, s.labels().getOrDefault("label_" + valueLabel, ""));
            long[] hours = new long[s.size()];
            for (int i = 0; i < hours.length; i++) {
                hours[i] = Math.floorDiv(s.timestamps()[i], 3600) - 1;
            }
            out.add(new HourlyCostLedger.KeyedCosts(new AllocationKey("", List.of(v)), hours, s.values()));
        }
        return out;
    }

    private List<HourlyCostLedger.KeyedCosts> toCosts(List<Series> series) {
        List<String> keyNames = ledger.keyNames();
        List<HourlyCostLedger.KeyedCosts> out = new ArrayList<>(series.size());
        for (Series s : series) {
            String ns = s.labels().getOrDefault("namespace", "");
            List<String> values = new ArrayList<>(keyNames.size());
            for (String k : keyNames) {
                String v = s.labels().get(k);
                values.add(v != null ? v : s.labels().getOrDefault("label_" + k, ""));
            }
            long[] hours = new long[s.size()];
            for (int i = 0; i < hours.length; i++) {
                // the point at an hour's end is the cost of that hour
                hours[i] = Math.floorDiv(s.timestamps()[i], 3600) - 1;
            }
            out.add(new HourlyCostLedger.KeyedCosts(new AllocationKey(ns, values), hours, s.values()));
        }
        return out;
    }
}

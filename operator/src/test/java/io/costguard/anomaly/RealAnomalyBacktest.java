package io.costguard.anomaly;

import io.costguard.anomaly.AnomalyDetector.Limits;
import io.costguard.realseries.RealSeries;
import io.costguard.realseries.RealSeries.Day;
import io.costguard.realseries.RealSeries.Hourly;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The anomaly detector on the real series of {@link RealSeries} (NAB), next to the simple rule, on the same days in
 * the same run. Protocol (shared/real-series/README.md): complete UTC days; a day is positive when a labelled window
 * touches it; each day is judged from earlier days only; precision, recall and F1 pooled over days, and how many
 * windows got at least one flagged day. The simple rule: |z| > 3 against the same weekday of the previous four
 * weeks (their mean and sample standard deviation, two or more of them with data), or a day-over-day change of
 * more than 20 %. Also the running-day judgement ({@link RunningDayJudge}, after every complete hour): its own
 * scores by day and its detection delay on the labelled windows.
 *
 * <p>Run: {@code scripts/benchmark.sh anomalies-real [SERIES-SUBSTRING]} (see docs/benchmarks.md).
 */
public final class RealAnomalyBacktest {
    /** Pooled confusion counts and windows hit. */
    public record Score(int tp, int fp, int fn, int windowsHit, int windows) {
        Score plus(Score o) {
            return new Score(tp + o.tp, fp + o.fp, fn + o.fn, windowsHit + o.windowsHit, windows + o.windows);
        }

        public double precision() {
            return tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /**
     * One series' results: by day for the model, the simple rule and the running-day judgement; delays in hours,
     * per window the running-day judgement hit, from the window's start (or the series' first judged hour, if
     * later) to the first flag; per day the daily model flagged, the hours into it when the running day was flagged.
     */
    public record SeriesResult(
            String name,
            int days,
            int positives,
            Score model,
            Score rule,
            Score running,
            List<Integer> windowDelays,
            List<Integer> dayDelays,
            long modelNanos,
            long ruleNanos,
            int judgedDays,
            int runningOnly,
            int[] runningOnlyByView,
            Score increase,
            Score decrease,
            Score everyDay) {}

    /** All results of a run, pooled. */
    public record Result(List<SeriesResult> series, Score model, Score rule, Score running) {}

    private final AnomalyDetector detector = new AnomalyDetector();
    private final RunningDayJudge runningDay = new RunningDayJudge();

    /** The view of the running day a flag came from, in the order {@link #view} numbers them. */
    static final List<String> VIEWS =
            List.of("the last three hours", "the first complete hour", "the day so far, two hours or more");

    static int view(RunningDayJudge.Finding f) {
        return f.fromHour() > 0 ? 0 : f.toHour() == 1 ? 1 : 2;
    }

    public Result run(List<Hourly> corpus, boolean intraday) {
        List<SeriesResult> out = new ArrayList<>();
        Score model = new Score(0, 0, 0, 0, 0);
        Score rule = model;
        Score running = model;
        for (Hourly s : corpus) {
            SeriesResult r = run(s, intraday);
            out.add(r);
            model = model.plus(r.model());
            rule = rule.plus(r.rule());
            running = running.plus(r.running());
        }
        return new Result(out, model, rule, running);
    }

    SeriesResult run(Hourly s, boolean intraday) {
        List<Day> days = RealSeries.days(s);
        int n = days.size();
        double[] daily = days.stream().mapToDouble(Day::cost).toArray();
        boolean[] model = new boolean[n];
        boolean[] rule = new boolean[n];
        boolean[] increase = new boolean[n];
        boolean[] decrease = new boolean[n];
        boolean[] everyDay = new boolean[n];
        long modelNanos = 0;
        long ruleNanos = 0;
        int judged = 0;
        for (int i = 0; i < n; i++) {
            double[] upTo = Arrays.copyOf(daily, i + 1); // earlier days only
            long t0 = System.nanoTime();
            model[i] = detector.judge(upTo, i, Limits.DEFAULT) != null;
            long t1 = System.nanoTime();
            rule[i] = simpleRule(upTo, i);
            ruleNanos += System.nanoTime() - t1;
            modelNanos += t1 - t0;
            judged += Double.isNaN(daily[i]) ? 0 : 1;
            increase[i] = detector.judge(upTo, i, new Limits(3.0, 20, AnomalyDetector.Direction.INCREASE)) != null;
            decrease[i] = detector.judge(upTo, i, new Limits(3.0, 20, AnomalyDetector.Direction.DECREASE)) != null;
            everyDay[i] = !Double.isNaN(daily[i]);
        }
        long firstDay = days.isEmpty() ? 0 : days.get(0).date().toEpochDay();
        boolean[] runningFlag = new boolean[n];
        int[] firstRunningHour = new int[n];
        Arrays.fill(firstRunningHour, -1);
        RunningDayJudge.Finding[] firstFinding = new RunningDayJudge.Finding[n];
        if (intraday) {
            double[][] hours = new double[n][];
            for (int i = 0; i < n; i++) {
                long start = (firstDay + i) * 24;
                hours[i] = s.slice(start, start + 24);
            }
            for (int i = 0; i < n; i++) {
                double[][] upTo = Arrays.copyOf(hours, i + 1);
                double[] today = hours[i];
                for (int k = 1; k <= 24 && firstRunningHour[i] < 0; k++) {
                    double[] soFar = Arrays.copyOf(today, 24);
                    Arrays.fill(soFar, k, 24, Double.NaN); // the hours still to come are not known yet
                    upTo[i] = soFar;
                    firstFinding[i] = runningDay.judge(upTo, k, Limits.DEFAULT);
                    if (firstFinding[i] != null) {
                        firstRunningHour[i] = k;
                    }
                }
                // the daily record confirms or adds the complete day
                runningFlag[i] = firstRunningHour[i] >= 0 || model[i];
            }
        }
        List<Integer> windowDelays = new ArrayList<>();
        List<Integer> dayDelays = new ArrayList<>();
        int runningOnly = 0;
        int[] byView = new int[2 * VIEWS.size()];
        for (int i = 0; i < n; i++) {
            if (model[i] && firstRunningHour[i] >= 0) {
                dayDelays.add(firstRunningHour[i]);
            }
            runningOnly += firstRunningHour[i] >= 0 && !model[i] ? 1 : 0;
            if (firstRunningHour[i] >= 0 && !model[i]) {
                int view = view(firstFinding[i]);
                byView[2 * view]++;
                byView[2 * view + 1] += days.get(i).positive() ? 1 : 0;
            }
        }
        if (intraday) {
            long firstHour = (firstDay + AnomalyDetector.MIN_DAYS) * 24;
            for (long[] w : s.windows()) {
                long from = Math.max(Math.floorDiv(w[0], 3600), firstHour);
                long to = Math.floorDiv(w[1], 3600);
                for (int i = 0; i < n; i++) {
                    long dayStart = (firstDay + i) * 24;
                    long flagEnd =
                            firstRunningHour[i] >= 0 ? dayStart + firstRunningHour[i] : model[i] ? dayStart + 24 : -1;
                    if (flagEnd > from && flagEnd - 1 <= to) {
                        windowDelays.add((int) (flagEnd - from));
                        break;
                    }
                }
            }
        }
        int positives = (int) days.stream().filter(Day::positive).count();
        return new SeriesResult(
                s.name(),
                n,
                positives,
                score(s, days, model),
                score(s, days, rule),
                intraday ? score(s, days, runningFlag) : new Score(0, 0, 0, 0, 0),
                windowDelays,
                dayDelays,
                modelNanos,
                ruleNanos,
                judged,
                runningOnly,
                byView,
                score(s, days, increase),
                score(s, days, decrease),
                score(s, days, everyDay));
    }

    /**
     * The simple rule on day {@code i}: |z| > 3 against the same weekday of the previous four weeks, or
     * |day-over-day change| > 20 %. Days without data are neither judged nor part of a baseline.
     */
    static boolean simpleRule(double[] x, int i) {
        if (Double.isNaN(x[i])) {
            return false;
        }
        double sum = 0;
        int k = 0;
        double[] same = new double[4];
        for (int w = 1; w <= 4 && i - 7 * w >= 0; w++) {
            if (!Double.isNaN(x[i - 7 * w])) {
                same[k++] = x[i - 7 * w];
                sum += x[i - 7 * w];
            }
        }
        if (k >= 2) {
            double mean = sum / k;
            double ss = 0;
            for (int j = 0; j < k; j++) {
                ss += (same[j] - mean) * (same[j] - mean);
            }
            double sd = Math.sqrt(ss / (k - 1));
            if (sd > 0 && Math.abs(x[i] - mean) / sd > 3) {
                return true;
            }
        }
        if (i > 0 && !Double.isNaN(x[i - 1]) && x[i - 1] > 0) {
            return Math.abs(x[i] / x[i - 1] - 1) > 0.2;
        }
        return false;
    }

    static Score score(Hourly s, List<Day> days, boolean[] flagged) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < days.size(); i++) {
            boolean positive = days.get(i).positive();
            tp += flagged[i] && positive ? 1 : 0;
            fp += flagged[i] && !positive ? 1 : 0;
            fn += !flagged[i] && positive ? 1 : 0;
        }
        int hit = 0;
        for (long[] w : s.windows()) {
            for (int i = 0; i < days.size(); i++) {
                long from = days.get(i).date().toEpochDay() * 86400;
                if (flagged[i] && w[0] < from + 86400 && w[1] >= from) {
                    hit++;
                    break;
                }
            }
        }
        return new Score(tp, fp, fn, hit, s.windows().size());
    }

    public static void main(String[] args) {
        String filter = java.util.Arrays.stream(args)
                .filter(a -> !a.startsWith("--"))
                .findFirst()
                .orElse("");
        List<Hourly> corpus = RealSeries.all(RealSeries.Corpus.of(args)).stream()
                .filter(s -> s.name().contains(filter))
                .toList();
        RealAnomalyBacktest backtest = new RealAnomalyBacktest();
        backtest.run(corpus, false); // warm-up
        Result r = backtest.run(corpus, true);
        int days = r.series().stream().mapToInt(SeriesResult::days).sum();
        int positives = r.series().stream().mapToInt(SeriesResult::positives).sum();
        System.out.printf(
                Locale.ROOT,
                "%d series, %d days (%d positive), %d labelled windows%n%n",
                corpus.size(),
                days,
                positives,
                r.model().windows());
        System.out.println("| pooled over days | precision | recall | F1 | windows hit |");
        System.out.println("|---|---|---|---|---|");
        row("costguard (daily record)", r.model());
        row("simple rule: z>3 or day-over-day>20 %", r.rule());
        row("costguard running day + daily record", r.running());
        row("costguard, direction Increase", pooled(r, SeriesResult::increase));
        row("costguard, direction Decrease", pooled(r, SeriesResult::decrease));
        row("every day with data flagged (for scale)", pooled(r, SeriesResult::everyDay));
        System.out.println();
        System.out.println(
                "| series | days | positive | costguard P / R / F1 | windows | simple rule P / R / F1 | windows |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (SeriesResult s : r.series()) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %.2f / %.2f / %.2f | %d of %d | %.2f / %.2f / %.2f | %d of %d |%n",
                    s.name(),
                    s.days(),
                    s.positives(),
                    s.model().precision(),
                    s.model().recall(),
                    s.model().f1(),
                    s.model().windowsHit(),
                    s.model().windows(),
                    s.rule().precision(),
                    s.rule().recall(),
                    s.rule().f1(),
                    s.rule().windowsHit(),
                    s.rule().windows());
        }
        List<Integer> windowDelays = r.series().stream()
                .flatMap(s -> s.windowDelays().stream())
                .sorted()
                .toList();
        List<Integer> dayDelays = r.series().stream()
                .flatMap(s -> s.dayDelays().stream())
                .sorted()
                .toList();
        int flaggedDays = r.series().stream()
                .mapToInt(s -> s.model().tp() + s.model().fp())
                .sum();
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "detection delay, running day: %d windows flagged; hours from the window's start to "
                        + "the first flag: median %s, 90th percentile %s%n",
                windowDelays.size(),
                pct(windowDelays, 0.5),
                pct(windowDelays, 0.9));
        System.out.printf(
                Locale.ROOT,
                "days the daily record flags: %d; the running day had flagged %d of them, after a "
                        + "median of %s complete hours (90th percentile %s; the daily record alone: 24 h + one evaluation)%n",
                flaggedDays,
                dayDelays.size(),
                pct(dayDelays, 0.5),
                pct(dayDelays, 0.9));
        System.out.printf(
                Locale.ROOT,
                "days the running day flagged that the daily record did not: %d%n",
                r.series().stream().mapToInt(SeriesResult::runningOnly).sum());
        StringBuilder views = new StringBuilder("of them, by the view that flagged first:");
        for (int v = 0; v < VIEWS.size(); v++) {
            int at = v;
            views.append(String.format(
                    Locale.ROOT,
                    "%s %s %d (%d on labelled days)",
                    v == 0 ? "" : ";",
                    VIEWS.get(v),
                    r.series().stream()
                            .mapToInt(x -> x.runningOnlyByView()[2 * at])
                            .sum(),
                    r.series().stream()
                            .mapToInt(x -> x.runningOnlyByView()[2 * at + 1])
                            .sum()));
        }
        System.out.println(views);
        long judged = r.series().stream().mapToInt(SeriesResult::judgedDays).sum();
        System.out.printf(
                Locale.ROOT,
                "time per judged day: costguard %.1f µs, simple rule %.2f µs%n",
                r.series().stream().mapToLong(SeriesResult::modelNanos).sum() / 1000.0 / judged,
                r.series().stream().mapToLong(SeriesResult::ruleNanos).sum() / 1000.0 / judged);
    }

    private static Score pooled(Result r, java.util.function.Function<SeriesResult, Score> which) {
        return r.series().stream().map(which).reduce(new Score(0, 0, 0, 0, 0), Score::plus);
    }

    private static String pct(List<Integer> sorted, double q) {
        return sorted.isEmpty()
                ? "-"
                : String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())));
    }

    private static void row(String name, Score s) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.3f | %d of %d |%n",
                name,
                s.precision(),
                s.recall(),
                s.f1(),
                s.windowsHit(),
                s.windows());
    }
}

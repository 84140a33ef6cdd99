package io.costguard.budget;

import io.costguard.config.Durations;
import java.time.Duration;
import java.util.List;

/** Reading one spec field of the kinds every validator has (durations, latencies, ratios, decimals), problems named. */
public final class SpecFields {
  private SpecFields() {}

  /** A duration, or null with a problem; {@code text} must not be null. */
  public static Duration duration(String field, String text, boolean zeroAllowed, List<SpecProblem> problems) {
    try {
      Duration d = Durations.parse(text);
      if (d.isZero() && !zeroAllowed) {
        problems.add(new SpecProblem(field, "'" + text + "' must be longer than zero"));
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(field, "'" + text + "' is not a duration such as 30s, 15m, 1h30m or 7d"));
      return null;
    }
  }

  /** Seconds of a latency written as a duration; null when unset or wrong (with a problem). */
  public static Double latency(String field, String text, List<SpecProblem> problems) {
    if (text == null) {
      return null;
    }
    Duration d = duration(field, text, false, problems);
    return d == null ? null : d.toNanos() / 1e9;
  }

  /** A share between 0 and 1; null when unset or wrong (with a problem). */
  public static Double ratio(String field, String text, List<SpecProblem> problems) {
    Double v = decimal(field, text, problems);
    if (v != null && v > 1) {
      problems.add(new SpecProblem(field, "'" + text + "' is above 1; write a share between 0 and 1, e.g. \"0.002\" for 0.2 %"));
      return null;
    }
    return v;
  }

  /** A plain quoted decimal (no sign, no exponent); null when unset or wrong (with a problem). */
  public static Double decimal(String field, String text, List<SpecProblem> problems) {
    if (text == null) {
      return null;
    }
    if (!text.matches(io.costguard.api.ApiPatterns.DECIMAL)) {
      problems.add(new SpecProblem(field, "'" + text + "' is not a plain decimal such as \"0.12\" (quoted, no sign or exponent)"));
      return null;
    }
    return Double.parseDouble(text);
  }
}

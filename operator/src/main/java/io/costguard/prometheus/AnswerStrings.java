package io.costguard.prometheus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Label values of one answer kept once: a PerfBaseline cycle reads hundreds of thousands of series whose values
 * repeat (a pod's name in each of its 15 buckets, the same 15 bucket bounds for every pod), and a new string per
 * value was most of what a cycle allocated. Open addressing on the characters, so a repeated value costs no string.
 */
final class AnswerStrings {
    private static final int SLOTS = 4096;
    private static final int MANY = 16;
    private final String[] slots = new String[SLOTS];

    /** The value of these characters, the same string as for equal characters earlier in the answer. */
    String of(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + chars[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String known = slots[slot];
        if (known != null && same(known, chars, offset, length)) {
            return known;
        }
        // a collision replaces the slot: values come in runs, the newest is the likeliest to repeat
        String value = new String(chars, offset, length);
        slots[slot] = value;
        return value;
    }

    private static boolean same(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The labels as an immutable map from alternating names and values; a repeated name (which Prometheus never
     * sends) keeps its last value, as a map filled one by one would.
     */
    static Map<String, String> labels(List<String> kv) {
        int n = kv.size() / 2;
        // more labels than a series carries (a hostile answer) are not checked pairwise: the map finds repeats
        if (n > MANY || repeatsAName(kv, n)) {
            Map<String, String> m = new HashMap<>();
            for (int k = 0; k < n; k++) {
                m.put(kv.get(2 * k), kv.get(2 * k + 1));
            }
            return Map.copyOf(m);
        }
        @SuppressWarnings("unchecked")
        Map.Entry<String, String>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = Map.entry(kv.get(2 * i), kv.get(2 * i + 1));
        }
        return Map.ofEntries(entries);
    }

    private static boolean repeatsAName(List<String> kv, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (kv.get(2 * i).equals(kv.get(2 * j))) {
                    return true;
                }
            }
        }
        return false;
    }
}

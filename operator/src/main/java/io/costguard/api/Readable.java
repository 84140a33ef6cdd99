package io.costguard.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A spec or status as the operator read it. When the document had the wrong shape for this version (a list where an
 * object belongs, a field it does not know), the instance is empty, says why ({@link #unreadable()}) and keeps the
 * document as it was. It is written out as an empty object (the CRD generator must see only the real fields), so
 * a copy made through JSON would lose the problem: {@link TolerantReading#cloner} keeps it.
 */
public abstract class Readable {
    private SpecProblem unreadable;
    private JsonNode document;

    /** Why this part could not be read, or null when it was read. */
    public SpecProblem unreadable() {
        return unreadable;
    }

    /** True when {@code part} (a spec or status, possibly null) was read: absent, not a Readable, or read whole. */
    public static boolean wasRead(Object part) {
        return !(part instanceof Readable r) || r.unreadable() == null;
    }

    /** The document that could not be read, or null. */
    public JsonNode document() {
        return document;
    }

    void markUnreadable(SpecProblem problem, JsonNode document) {
        this.unreadable = problem;
        this.document = document;
    }
}

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

    /** The document that could not be read, or null. */
    public JsonNode document() {
        return document;
    }

    void markUnreadable(SpecProblem problem, JsonNode document) {
        this.unreadable = problem;
        this.document = document;
    }
}

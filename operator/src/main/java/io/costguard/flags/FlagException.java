package io.costguard.flags;

/** A flag that cannot be read or flipped, with a reason a person can act on. */
public final class FlagException extends Exception {
    public FlagException(String message) {
        super(message);
    }
}

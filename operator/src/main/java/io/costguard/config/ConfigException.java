package io.costguard.config;

/** A setting with a bad value; the message names the setting, its environment variable and the fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}

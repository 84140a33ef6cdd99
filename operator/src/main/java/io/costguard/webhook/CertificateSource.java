package io.costguard.webhook;

/** Where the serving certificate comes from; {@link #refresh()} runs periodically and swaps in a rotated one. */
public interface CertificateSource {
    /** The certificate to start with; a failure names what is wrong and how to fix it. */
    KeyMaterial initial();

    /** Looks for a newer certificate (and renews one that is due); returns it, or null when nothing changed. */
    KeyMaterial refresh();
}

package io.costguard.webhook;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Hands the current serving certificate to every new TLS handshake, so a rotated one is used without a restart. */
public final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "costguard-webhook";
    private final AtomicReference<KeyMaterial> current;

    public ReloadingKeyManager(KeyMaterial initial) {
        this.current = new AtomicReference<>(initial);
    }

    public void replace(KeyMaterial next) {
        current.set(next);
    }

    public KeyMaterial current() {
        return current.get();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return matches(keyType) ? ALIAS : null;
    }

    private boolean matches(String keyType) {
        String algorithm = current.get().key().getAlgorithm();
        return keyType == null
                || keyType.equals(algorithm)
                || ("EC".equals(algorithm) && keyType.startsWith("EC"))
                || ("RSA".equals(algorithm) && keyType.startsWith("RSA"));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return matches(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? current.get().chain().toArray(new X509Certificate[0]) : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? current.get().key() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}

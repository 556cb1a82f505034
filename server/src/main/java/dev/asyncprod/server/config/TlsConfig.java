package dev.asyncprod.server.config;

import dev.asyncprod.base.TlsProvider;
import java.nio.file.Path;

/**
 * TLS on the listening port, or none. From {@link TlsOptions}, where the defaults are.
 *
 * @param certificate PEM certificate chain; null with {@code selfSigned} or without TLS
 * @param privateKey  PEM private key (PKCS#8) of that certificate
 * @param selfSigned  a throw-away certificate for localhost, made at start (local use only)
 * @param provider    the TLS engine
 */
public record TlsConfig(Path certificate, Path privateKey, boolean selfSigned, TlsProvider provider) {

    public static TlsConfig none(TlsProvider provider) {
        return new TlsConfig(null, null, false, provider);
    }

    public boolean enabled() {
        return selfSigned || certificate != null;
    }
}

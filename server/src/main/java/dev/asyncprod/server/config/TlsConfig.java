package dev.asyncprod.server.config;

import dev.asyncprod.base.TlsProvider;
import java.nio.file.Path;

/**
 * TLS on the listening port, or none.
 *
 * @param certificate PEM certificate chain; null with {@code selfSigned} or without TLS
 * @param privateKey  PEM private key (PKCS#8) of that certificate
 * @param selfSigned  a throw-away certificate for localhost, made at start (local use only)
 * @param provider    the TLS engine
 * @param upstreamCa  PEM certificates an {@code https} upstream of {@code /fanout} is trusted by, instead of the
 *                    JDK's store; null for the JDK's
 */
public record TlsConfig(Path certificate, Path privateKey, boolean selfSigned, TlsProvider provider, Path upstreamCa) {

    public static TlsConfig none(TlsProvider provider, Path upstreamCa) {
        return new TlsConfig(null, null, false, provider, upstreamCa);
    }

    public boolean enabled() {
        return selfSigned || certificate != null;
    }
}

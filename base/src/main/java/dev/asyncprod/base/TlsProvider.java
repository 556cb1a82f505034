package dev.asyncprod.base;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;

/**
 * Which TLS engine a server or client uses. {@code auto} takes OpenSSL (BoringSSL, from
 * netty-tcnative-boringssl-static) where its native library loads, else the JDK's own engine:
 * the same choice Netty's {@code SslContext.defaultServerProvider()} makes, stated rather than implied.
 */
public enum TlsProvider {
    AUTO, JDK, OPENSSL;

    public static TlsProvider parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected auto, jdk or openssl, got '" + value + "'");
        }
    }

    /** The engine this choice gives on this machine; {@code openssl} where it cannot load fails with why. */
    public SslProvider resolve() {
        return switch (this) {
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("OpenSSL (netty-tcnative) is not available here: "
                            + OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    /** {@code openssl} or {@code jdk}, as banners and reports name the engine in use. */
    public String describe() {
        return resolve() == SslProvider.OPENSSL ? "openssl (" + OpenSsl.versionString() + ")" : "jdk";
    }
}

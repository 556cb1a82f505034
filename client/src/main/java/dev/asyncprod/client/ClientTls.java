package dev.asyncprod.client;

import dev.asyncprod.base.TlsProvider;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * How {@code https} connections decide whom to trust. By default as the JDK does: its trust store,
 * and the certificate must name the host the URL names (hostname verification, RFC 9110 §4.3.4);
 * the host name goes out as SNI.
 *
 * @param trustedCertificates PEM certificates to trust instead of the JDK's store; null for the JDK's
 * @param insecure            trust any certificate for any name, as {@code curl -k}: tests and local use only
 * @param verifyHostname      the certificate must name the host; off only where trust is pinned otherwise
 * @param provider            the TLS engine
 */
public record ClientTls(Path trustedCertificates, boolean insecure, boolean verifyHostname, TlsProvider provider) {

    /** The JDK's trust store, hostname verification on, OpenSSL where it loads. */
    public static ClientTls defaults() {
        return new ClientTls(null, false, true, TlsProvider.AUTO);
    }

    /** Trusts the certificates in {@code pem} (a private CA, a self-signed server) instead of the JDK's store. */
    public static ClientTls trusting(Path pem) {
        return new ClientTls(pem, false, true, TlsProvider.AUTO);
    }

    /** Trusts anything, as {@code curl -k}: the connection is encrypted but the server is not authenticated. */
    public static ClientTls trustAnything() {
        return new ClientTls(null, true, false, TlsProvider.AUTO);
    }

    public ClientTls withoutHostnameVerification() {
        return new ClientTls(trustedCertificates, insecure, false, provider);
    }

    public ClientTls withProvider(TlsProvider engine) {
        return new ClientTls(trustedCertificates, insecure, verifyHostname, engine);
    }

    /**
     * A client context offering {@code protocols} by ALPN, most wanted first ({@code h2},
     * {@code http/1.1}); none offers nothing, and the server speaks HTTP/1.1.
     */
    public SslContext newContext(String... protocols) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider.resolve())
                .protocols("TLSv1.3", "TLSv1.2")
                .endpointIdentificationAlgorithm(verifyHostname && !insecure ? "HTTPS" : null);
        if (insecure) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (trustedCertificates != null) {
            builder.trustManager(trustedCertificates.toFile());
        }
        if (protocols.length > 0) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols));
        }
        return builder.build();
    }

    /** ALPN for HTTP/2 only: a server that cannot speak it is refused, not silently spoken to in HTTP/1.1. */
    public static String[] h2() {
        return new String[] {ApplicationProtocolNames.HTTP_2};
    }

    public static String[] http11() {
        return new String[] {ApplicationProtocolNames.HTTP_1_1};
    }
}

package dev.asyncprod.server.config;

import dev.asyncprod.base.TlsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiConsumer;
import picocli.CommandLine.Option;

/**
 * The flags of the wire: TLS and HTTP/2. A mixin of {@link ServerCommand}, kept apart so that the
 * command stays readable; every flag has its environment twin as the others do.
 */
public final class ProtocolOptions {

    @Option(names = "--tls", defaultValue = "${env:TLS:-off}",
            description = "off | on | self-signed: on needs --tls-cert and --tls-key; self-signed makes a throw-away"
                    + " certificate for localhost at start, for local use only (env TLS).")
    String tls;

    @Option(names = "--tls-cert", defaultValue = "${env:TLS_CERT:-}",
            description = "PEM certificate chain; turns TLS on (env TLS_CERT).")
    String certificate;

    @Option(names = "--tls-key", defaultValue = "${env:TLS_KEY:-}",
            description = "PEM private key (PKCS#8) of --tls-cert (env TLS_KEY).")
    String privateKey;

    // auto: OpenSSL where it loads, as Netty itself prefers; the README's TLS figures measure both.
    @Option(names = "--tls-provider", defaultValue = "${env:TLS_PROVIDER:-auto}",
            description = "auto | jdk | openssl: the TLS engine; auto is OpenSSL (BoringSSL) where it loads, else the"
                    + " JDK's (env TLS_PROVIDER).")
    String provider;

    @Option(names = "--upstream-ca", defaultValue = "${env:UPSTREAM_CA:-}",
            description = "PEM certificates to trust an https --upstream by, instead of the JDK's trust store"
                    + " (env UPSTREAM_CA).")
    String upstreamCa;

    // 100: the floor RFC 9113 §6.5.2 recommends, and nginx's http2_max_concurrent_streams (128) rounded down.
    @Option(names = "--max-streams", defaultValue = "${env:MAX_STREAMS:-100}",
            description = "HTTP/2 streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS);"
                    + " every stream also counts towards --max-inflight (env MAX_STREAMS).")
    int maxStreams;

    /** The TLS settings, validated; {@code require} throws with the message when its condition is false. */
    TlsConfig toTlsConfig(BiConsumer<Boolean, String> require) {
        TlsProvider engine = null;
        try {
            engine = TlsProvider.parse(provider);
        } catch (IllegalArgumentException e) {
            require.accept(false, "--tls-provider: " + e.getMessage());
        }
        Path ca = upstreamCa.isBlank() ? null : Path.of(upstreamCa.strip());
        require.accept(ca == null || Files.isReadable(ca), "--upstream-ca: cannot read " + ca);
        String mode = tls.strip().toLowerCase(Locale.ROOT);
        require.accept(mode.matches("off|on|self-signed"), "--tls must be off, on or self-signed, got '" + tls + "'");
        boolean files = !certificate.isBlank() || !privateKey.isBlank();
        if (mode.equals("self-signed")) {
            require.accept(!files, "--tls self-signed makes its own certificate: drop --tls-cert and --tls-key");
            return new TlsConfig(null, null, true, engine, ca);
        }
        if (!files) {
            require.accept(mode.equals("off"), "--tls on needs --tls-cert FILE and --tls-key FILE");
            return TlsConfig.none(engine, ca);
        }
        require.accept(!certificate.isBlank() && !privateKey.isBlank(), "TLS needs both --tls-cert and --tls-key");
        Path cert = Path.of(certificate.strip());
        Path key = Path.of(privateKey.strip());
        require.accept(Files.isReadable(cert), "--tls-cert: cannot read " + cert);
        require.accept(Files.isReadable(key), "--tls-key: cannot read " + key);
        return new TlsConfig(cert, key, false, engine, ca);
    }

    int maxStreams(BiConsumer<Boolean, String> require) {
        require.accept(maxStreams >= 1 && maxStreams <= 10_000, "--max-streams must be from 1 to 10000, got " + maxStreams);
        return maxStreams;
    }
}

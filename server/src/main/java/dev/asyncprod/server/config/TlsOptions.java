package dev.asyncprod.server.config;

import dev.asyncprod.base.TlsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The flags of TLS on the listening port. */
final class TlsOptions implements OptionGroup {

    @Option(names = "--tls", defaultValue = "${env:TLS:-off}",
            description = "off | on | self-signed: on needs --tls-cert and --tls-key; self-signed makes a throw-away"
                    + " certificate for localhost, 127.0.0.1 and ::1 at start, with the JDK's keytool, and writes its"
                    + " PEM to <data-dir>/tls/self-signed.pem: for local use only.")
    String tls;

    @Option(names = "--tls-cert", defaultValue = "${env:TLS_CERT:-}",
            description = "PEM certificate chain; with --tls-key, it turns TLS on: the port then speaks TLS 1.2 and 1.3"
                    + " only, with ALPN h2 and http/1.1.")
    String certificate;

    @Option(names = "--tls-key", defaultValue = "${env:TLS_KEY:-}",
            description = "PEM private key (PKCS#8) of --tls-cert.")
    String privateKey;

    @Option(names = "--tls-provider", defaultValue = "${env:TLS_PROVIDER:-auto}",
            description = "auto | jdk | openssl: the TLS engine; auto is OpenSSL (BoringSSL, from netty-tcnative) where"
                    + " it loads, else the JDK's, as Netty itself prefers. The TLS and HTTP/2 documentation measures"
                    + " both.")
    String provider;

    @Override
    public String heading() {
        return "TLS";
    }

    TlsConfig toConfig(FlagCheck check) {
        TlsProvider engine;
        try {
            engine = TlsProvider.parse(provider);
        } catch (IllegalArgumentException e) {
            throw check.failure("--tls-provider: " + e.getMessage());
        }
        String mode = tls.strip().toLowerCase(Locale.ROOT);
        check.require(mode.matches("off|on|self-signed"), "--tls must be off, on or self-signed, got '" + tls + "'");
        boolean files = !certificate.isBlank() || !privateKey.isBlank();
        if (mode.equals("self-signed")) {
            check.require(!files, "--tls self-signed makes its own certificate: drop --tls-cert and --tls-key");
            return new TlsConfig(null, null, true, engine);
        }
        if (!files) {
            check.require(mode.equals("off"), "--tls on needs --tls-cert FILE and --tls-key FILE");
            return TlsConfig.none(engine);
        }
        check.require(!certificate.isBlank() && !privateKey.isBlank(), "TLS needs both --tls-cert and --tls-key");
        Path cert = Path.of(certificate.strip());
        Path key = Path.of(privateKey.strip());
        check.require(Files.isReadable(cert), "--tls-cert: cannot read " + cert);
        check.require(Files.isReadable(key), "--tls-key: cannot read " + key);
        return new TlsConfig(cert, key, false, engine);
    }
}

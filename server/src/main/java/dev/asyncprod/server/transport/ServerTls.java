package dev.asyncprod.server.transport;

import dev.asyncprod.server.config.TlsConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The server's TLS context: the configured PEM files, or a throw-away self-signed certificate for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, made by the JDK's own {@code keytool} (no
 * extra library; Netty's {@code SelfSignedCertificate} gives no subject alternative names, which
 * clients check). ALPN offers {@code h2} first, then {@code http/1.1}.
 *
 * @param certificateFile the PEM a client can trust ({@code curl --cacert}); for a self-signed one, where it was written
 */
record ServerTls(SslContext context, String description, Path certificateFile) {

    /** TLS 1.2 and 1.3 only, with RFC 9113's cipher list (its §9.2.2 forbids the rest under h2). */
    static ServerTls create(TlsConfig config, Path dataDir) throws IOException, GeneralSecurityException {
        SslProvider provider = config.provider().resolve();
        SslContextBuilder builder;
        Path certificateFile;
        String what;
        if (config.selfSigned()) {
            Path dir = Files.createDirectories(dataDir.resolve("tls"));
            SelfSigned made = SelfSigned.make(dir);
            builder = SslContextBuilder.forServer(made.key(), made.certificate());
            certificateFile = made.pem();
            what = "self-signed certificate for localhost, 127.0.0.1 and ::1 (throw-away, for local use; trust it with"
                    + " curl --cacert " + certificateFile + ", or -k)";
        } else {
            builder = SslContextBuilder.forServer(config.certificate().toFile(), config.privateKey().toFile());
            certificateFile = config.certificate();
            what = "certificate " + config.certificate();
        }
        SslContext context = builder.sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        return new ServerTls(context, what + ", " + config.provider().describe() + " engine, ALPN h2 and http/1.1",
                certificateFile);
    }

    /** A key pair and certificate made with {@code keytool}, its certificate also written as PEM. */
    private record SelfSigned(PrivateKey key, X509Certificate certificate, Path pem) {

        static SelfSigned make(Path dir) throws IOException, GeneralSecurityException {
            Path store = dir.resolve("self-signed.p12");
            Files.deleteIfExists(store); // throw-away: a new one each start
            String password = UUID.randomUUID().toString();
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "30",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password)
                    .redirectErrorStream(true).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException("keytool could not make a self-signed certificate: "
                            + new String(output, StandardCharsets.UTF_8).strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while keytool made a certificate", e);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password.toCharArray());
            }
            PrivateKey key = (PrivateKey) keys.getKey("server", password.toCharArray());
            X509Certificate certificate = (X509Certificate) keys.getCertificate("server");
            Path pem = dir.resolve("self-signed.pem");
            String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
            Files.delete(store); // the key lives in memory only
            return new SelfSigned(key, certificate, pem);
        }
    }

}

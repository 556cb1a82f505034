package dev.asyncprod.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A certificate and key as PEM files, as an operator gets them from a CA, made with the machine's openssl. */
public final class CertificateFiles {

    private CertificateFiles() {
    }

    /** {@code cert.pem} (self-signed, for {@code name} only) and {@code key.pem} (PKCS#8) in a new folder. */
    public static Path make(String name) {
        try {
            Path dir = Files.createTempDirectory("asyncprod-cert-");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name,
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl could not make a certificate: " + Files.readString(dir.resolve("openssl.log")));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

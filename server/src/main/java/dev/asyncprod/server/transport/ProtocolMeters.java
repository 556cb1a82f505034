package dev.asyncprod.server.transport;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * How connections came in: which protocol each one settled on, and the ones TLS turned away.
 * Requests themselves are counted the same way whatever the protocol ({@code http_server_requests}).
 */
final class ProtocolMeters implements MeterBinder {

    /** The protocol a connection settled on, as its {@code protocol} tag names it. */
    enum Protocol {
        HTTP1("http/1.1"), H2("h2"), H2C("h2c");

        final String tag;

        Protocol(String tag) {
            this.tag = tag;
        }
    }

    private final LongAdder[] connections = new LongAdder[Protocol.values().length];
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder plainTextOnTlsPort = new LongAdder();

    ProtocolMeters() {
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new LongAdder();
        }
    }

    void connection(Protocol protocol) {
        connections[protocol.ordinal()].increment();
    }

    void handshakeFailed() {
        handshakeFailures.increment();
    }

    void plainTextOnTlsPort() {
        plainTextOnTlsPort.increment();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Protocol protocol : Protocol.values()) {
            FunctionCounter.builder("http_server_connections", connections[protocol.ordinal()], LongAdder::sum)
                    .tag("protocol", protocol.tag)
                    .description("Connections accepted, by the protocol they settled on (h2c: HTTP/2 without TLS)")
                    .register(registry);
        }
        FunctionCounter.builder("http_server_tls_handshake_failures", handshakeFailures, LongAdder::sum)
                .description("TLS handshakes that failed: an untrusted or mismatched certificate on the client's side,"
                        + " no shared protocol or cipher, or a client that gave up")
                .register(registry);
        FunctionCounter.builder("http_server_tls_plaintext_requests", plainTextOnTlsPort, LongAdder::sum)
                .description("Plain-text HTTP requests sent to the TLS port, answered 400")
                .register(registry);
    }
}

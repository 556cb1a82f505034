package dev.asyncprod.load.gen;

import io.netty.bootstrap.Bootstrap;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What every connection of a run shares: where and how it connects, what it records into, and
 * when the run counts.
 *
 * @param template     transport and socket options; each connection clones it onto its own event loop
 * @param host         the target's host: connected to, and with TLS the name sent (SNI) and verified
 * @param tls          for an {@code https} target; null for plain TCP
 * @param timeoutNanos a request not answered within this is a timeout
 */
record RunSetup(Bootstrap template, String host, int port, SslContext tls, Recording recording, RunWindow window,
                long timeoutNanos) {

    /** Unresolved, as {@link Bootstrap#connect(String, int)} makes it: resolved on each connect. */
    SocketAddress remote() {
        return InetSocketAddress.createUnresolved(host, port);
    }
}

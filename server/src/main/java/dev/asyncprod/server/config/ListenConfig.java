package dev.asyncprod.server.config;

import dev.asyncprod.base.NettyTransport;

/**
 * Where the server listens, and on what. From {@link ListenOptions}, where the defaults and their
 * sources are.
 *
 * @param host       the address to listen on
 * @param port       the port, or the first of the range to try; 0 for any free one
 * @param lastPort   the end of the range to try ({@code port} itself for a single port)
 * @param transport  the Netty transport asked for
 * @param eventLoops worker event loops, resolved: never 0
 */
public record ListenConfig(String host, int port, int lastPort, NettyTransport.Kind transport, int eventLoops) {

    /** {@code 8080}, or {@code 9201-9203} for a range: as {@code --port} wrote it. */
    public String ports() {
        return port == lastPort ? Integer.toString(port) : port + "-" + lastPort;
    }
}

package dev.asyncprod.server.config;

import dev.asyncprod.client.transport.NettyTransport;
import java.time.Duration;

/**
 * Everything the server is started with. Filled by {@link ServerCommand} from flags and
 * environment variables; the defaults and where they come from are documented there.
 */
public record ServerConfig(
        String host,
        int port,
        Mode mode,
        int eventLoops,
        NettyTransport.Kind transport,
        int blockingThreads,
        int blockingQueue,
        int maxBody,
        int maxHeader,
        Duration idleTimeout,
        String logLevel) {
}

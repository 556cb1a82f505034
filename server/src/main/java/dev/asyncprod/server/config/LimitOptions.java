package dev.asyncprod.server.config;

import dev.asyncprod.common.cli.ByteSizeConverter;
import dev.asyncprod.common.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags that bound what clients may ask of the server: how much at once, how large, how long. */
final class LimitOptions implements OptionGroup {

    @Option(names = "--max-inflight", defaultValue = "${env:MAX_INFLIGHT:-10000}",
            description = "Requests in progress at once, HTTP/2 streams included; beyond it, 503 with Retry-After at"
                    + " once. The default is above the blocking pool plus its queue (200 + 8192), so that in blocking"
                    + " mode the pool's own 503 comes first.")
    int maxInflight;

    @Option(names = "--max-connections", defaultValue = "${env:MAX_CONNECTIONS:-10000}",
            description = "Open client connections; beyond it, new ones are closed at accept. The default is half the"
                    + " usual ulimit -n of 20,000-65,536, leaving room for the upstream client's sockets and files.")
    int maxConnections;

    @Option(names = "--max-streams", defaultValue = "${env:MAX_STREAMS:-100}",
            description = "HTTP/2 streams one connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS);"
                    + " every stream also counts towards --max-inflight. The default is the floor RFC 9113"
                    + " section 6.5.2 recommends, and nginx's http2_max_concurrent_streams (128) rounded down.")
    int maxStreams;

    @Option(names = "--max-body", defaultValue = "${env:MAX_BODY:-1m}", converter = ByteSizeConverter.class,
            description = "Largest request body, e.g. 65536, 64k, 1m; larger is 413. The default is nginx's"
                    + " client_max_body_size.")
    int maxBody;

    @Option(names = "--max-header", defaultValue = "${env:MAX_HEADER:-8k}", converter = ByteSizeConverter.class,
            description = "Largest request line, and largest header block. Over HTTP/1.1, a longer request line is 414"
                    + " and a larger header block 431; over HTTP/2, a header list larger than this (pseudo-headers"
                    + " included, each field counted 32 bytes more, as HPACK does) is 431, and one far larger closes"
                    + " the connection (GOAWAY). The default is Netty's and Tomcat's maxHttpHeaderSize.")
    int maxHeader;

    @Option(names = "--idle-timeout", defaultValue = "${env:IDLE_TIMEOUT:-60s}", converter = DurationConverter.class,
            description = "Close a connection with no request in flight after this long without traffic; over"
                    + " HTTP/1.1, also one whose request trickles in slower than that (slowloris). The default is"
                    + " Tomcat's connectionTimeout as its code has it (the server.xml it ships says 20 s).")
    Duration idleTimeout;

    @Option(names = "--request-timeout", defaultValue = "${env:REQUEST_TIMEOUT:-30s}", converter = DurationConverter.class,
            description = "A request not answered by then gets 504 and its work is cancelled. The default stays inside"
                    + " what a gateway in front typically allows (AWS ALB's idle timeout and nginx's"
                    + " proxy_read_timeout are 60 s).")
    Duration requestTimeout;

    @Override
    public String heading() {
        return "Limits";
    }

    LimitsConfig toConfig(FlagCheck check) {
        check.require(maxInflight >= 1, "--max-inflight must be at least 1");
        check.require(maxConnections >= 1, "--max-connections must be at least 1");
        check.require(maxStreams >= 1 && maxStreams <= 10_000, "--max-streams must be from 1 to 10000, got " + maxStreams);
        check.require(maxBody >= 0, "--max-body must not be negative");
        check.require(maxHeader >= 256, "--max-header must be at least 256 bytes");
        check.require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "--idle-timeout must be positive");
        check.require(requestTimeout.toMillis() > 0, "--request-timeout must be positive");
        return new LimitsConfig(maxInflight, maxConnections, maxStreams, maxBody, maxHeader, idleTimeout, requestTimeout);
    }
}

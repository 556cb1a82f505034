package dev.asyncprod.server.config;

import dev.asyncprod.base.NettyTransport;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of the listening socket: where, and on which Netty transport with how many event loops. */
final class ListenOptions implements OptionGroup {

    @Option(names = "--host", defaultValue = "${env:HOST:-0.0.0.0}", description = "Address to listen on.")
    String host;

    @Option(names = "--port", defaultValue = "${env:PORT:-8080}",
            description = "TCP port; 0 picks a free one; a range such as 9201-9203 takes the first free one,"
                    + " so scaled replicas can share a host network.")
    String port;

    @Option(names = "--transport", defaultValue = "${env:TRANSPORT:-auto}", converter = TransportConverter.class,
            description = "auto | epoll | io_uring | nio: Netty's transport; auto is epoll where available, else nio."
                    + " Where the kernel or a seccomp profile refuses io_uring (Docker 25+'s default profile does),"
                    + " io_uring serves on epoll and says so in one warning; epoll that cannot load fails at start."
                    + " The benchmarks page measures io_uring against epoll.")
    NettyTransport.Kind transport;

    @Option(names = "--event-loops", defaultValue = "${env:EVENT_LOOPS:-0}",
            description = "Netty worker event loops; 0 means one per core. The default is one per core rather than"
                    + " Netty's own two: two loops on one core fight for it under load.")
    int eventLoops;

    @Override
    public String heading() {
        return "Listening";
    }

    ListenConfig toConfig(FlagCheck check) {
        PortRange ports = PortRange.parse(port, "--port", check);
        check.require(eventLoops >= 0 && eventLoops <= 1024, "--event-loops must be from 0 to 1024, got " + eventLoops);
        int loops = eventLoops == 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
        return new ListenConfig(host, ports.first(), ports.last(), transport, loops);
    }

    static final class TransportConverter implements CommandLine.ITypeConverter<NettyTransport.Kind> {
        @Override
        public NettyTransport.Kind convert(String value) {
            try {
                return NettyTransport.Kind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected auto, epoll, io_uring or nio, got '" + value + "'");
            }
        }
    }
}

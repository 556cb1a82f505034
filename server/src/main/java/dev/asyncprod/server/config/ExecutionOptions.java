package dev.asyncprod.server.config;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of the execution model: what runs the handlers of the work routes. */
final class ExecutionOptions implements OptionGroup {

    @Option(names = "--mode", defaultValue = "${env:MODE:-async}", converter = ModeConverter.class,
            description = "async | blocking | virtual | virtual-loop: the work routes' handlers run on the event loops"
                    + " (async), on a bounded pool of platform threads (blocking), on a virtual thread each (virtual), or"
                    + " on a virtual thread each carried by the connection's own event loop (virtual-loop: needs the JVM"
                    + " flag --add-opens java.base/java.lang=ALL-UNNAMED, which server.jar's manifest gives).")
    Mode mode;

    @Option(names = "--blocking-threads", defaultValue = "${env:BLOCKING_THREADS:-200}",
            description = "Most platform threads in blocking mode; 10 are kept spare, the rest start on demand and end"
                    + " after 60 s idle, as Tomcat's do. The default is Tomcat's maxThreads.")
    int blockingThreads;

    @Option(names = "--blocking-queue", defaultValue = "${env:BLOCKING_QUEUE:-8192}",
            description = "Requests that may wait for a blocking thread; beyond it, 503. The default is Tomcat's"
                    + " maxConnections: requests beyond maxThreads wait rather than fail, up to this many.")
    int blockingQueue;

    @Override
    public String heading() {
        return "Execution model";
    }

    ExecutionConfig toConfig(FlagCheck check) {
        check.require(blockingThreads >= 1 && blockingThreads <= 10_000,
                "--blocking-threads must be from 1 to 10000, got " + blockingThreads);
        check.require(blockingQueue >= 0 && blockingQueue <= 1_000_000,
                "--blocking-queue must be from 0 to 1000000, got " + blockingQueue);
        return new ExecutionConfig(mode, blockingThreads, blockingQueue);
    }

    static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            return Mode.ofLabel(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "expected async, blocking, virtual or virtual-loop, got '" + value + "'"));
        }
    }
}
